import { Command } from 'commander';
import { summarize } from '../../core/diagnostic.js';
import type { Cli } from '../context.js';

export function doctorCommand(cli: Cli): Command {
  return new Command('doctor')
    .description(
      'Check the setup before the first real send: SMTP login, DKIM key and its DNS record, SPF, DMARC, and that the archive and scs serve answer.',
    )
    .option('--dns-server <ip[:port]>', "the DNS server to ask (default SCS_DNS_SERVER, else the system's)")
    .option('--json', 'print the result as JSON')
    .action(async function (this: Command, opts: { dnsServer?: string; json?: boolean }) {
      const config = cli.config(this);
      const { doctor } = await import('../../doctor/doctor.js');
      const dnsServer = opts.dnsServer ?? cli.env.SCS_DNS_SERVER;
      const result = await doctor(config, { now: new Date(), ...(dnsServer ? { dnsServer } : {}) });
      if (!result.ok) cli.exit(1);
      if (opts.json) return cli.json(result);
      const { c } = cli;
      const mark = { ok: c.green('✓'), warning: c.yellow('!'), error: c.red('✗'), skipped: c.dim('-') };
      for (const check of result.checks) {
        const code = check.code ? ` ${c.dim(`[${check.code}]`)}` : '';
        cli.out(`${mark[check.status]} ${c.bold(check.title)}: ${check.detail}${code}`);
        if (check.hint) cli.out(`  ${c.green('hint:')} ${check.hint}`);
      }
      const { errors, warnings } = summarize(result.diagnostics);
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      cli.out(
        errors || warnings
          ? `${count(errors, 'error')}, ${count(warnings, 'warning')}.`
          : 'No problems found.',
      );
    });
}
