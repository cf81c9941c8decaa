// Shared by the benchmark scripts: the standard corpus and timing of the real `scs` binary.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const SMTP_SINK = ['/usr/sbin/smtp-sink', '/usr/lib/postfix/sbin/smtp-sink'].find((f) => existsSync(f));

/**
 * An SMTP sink on 127.0.0.1 that accepts everything and keeps nothing: Postfix's smtp-sink when
 * installed, else bench/smtp-sink.mjs in a child process.
 */
export async function startSink() {
  const port = await freePort();
  const child = SMTP_SINK
    ? spawn(SMTP_SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '256'], { stdio: 'ignore' })
    : spawn(process.execPath, [path.join(REPO, 'bench', 'smtp-sink.mjs'), String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    name: SMTP_SINK ? 'Postfix smtp-sink' : 'bench/smtp-sink.mjs (node)',
    stop: () => child.kill(),
  };
}
