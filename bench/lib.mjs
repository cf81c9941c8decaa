// Shared by the benchmark scripts: the standard corpus and timing of the real `scs` binary.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'scs.js');
// shared/ sits beside the main checkout, one level further up from a worktree (wt/<name>).
const GEN =
  ['..', '../..'].map((up) => path.resolve(REPO, up, 'shared/bench/gen-corpus.mjs')).find(existsSync) ??
  path.resolve(REPO, '../shared/bench/gen-corpus.mjs');
const MAXRSS = path.join(REPO, 'bench', 'maxrss.cjs');

/** The standard corpus of `n` releases (../shared/bench/gen-corpus.mjs), with a config defining its ids. */
export function corpus(n, root = '/tmp/scs-bench') {
  const dir = path.join(root, `corpus-${n}`);
  if (!existsSync(path.join(dir, '.done'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [GEN, '--n', String(n), '--out', dir], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`gen-corpus failed for n=${n}`);
    writeFileSync(path.join(dir, '.done'), '');
  }
  copyFileSync(path.join(REPO, 'bench', 'corpus.config.yml'), path.join(dir, 'scs.config.yml'));
  return dir;
}

/** Runs `scs args…` in `cwd`; returns wall seconds, peak RSS in MB, exit code and output. */
export function timeScs(args, cwd, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', MAXRSS, BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /scs-maxrss-kb=(\d+)/.exec(r.stderr);
  return {
    seconds,
    peakMB: m ? Number(m[1]) / 1024 : Number.NaN,
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
export const fmt = (x, digits = 2) => x.toFixed(digits);
