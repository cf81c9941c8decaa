import path from 'node:path';
import { Command } from 'commander';
import type { Cli } from '../context.js';

export function initCommand(cli: Cli): Command {
  return new Command('init')
    .description(
      'Set up a new newsroom (config, releases/, .gitignore, an example release) in an empty folder.',
    )
    .argument('[dir]', 'the folder (created if missing)', '.')
    .action(async (dir: string) => {
      const { planInit, writeNewFiles } = await import('../../content/scaffold.js');
      const target = path.resolve(cli.cwd, dir);
      const files = planInit(target, new Date());
      writeNewFiles(files, target);
      for (const f of files) cli.out(`created ${path.relative(cli.cwd, f.path)}`);
      const cd = path.relative(cli.cwd, target);
      cli.err(`\nNext: ${cd ? `cd ${cd} && ` : ''}scs check`);
    });
}
