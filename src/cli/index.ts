import { Command, CommanderError } from 'commander';
import { ScsError } from '../core/diagnostic.js';
import { bouncesCommand } from './commands/bounces.js';
import { buildCommand } from './commands/build.js';
import { checkCommand } from './commands/check.js';
import { dbCommand } from './commands/db.js';
import { doctorCommand } from './commands/doctor.js';
import { emailCommand } from './commands/email.js';
import { explainCommand } from './commands/explain.js';
import { initCommand } from './commands/init.js';
import { newCommand } from './commands/new.js';
import { previewCommand } from './commands/preview.js';
import { publishCommand } from './commands/publish.js';
import { sendCommand } from './commands/send.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { subscribersCommand } from './commands/subscribers.js';
import { createCli, type Cli, type CliIO } from './context.js';
import { applyConventions } from './conventions.js';
import { formatDiagnostics } from './output.js';
import { SCS_VERSION } from '../core/version.js';

/** Every command, in the order `scs --help` lists them. */
const COMMANDS: ((cli: Cli) => Command)[] = [
  initCommand,
  newCommand,
  checkCommand,
  buildCommand,
  previewCommand,
  emailCommand,
  publishCommand,
  sendCommand,
  statusCommand,
  subscribersCommand,
  bouncesCommand,
  dbCommand,
  serveCommand,
  doctorCommand,
  explainCommand,
];

export function createProgram(cli: Cli): Command {
  const program = new Command('scs')
    .description('Press releases in Markdown → a static press archive and newsletters, sent safely.')
    .version(SCS_VERSION, '-v, --version')
    .option(
      '-c, --config <file>',
      'configuration file (default: scs.config.yml here or in the nearest folder above)',
    )
    .showHelpAfterError('(run with --help for usage)')
    // Every help page shows -c, --config (a global option) among its options.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => cli.stdout.write(s),
      writeErr: (s) => cli.stderr.write(s),
      outputError: (s, write) => write(cli.c.red(s)),
    })
    .exitOverride();
  for (const make of COMMANDS) program.addCommand(make(cli));
  applyConventions(program);
  // addCommand copies nothing: give every command, however deeply nested, the program's output and
  // exit handling, so that a usage error anywhere ends in exit code 2 rather than process.exit.
  const inherit = (parent: Command) => {
    for (const sub of parent.commands) {
      sub.copyInheritedSettings(parent);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs `scs` with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const cli = createCli({
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  });
  const program = createProgram(cli);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ScsError) {
      cli.err(formatDiagnostics(e.diagnostics, 'pretty', { root: cli.cwd, color: cli.color }));
      return e.exitCode;
    }
    const err = e as Error;
    cli.err(`${cli.c.red('internal error:')} ${err.message}`);
    cli.err('This is a bug in scs, not in your files. Run again with SCS_DEBUG=1 for details and report it.');
    if (cli.env.SCS_DEBUG) cli.err(err.stack ?? String(err));
    return 70;
  }
}
