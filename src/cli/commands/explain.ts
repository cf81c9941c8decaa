import { Command } from 'commander';
import type { Cli } from '../context.js';

export function explainCommand(cli: Cli): Command {
  return new Command('explain')
    .description('Say what a diagnostic code means and what to do about it.')
    .argument('<code>', 'a code as scs prints it, e.g. field-unknown')
    .action(async (code: string, opts: { json?: boolean }) => {
      const { explainCode } = await import('../../core/catalogue/explain.js');
      const e = explainCode(code);
      if (opts.json) return cli.json(e);
      const { c } = cli;
      const severity = e.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
      cli.out(`${c.bold(e.code)} ${severity}: ${e.title}`);
      if (e.hint) cli.out(`  ${c.green('hint:')} ${e.hint}`);
      cli.out(`  ${c.dim(`more: ${e.readme}`)}`);
    });
}
