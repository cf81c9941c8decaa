import path from 'node:path';
import { Command } from 'commander';
import { usageError, fatal } from '../../core/catalogue/index.js';
import { localDateTime, parseDuration } from '../../core/time.js';
import { type Cli, resolveNow } from '../context.js';
import { openProjectStore } from './subscribers.js';

export function bouncesCommand(cli: Cli): Command {
  const command = new Command('bounces').description(
    'Bounces and complaints: read the bounce mailbox and apply them, report rates.',
  );

  command
    .command('fetch')
    .description(
      'Read the bounce mailbox (SCS_BOUNCE_IMAP_URL, a Maildir, an mbox or one message on stdin) and apply the bounces and complaints in it.',
    )
    .option('--maildir <dir>', 'a Maildir folder (applied messages go to cur/, marked seen)')
    .option('--mbox <file>', 'an mbox file (only read)')
    .option('--stdin', 'one message on stdin (for a Postfix pipe)')
    .option('--now <time>', 'the time to record (default: now)')
    .action(async function (
      this: Command,
      opts: { maildir?: string; mbox?: string; stdin?: boolean; now?: string; json?: boolean },
    ) {
      const config = cli.config(this);
      const now = resolveNow(opts.now, config.timeZone);
      const given = [opts.maildir, opts.mbox, opts.stdin].filter(Boolean).length;
      if (given > 1)
        throw usageError(
          'Give one of --maildir, --mbox and --stdin.',
          'Run scs bounces fetch once per mailbox.',
        );
      const [{ fetchBounces }, { resolveSecret }] = await Promise.all([
        import('../../bounces/fetch.js'),
        import('../../config/secret.js'),
      ]);
      const shown = (p: string) => path.relative(cli.cwd, path.resolve(cli.cwd, p)) || p;
      let source: import('../../bounces/sources/types.js').BounceSource;
      if (opts.maildir) {
        const { maildirSource } = await import('../../bounces/sources/maildir.js');
        source = maildirSource(path.resolve(cli.cwd, opts.maildir), shown(opts.maildir));
      } else if (opts.mbox) {
        const { mboxSource } = await import('../../bounces/sources/mbox.js');
        source = mboxSource(path.resolve(cli.cwd, opts.mbox), shown(opts.mbox));
      } else if (opts.stdin) {
        const { stdinSource } = await import('../../bounces/sources/mbox.js');
        source = stdinSource(process.stdin);
      } else if (cli.env.SCS_BOUNCE_IMAP_URL) {
        const { imapSource } = await import('../../bounces/sources/imap.js');
        source = await imapSource(cli.env.SCS_BOUNCE_IMAP_URL);
      } else throw fatal(2, 'bounce-source-missing');
      const store = await openProjectStore(cli, config);
      try {
        const r = await fetchBounces(config, store, source, { secret: resolveSecret(config).secret, now });
        cli.diagnostics(r.diagnostics, config.root);
        if (opts.json) return cli.json({ ...r, elapsedMs: Math.round(r.elapsedMs) });
        const { c } = cli;
        const left = r.messages - r.counts.applied - r.counts.duplicate;
        cli.out(`${r.source}: ${r.messages} message${r.messages === 1 ? '' : 's'}`);
        cli.out(
          `  ${c.green(`${r.counts.applied} applied`)} (${r.recorded} event${r.recorded === 1 ? '' : 's'}, ${r.suppressed} address${r.suppressed === 1 ? '' : 'es'} suppressed), ${r.counts.duplicate} applied before`,
        );
        if (left)
          cli.out(
            `  ${c.yellow(`${left} left in the mailbox`)}: ${r.counts['auto-reply']} auto-replies, ${r.counts.unrelated} unrelated, ` +
              `${r.counts.malformed} unreadable, ${r.counts['too-large']} too large, ${r.counts.forged} forged tokens, ` +
              `${r.counts.unknown} unknown deliveries, ${r.counts.unmatched} unmatched`,
          );
      } finally {
        await store.close();
        await source.close();
      }
    });

  command
    .command('report')
    .description(
      'Bounce and complaint rates per list and receiving domain, with warnings over 0.1 % complaints or 2 % bounces.',
    )
    .option('--since <duration>', 'dispatches planned within this time (e.g. 30d, 12h)', '30d')
    .option('--now <time>', 'the time to count back from (default: now)')
    .action(async function (this: Command, opts: { since: string; now?: string; json?: boolean }) {
      const config = cli.config(this);
      const now = resolveNow(opts.now, config.timeZone);
      const ms = parseDuration(opts.since);
      if (ms === undefined)
        throw usageError(
          `--since "${opts.since}" is not a duration.`,
          'Write a number with a unit: 30d, 12h (a bare number counts days).',
        );
      const { bounceReport, percent } = await import('../../bounces/report.js');
      const store = await openProjectStore(cli, config);
      try {
        const r = await bounceReport(store, new Date(now.getTime() - ms));
        cli.diagnostics(r.diagnostics, config.root);
        if (opts.json) return cli.json({ ...r, since: r.since.toISOString() });
        cli.out(`Since ${localDateTime(r.since, config.timeZone)} (SMTP dispatches only):`);
        if (!r.lists.length) return cli.out('  Nothing sent.');
        for (const l of r.lists) {
          cli.out(
            `  ${cli.c.bold(l.listId)}: ${l.sent} delivered, ${l.hard} hard and ${l.soft} soft bounces (${percent(l.bounceRate)}), ${l.complaint} complaints (${percent(l.complaintRate)})`,
          );
          for (const d of r.domains.filter((d) => d.listId === l.listId && (d.hard || d.soft || d.complaint)))
            cli.out(
              `    ${d.domain}: ${d.sent} delivered, ${d.hard} hard, ${d.soft} soft (${percent(d.bounceRate)}), ${d.complaint} complaints (${percent(d.complaintRate)})`,
            );
        }
        if (r.diagnostics.length) cli.exit(1);
      } finally {
        await store.close();
      }
    });
  return command;
}
