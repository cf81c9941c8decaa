import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clearDeadMarks, buildLockMarks, lockOutput } from '../../src/site/state.js';
import { REPO } from '../helpers/scs.js';
import { throwaway } from './helpers.js';

const { folder } = throwaway();

/** A pid no process has (above the kernel's largest). */
const DEAD = 2147483646;

/**
 * A process that takes the lock (the built library) when told "go" on stdin, prints what it got, and
 * keeps a lock it won until its stdin closes.
 */
const CONTENDER = `
import { lockOutput } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'dist/site/state.js')).href)};
const file = process.argv[1];
process.stdout.write('ready\\n');
process.stdin.once('data', () => {
  let got;
  try {
    got = 'release' in lockOutput(file) ? 'won' : 'held';
  } catch (e) {
    got = 'crashed ' + e.code;
  }
  process.stdout.write(got + '\\n');
  process.stdin.resume();
});
`;

function contender(file: string): { child: ChildProcess; line: (n: number) => Promise<string> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CONTENDER, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  });
  const line = async (n: number) => {
    // Whole lines only.
    while (out.split('\n').length <= n + 1) await new Promise<void>((r) => waiters.push(r));
    return out.split('\n')[n]!;
  };
  return { child, line };
}

/** Starts `n` processes at once against one lock; what each got. */
async function race(file: string, n: number): Promise<string[]> {
  const all = Array.from({ length: n }, () => contender(file));
  try {
    await Promise.all(all.map((c) => c.line(0)));
    for (const c of all) c.child.stdin!.write('go\n');
    return await Promise.all(all.map((c) => c.line(1)));
  } finally {
    for (const c of all) {
      c.child.stdin!.end();
      await new Promise((r) => c.child.once('exit', r));
    }
  }
}

describe('the build lock', () => {
  it('goes to exactly one of many builds that find a stale lock at once', async () => {
    const dir = folder();
    for (let round = 0; round < 4; round++) {
      const file = path.join(dir, `round-${round}.lock`);
      // Left by a build that died: the old form (a file with the pid) in some rounds, the new in others.
      if (round % 2 === 0) writeFileSync(file, String(DEAD));
      else {
        mkdirSync(file);
        writeFileSync(path.join(file, `${DEAD}.0123456789abcdef`), '');
      }
      const got = await race(file, 6);
      expect(got.sort(), `round ${round}`).toEqual(['held', 'held', 'held', 'held', 'held', 'won']);
    }
  });

  it('never lets the removal of a dead holder remove a live one that came after', () => {
    const dir = folder();
    for (const old of [true, false]) {
      const file = path.join(dir, `${old}.lock`);
      if (old) writeFileSync(file, String(DEAD));
      else {
        mkdirSync(file);
        writeFileSync(path.join(file, `${DEAD}.0123456789abcdef`), '');
      }
      // One build sees the dead holder; before it removes it, another build takes the lock over.
      const seen = buildLockMarks(file);
      expect(seen.map((h) => h.pid)).toEqual([DEAD]);
      const other = lockOutput(file);
      expect('release' in other).toBe(true);
      // The first build goes on with what it saw: the lock stays the other's.
      expect(clearDeadMarks(seen)).toBe(0);
      expect(buildLockMarks(file).map((h) => h.pid)).toEqual([process.pid]);
      expect(lockOutput(file)).toEqual({ holder: process.pid });
      if ('release' in other) other.release();
    }
  });

  it('is taken over from a dead holder, refused while the holder lives, and free again after release', () => {
    const dir = folder();
    const file = path.join(dir, 'site.lock');
    mkdirSync(file);
    writeFileSync(path.join(file, `${DEAD}.0123456789abcdef`), '');
    const first = lockOutput(file);
    expect('release' in first).toBe(true);
    expect(lockOutput(file)).toEqual({ holder: process.pid });
    if ('release' in first) first.release();
    expect(existsSync(file)).toBe(false);
    const again = lockOutput(file);
    expect('release' in again).toBe(true);
    if ('release' in again) again.release();
  });
});
