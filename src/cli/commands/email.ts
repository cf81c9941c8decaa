import path from 'node:path';
import { Command } from 'commander';
import { hasErrors } from '../../core/diagnostic.js';
import { resolveNow, type Cli } from '../context.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function emailCommand(cli: Cli): Command {
  return new Command('email')
    .description(
      "Render a release's newsletter email for a sample recipient: writes .html, .txt and .eml to inspect.",
    )
    .argument('<release>', 'the release: its id (sv/<slug>), file, slug, or translation key with --lang')
    .option('--lang <lang>', 'the version of the release in this language (via translationKey)')
    .option('--list <id>', 'newsletter list (default: the first list in the release language)')
    .option('--out <dir>', 'output folder (default: .scs/email/)')
    .option('--now <date-time>', 'the current time, for the Date header (for scripts and tests)')
    .action(async function (
      this: Command,
      release: string,
      opts: { lang?: string; list?: string; out?: string; now?: string; json?: boolean },
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
      cli.diagnostics(plan.diagnostics, config.root);
      const ok = !hasErrors(plan.diagnostics) && !!plan.sizes;
      if (ok) writeInspectFiles(plan.files);
      if (opts.json) {
        cli.json({
          ok,
          release: plan.release?.id ?? null,
          listId: plan.listId ?? null,
          subject: plan.subject ?? null,
          sizes: plan.sizes ?? null,
          files: ok ? plan.files.map((f) => f.path) : [],
          diagnostics: plan.diagnostics,
        });
      }
      if (!ok || !plan.sizes) {
        cli.err(cli.c.red('No email written: fix the errors above.'));
        cli.exit(1);
        return;
      }
      if (opts.json) return;
      for (const f of plan.files) cli.out(`${path.relative(cli.cwd, f.path)}  ${kb(f.content.length)}`);
      cli.err(`Subject: ${plan.subject}`);
      cli.err(
        `List: ${plan.listId}. HTML ${kb(plan.sizes.html)} (Gmail clips over 102 KB), text ${kb(plan.sizes.text)}, message ${kb(plan.sizes.message)}.`,
      );
    });
}
