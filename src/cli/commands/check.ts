import { Command, Option } from 'commander';
import type { Cli } from '../context.js';
import { formatDiagnostics, summaryLine, type DiagnosticFormat } from '../output.js';
import { prestartParsers } from '../../content/parser-threads.js';

export function checkCommand(cli: Cli): Command {
  return new Command('check')
    .description('Validate releases and the config; report every problem at once.')
    .argument('[paths...]', 'release files or folders (default: all releases)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['pretty', 'json', 'github'])
        .default('pretty'),
    )
    .option('--strict', 'treat warnings as errors (exit 1)')
    .action(async function (
      this: Command,
      paths: string[],
      opts: { format: DiagnosticFormat; strict?: boolean },
    ) {
      const config = cli.config(this);
      prestartParsers(config);
      // Loaded on use, so that `scs --help` and other commands start fast.
      const { checkReleases } = await import('../../content/load.js');
      const result = checkReleases(config, { paths });
      const { diagnostics } = result;
      if (opts.format === 'pretty') {
        if (diagnostics.length)
          cli.err(formatDiagnostics(diagnostics, 'pretty', { root: config.root, color: cli.color }));
        cli.err(summaryLine(diagnostics, result.files.length));
      } else cli.out(formatDiagnostics(diagnostics, opts.format, { root: config.root, color: false }));
      const failing = diagnostics.some(
        (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning'),
      );
      cli.exit(failing ? 1 : 0);
    });
}
