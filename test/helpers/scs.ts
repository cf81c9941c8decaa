import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'scs.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `scs` binary (built by `npm test` before vitest starts). */
export function runScs(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...cleanEnv(), ...options.env },
    encoding: 'utf8',
    timeout: 120000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test's event loop (needed when the test also runs a server). */
export function runScsAsync(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...cleanEnv(), ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The environment a user's shell would have, minus anything scs reads. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('SCS_')) delete env[k];
  return env;
}

/** A temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'scs-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the example newsroom (config + releases) in a temporary folder. */
export function exampleProject(): { dir: string; cleanup: () => void } {
  const t = tempDir('scs-example-');
  cpSync(path.join(REPO, 'scs.config.yml'), path.join(t.dir, 'scs.config.yml'));
  cpSync(path.join(REPO, 'releases'), path.join(t.dir, 'releases'), { recursive: true });
  return t;
}
