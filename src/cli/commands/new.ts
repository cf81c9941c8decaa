import path from 'node:path';
import { Command, Option } from 'commander';
import { RELEASE_TYPES } from '../../content/types.js';
import { resolveNow, type Cli } from '../context.js';

export function newCommand(cli: Cli): Command {
  return new Command('new')
    .description('Write a new release file with its frontmatter filled from the config.')
    .argument('<title>', 'the release title')
    .option('--lang <lang>', 'language (default: the configured default language)')
    .addOption(new Option('--type <type>', 'release type').choices([...RELEASE_TYPES]))
    .option('--date <date>', 'publication date, YYYY-MM-DD or a date-time (default: today)')
    .option('--now <date-time>', 'the current time (for scripts and tests)')
    .action(async function (
      this: Command,
      title: string,
      opts: { lang?: string; type?: string; date?: string; now?: string; json?: boolean },
    ) {
      const config = cli.config(this);
      const { planNewRelease, writeNewFiles } = await import('../../content/scaffold.js');
      const planned = planNewRelease(config, { title, ...opts, now: resolveNow(opts.now, config.timeZone) });
      writeNewFiles([planned], config.root);
      const file = path.relative(cli.cwd, planned.path);
      cli.out(opts.json ? JSON.stringify({ file }) : file);
      cli.err(
        cli.c.dim(
          'Created as a draft: replace the placeholder texts, remove "draft: true" when it is ready, then run "scs check".',
        ),
      );
    });
}
