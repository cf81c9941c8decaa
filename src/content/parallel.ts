import { availableParallelism } from 'node:os';
import type { Config } from '../config/types.js';
import type { SyncWorker } from '../core/sync-worker.js';
import { FileReader } from './read.js';
import { cancelParsers, takeParsers } from './parser-threads.js';
import { type FileRecord, type Pack, packRecords, unpackRecords } from './record.js';

/** Below this many files a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 600;

/** Parsed files, as objects in file order, and packed (in the order parsed) for the cache. */
export interface Parsed {
  records: FileRecord[];
  packs: Pack[];
}

/** What a parser thread posts back: the indexes of the files it took, and their records packed. */
export interface SharedResult {
  indexes: number[];
  pack: Pack;
}

/**
 * Takes files off a shared counter until none are left: every thread, however late it started, works
 * until the end, so none waits for a slower one with a fixed share.
 */
export function parseShared(
  config: Config,
  files: readonly string[],
  next: Int32Array,
  keep?: FileRecord[],
): SharedResult {
  const reader = new FileReader(config);
  const indexes: number[] = [];
  const records: FileRecord[] = [];
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    const record = reader.parse(files[i]!);
    records.push(record);
    indexes.push(i);
    if (keep) keep[i] = record;
  }
  return { indexes, pack: packRecords(records) };
}

/**
 * Parses release files on all cores while keeping the call synchronous: the main thread parses too,
 * then takes each worker's packed records. Small trees are parsed here alone.
 */
export function parseFilesParallel(config: Config, files: readonly string[]): Parsed {
  const threads = Math.min(availableParallelism(), Math.ceil(files.length / (PARALLEL_THRESHOLD / 2)));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const records = new Array<FileRecord>(files.length);
  let workers: SyncWorker<SharedResult>[] = [];
  if (files.length >= PARALLEL_THRESHOLD)
    workers = takeParsers(threads - 1).map((w) => w.start({ config, files, next }));
  else cancelParsers();
  const packs = [parseShared(config, files, next, records).pack];
  for (const worker of workers) {
    const { indexes, pack } = worker.wait();
    const theirs = unpackRecords(pack) as FileRecord[];
    indexes.forEach((i, k) => {
      records[i] = theirs[k]!;
    });
    packs.push(pack);
  }
  return { records, packs };
}
