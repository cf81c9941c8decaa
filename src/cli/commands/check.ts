import path from 'node:path';
import { Command, Option } from 'commander';
import { resolveNow, type Cli } from '../context.js';
import { formatDiagnostics, summaryLine, type DiagnosticFormat } from '../output.js';
import { prestartParsers } from '../../content/parser-threads.js';
import { parseThreads } from './build.js';

export function checkCommand(cli: Cli): Command {
  return new Command('check')
    .description('Validate releases and the config; report every problem at once.')
    .argument('[paths...]', 'release files or folders (default: all releases)')
    .addOption(
      new Option('--format <format>', 'output format (--json is --format json)')
        .choices(['pretty', 'json', 'github'])
        .default('pretty'),
    )
    .option('--strict', 'treat warnings as errors (exit 1)')
    .option('--verbose', 'add notes: how embargoes without an offset are read, which old addresses redirect')
    .option('--now <date-time>', 'the current time: which releases publish will still mail (for tests)')
    .option('--threads <n>', 'parsing threads (default: all cores for many releases)')
    .action(async function (
      this: Command,
      paths: string[],
      opts: {
        format: DiagnosticFormat;
        strict?: boolean;
        verbose?: boolean;
        json?: boolean;
        now?: string;
        threads?: string;
      },
    ) {
      const threads = parseThreads(opts.threads);
      const config = cli.config(this);
      if (threads !== 1) prestartParsers(config);
      // Loaded on use, so that `scs --help` and other commands start fast.
      const { checkProject } = await import('../../content/check.js');
      // Relative to where scs runs, which may be below the project root.
      const result = await checkProject(config, {
        paths: paths.map((p) => path.resolve(cli.cwd, p)),
        now: resolveNow(opts.now, config.timeZone),
        ...(threads ? { threads } : {}),
        ...(opts.verbose ? { notes: true } : {}),
      });
      const { diagnostics } = result;
      // --json is --format json: the diagnostics are this command's result.
      const format = opts.json ? 'json' : opts.format;
      if (format === 'pretty') {
        cli.diagnostics(diagnostics, config.root);
        cli.err(summaryLine(diagnostics, result.files.length));
      } else cli.out(formatDiagnostics(diagnostics, format, { root: config.root, color: false }));
      const failing = diagnostics.some(
        (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning'),
      );
      cli.exit(failing ? 1 : 0);
    });
}
