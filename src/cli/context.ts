import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { usageError } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { parseDateTime } from '../core/time.js';
import type { Config } from '../config/types.js';
import { resolveSecret } from '../config/secret.js';
import { conventionsOf } from './conventions.js';
import { formatDiagnostics, paint, useColor, type Paint } from './output.js';

/** What a command needs from the outside world; tests may pass their own streams. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Cli extends CliIO {
  color: boolean;
  c: Paint;
  out(text: string): void;
  err(text: string): void;
  /** Prints a command's result as indented JSON on stdout (its --json output). */
  json(value: unknown): void;
  /** Prints diagnostics for people on stderr (nothing when there are none). */
  diagnostics(list: readonly Diagnostic[], root: string): void;
  /** Sets the process exit code (the highest wins). */
  exit(code: number): void;
  exitCode: number;
  /**
   * Loads the project's config, honouring the global --config flag and any overrides, and makes the
   * secret key of a command that opens the store (announced when new).
   */
  config(command: Command, overrides?: { baseUrl?: string; outDir?: string }): Config;
}

export function createCli(io: CliIO): Cli {
  const color = useColor(io.stderr, io.env);
  const cli: Cli = {
    ...io,
    color,
    c: paint(color),
    out: (text) => void io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void io.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => cli.out(JSON.stringify(value, null, 2)),
    diagnostics(list, root) {
      if (list.length) cli.err(formatDiagnostics(list, 'pretty', { root, color }));
    },
    exitCode: 0,
    exit(code) {
      cli.exitCode = Math.max(cli.exitCode, code);
    },
    config(command, overrides) {
      const configFile = command.optsWithGlobals().config as string | undefined;
      const file = configFile ? path.resolve(io.cwd, configFile) : undefined;
      const { outDir, ...rest } = overrides ?? {};
      // Without --config, the config is looked for here and in every folder above, as git does; paths
      // on the command line stay relative to where scs runs.
      const config = loadConfig({
        ...(file ? { root: path.dirname(file), configFile: file } : { root: io.cwd, searchParents: true }),
        overrides: { ...rest, ...(outDir ? { outDir: path.resolve(io.cwd, outDir) } : {}) },
        env: io.env,
      });
      if (conventionsOf(command).some((c) => c.store) && !command.opts().dryRun)
        announceNewSecret(cli, config);
      return config;
    },
  };
  return cli;
}

/**
 * The one place a generated secret key is announced: every command that opens the store comes through
 * here (see `store` in conventions.ts), so the key is made now rather than deep inside a library call.
 * A dry run writes nothing, so it makes no key either.
 */
export function announceNewSecret(cli: Cli, config: Config): void {
  const secret = resolveSecret(config);
  if (!secret.created) return;
  cli.err(
    cli.c.yellow(
      `No SCS_SECRET set: generated a key in ${path.relative(cli.cwd, secret.file!)} for signed links and the suppression list. ` +
        'Keep it; in production set SCS_SECRET to that value.',
    ),
  );
}

/** Resolves with the signal's name at the first Ctrl+C (SIGINT) or SIGTERM: how long-running commands end. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `--now <date-time>` (read in the configured time zone), or the real clock. */
export function resolveNow(value: string | undefined, timeZone: string): Date {
  if (value === undefined) return new Date();
  const parsed = parseDateTime(value, timeZone);
  if (!parsed.ok) {
    throw usageError(
      `--now "${value}" is not a date-time.`,
      'Write an ISO date-time such as 2026-12-01T08:00 or 2026-12-01T08:00+01:00.',
    );
  }
  return parsed.instant;
}

/** `--port`: 0 to 65535 (0 lets the system pick a free port). */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw usageError(
      `--port "${value}" is not a port number.`,
      'Use a number from 1 to 65535, such as 8080 (0 picks a free one).',
    );
  }
  return Number(value);
}
