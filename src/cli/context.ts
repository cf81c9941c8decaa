import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { diag, ScsError } from '../core/diagnostic.js';
import { parseDateTime } from '../core/time.js';
import type { Config } from '../config/types.js';
import { paint, useColor, type Paint } from './output.js';

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
  /** Sets the process exit code (the highest wins). */
  exit(code: number): void;
  exitCode: number;
  /** Loads the project's config, honouring the global --config flag and any overrides. */
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
    exitCode: 0,
    exit(code) {
      cli.exitCode = Math.max(cli.exitCode, code);
    },
    config(command, overrides) {
      const configFile = command.optsWithGlobals().config as string | undefined;
      const root = configFile ? path.dirname(path.resolve(io.cwd, configFile)) : io.cwd;
      return loadConfig({
        root,
        ...(configFile ? { configFile: path.resolve(io.cwd, configFile) } : {}),
        overrides: overrides ?? {},
        env: io.env,
      });
    },
  };
  return cli;
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
    throw new ScsError(
      [
        diag('usage', 'error', `--now "${value}" is not a date-time.`, {
          hint: 'Write an ISO date-time such as 2026-12-01T08:00 or 2026-12-01T08:00+01:00.',
        }),
      ],
      2,
    );
  }
  return parsed.instant;
}

/** `--port`: 0 to 65535 (0 lets the system pick a free port). */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ScsError(
      [
        diag('usage', 'error', `--port "${value}" is not a port number.`, {
          hint: 'Use a number from 1 to 65535, such as 8080 (0 picks a free one).',
        }),
      ],
      2,
    );
  }
  return Number(value);
}
