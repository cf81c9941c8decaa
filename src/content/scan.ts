import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WorkerPool, workerFailed } from '../core/pool.js';
import { type FoundFiles, findReleaseFiles, projectPath } from './files.js';

export interface ScanInput {
  root: string;
  /** Folders or files to look in. */
  roots: string[];
  /** Folders to leave out (the output, the state folder). */
  exclude: string[];
  /** Whether to stat every file found (only worth it with a cache to compare against). */
  stats: boolean;
}

export interface Scan extends FoundFiles {
  /** Size and modification time of each file, when asked for (size -1: it could not be stat'ed). */
  sizes?: Float64Array<ArrayBuffer>;
  mtimes?: Float64Array<ArrayBuffer>;
}

/** What is already known of a file's size and modification time (undefined: ask the file system). */
export type KnownStamp = (abs: string) => { size: number; mtimeMs: number } | undefined;

/** Finds the release files, and their sizes and modification times. */
export function scan(input: ScanInput, known?: KnownStamp): Scan {
  const found: Scan = findReleaseFiles(
    input.roots,
    (abs) => projectPath(input.root, abs) || '.',
    input.exclude,
  );
  if (!input.stats) return found;
  const sizes = new Float64Array(found.files.length);
  const mtimes = new Float64Array(found.files.length);
  found.files.forEach((abs, i) => {
    const stamp = known?.(abs);
    if (stamp) {
      sizes[i] = stamp.size;
      mtimes[i] = stamp.mtimeMs;
      return;
    }
    try {
      const st = statSync(abs);
      sizes[i] = st.size;
      mtimes[i] = st.mtimeMs;
    } catch {
      sizes[i] = -1;
    }
  });
  return { ...found, sizes, mtimes };
}

const WORKER = fileURLToPath(new URL('./scan-worker.js', import.meta.url));

/**
 * Starts a scan, on a worker thread when `inWorker` (a big tree: its ten thousand system calls then
 * run while this thread loads the cache); `wait` resolves to the result. Should that thread fail, the
 * tree is scanned here, with a warning.
 */
export function startScan(
  input: ScanInput,
  inWorker: boolean,
  known?: KnownStamp,
): { wait(): Promise<Scan> } {
  const pool = inWorker ? WorkerPool.start<ScanInput, Scan>(WORKER, 1) : undefined;
  if (!pool) return { wait: async () => scan(input, known) };
  const result = pool.run(input).catch((e: Error) => {
    const found = scan(input, known);
    found.diagnostics.push(workerFailed('scanning', e.message, 'while scanning the release folder'));
    return found;
  });
  // Stopped without waiting for it: the thread's exit holds nothing up.
  void result.finally(() => pool.close());
  return { wait: () => result };
}
