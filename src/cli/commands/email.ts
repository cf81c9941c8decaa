import path from 'node:path';
import { Command } from 'commander';
import { hasErrors } from '../../core/diagnostic.js';
import { resolveNow, type Cli } from '../context.js';
import { formatDiagnostics } from '../output.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function emailCommand(cli: Cli): Command {
  return new Command('email')
    .description(
      "Render a release's newsletter email for a sample recipient: writes .html, .txt and .eml to inspect.",
    )
    .argument('<release>', 'release file or id (<lang>/<slug>)')
    .option('--lang <lang>', 'the version of the release in this language (via translationKey)')
    .option('--list <id>', 'newsletter list (default: the first list in the release language)')
    .option('--out <dir>', 'output folder (default: .scs/email/)')
    .option('--now <date-time>', 'the current time, for the Date header (for scripts and tests)')
    .action(async function (
      this: Command,
      release: string,
      opts: { lang?: string; list?: string; out?: string; now?: string },
    ) {
      const config = cli.config(this);
      // MJML is heavy: load it only when this command runs.
      const { planEmailInspection, writeInspectFiles } = await import('../../email/inspect.js');
      const plan = await planEmailInspection(config, {
        release,
        ...(opts.lang ? { lang: opts.lang } : {}),
        ...(opts.list ? { listId: opts.list } : {}),
        ...(opts.out ? { outDir: opts.out } : {}),
        cwd: cli.cwd,
        now: resolveNow(opts.now, config.timeZone),
      });
      if (plan.diagnostics.length)
        cli.err(formatDiagnostics(plan.diagnostics, 'pretty', { root: config.root, color: cli.color }));
      if (hasErrors(plan.diagnostics) || !plan.sizes) {
        cli.err(cli.c.red('No email written: fix the errors above.'));
        cli.exit(1);
        return;
      }
      writeInspectFiles(plan.files);
      for (const f of plan.files) cli.out(`${path.relative(cli.cwd, f.path)}  ${kb(f.content.length)}`);
      cli.err(`Subject: ${plan.subject}`);
      cli.err(
        `List: ${plan.listId}. HTML ${kb(plan.sizes.html)} (Gmail clips over 102 KB), text ${kb(plan.sizes.text)}, message ${kb(plan.sizes.message)}.`,
      );
    });
}
