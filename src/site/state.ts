import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { cacheFolder, codeFingerprint, readCacheFile, writeCacheFile } from '../cache/index.js';
import type { Config } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { OutputState } from './output.js';
import { makePrivateDir } from '../core/private-dir.js';
import { processAlive } from '../core/process.js';

/** What a build leaves in `.scs/cache/site/` for the next one. */
export interface BuildState {
  output: OutputState;
  /** The image registry (see images.ts). */
  images?: unknown;
  /** What the last build was made from (see inputs.ts), and what it reported beyond the output. */
  last?: { inputs: string; pages: number; diagnostics: Diagnostic[] };
}

/** Files of one output folder's cache: its state, its lock, and the name its work folders take. */
export function stateFiles(
  config: Config,
  outDir: string,
): { dir: string; id: string; state: string; lock: string } {
  const id = createHash('sha256').update(outDir).digest('hex').slice(0, 16);
  const dir = cacheFolder(config.stateDir, 'site');
  return { dir, id, state: path.join(dir, `${id}.json`), lock: path.join(dir, `${id}.lock`) };
}

/** A folder's files on disk: paths and keys in two lists (quicker to read back than an object). */
interface SavedFolder {
  id: string;
  paths: string[];
  keys: string[];
}

/**
 * On disk the spare folder's files are kept as their difference from the current output's (null key:
 * not there), which is small: the two differ only by what the last build changed.
 */
interface SavedState {
  /** scs's fingerprint: state saved by other code is not read. */
  version: string;
  output: { current?: SavedFolder; prev?: { id: string; paths: string[]; keys: (string | null)[] } };
  images?: unknown;
  last?: BuildState['last'];
}

function zip<V>(paths: string[], keys: V[]): Map<string, V> {
  const out = new Map<string, V>();
  for (let i = 0; i < paths.length; i++) out.set(paths[i]!, keys[i]!);
  return out;
}

/** The saved state; an empty one when there is none or it cannot be read (a cold build follows). */
export function readState(file: string): BuildState {
  // Missing, damaged or another scs's: start over.
  return (
    readCacheFile(file, (data) => decodeState(JSON.parse(data.toString('utf8')) as SavedState)) ?? {
      output: {},
    }
  );
}

function decodeState(saved: SavedState): BuildState | undefined {
  if (saved.version !== codeFingerprint() || !saved.output) return undefined;
  const { current, prev } = saved.output;
  const output: OutputState = current
    ? { current: { id: current.id, files: zip(current.paths, current.keys) } }
    : {};
  if (output.current && prev) {
    const files = new Map(output.current.files);
    for (const [rel, key] of zip(prev.paths, prev.keys)) {
      if (key === null) files.delete(rel);
      else files.set(rel, key);
    }
    output.prev = { id: prev.id, files };
  }
  return {
    output,
    ...(saved.images ? { images: saved.images } : {}),
    ...(saved.last ? { last: saved.last } : {}),
  };
}

export function writeState(file: string, state: BuildState): void {
  const { current, prev } = state.output;
  const saved: SavedState = {
    version: codeFingerprint(),
    output: current
      ? { current: { id: current.id, paths: [...current.files.keys()], keys: [...current.files.values()] } }
      : {},
    images: state.images,
    ...(state.last ? { last: state.last } : {}),
  };
  if (current && prev) {
    const diff = { id: prev.id, paths: [] as string[], keys: [] as (string | null)[] };
    const change = (rel: string, key: string | null) => {
      diff.paths.push(rel);
      diff.keys.push(key);
    };
    for (const [rel, key] of prev.files) if (current.files.get(rel) !== key) change(rel, key);
    for (const rel of current.files.keys()) if (!prev.files.has(rel)) change(rel, null);
    saved.output.prev = diff;
  }
  writeCacheFile(file, JSON.stringify(saved));
}

/**
 * Takes the build lock of an output folder. Returns a release function, or the pid of the live
 * process that holds it. A lock left by a process that died is taken over.
 *
 * The lock is a folder holding one file named after its holder (`<pid>.<random>`). It is taken by
 * renaming a folder prepared with that file onto the lock's path: a rename replaces an empty folder
 * or none, and fails on a folder with a file in it, atomically. A dead holder is removed by deleting
 * its own file, which cannot remove a newer holder's; so of any number of builds, one wins.
 */
export function lockOutput(file: string): { release: () => void } | { holder: number } {
  makePrivateDir(path.dirname(file));
  const mine = `${process.pid}.${randomBytes(8).toString('hex')}`;
  const ready = `${file}.${mine}`;
  mkdirSync(ready);
  writeFileSync(path.join(ready, mine), '');
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        renameSync(ready, file);
        return { release: () => releaseLock(file, mine) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
      }
      const holder = clearDeadMarks(buildLockMarks(file));
      if (holder) return { holder };
    }
    // Others keep taking and leaving it: one of them holds it now.
    return { holder: 0 };
  } finally {
    rmSync(ready, { recursive: true, force: true });
  }
}

/** A holder of the lock as a build saw it: its pid, and the path of its mark. */
export interface BuildLockMark {
  pid: number;
  mark: string;
}

/** Who holds the lock: the marks in its folder, or an older version's lock file (holding the pid). */
export function buildLockMarks(file: string): BuildLockMark[] {
  try {
    return readdirSync(file).map((name) => ({ pid: Number.parseInt(name, 10), mark: path.join(file, name) }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') return [];
    return [{ pid: Number(readText(file)), mark: file }];
  }
}

/**
 * The pid of a live holder among those seen, or 0 once the dead ones' marks are removed. A mark is
 * removed by its own name, so never a newer holder's, nor a lock folder that replaced an old lock file.
 */
export function clearDeadMarks(holders: BuildLockMark[]): number {
  for (const h of holders) {
    if (h.pid && processAlive(h.pid)) return h.pid;
    try {
      unlinkSync(h.mark);
    } catch {
      // Removed by another build already, or a folder now.
    }
  }
  return 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function releaseLock(file: string, mine: string): void {
  try {
    unlinkSync(path.join(file, mine));
    // Fails when another build has taken the lock meanwhile (its folder is not empty): that is fine.
    rmdirSync(file);
  } catch {
    // Already gone.
  }
}
