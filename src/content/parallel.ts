import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { type Pack, PackReader, PackWriter } from './packing.js';
import { FileReader } from './read.js';
import { type FileRecord, readRecord, writeRecord } from './record.js';

/** Below this many files a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 600;
const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

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
  const w = new PackWriter();
  const indexes: number[] = [];
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    const record = reader.parse(files[i]!);
    writeRecord(w, config, record);
    indexes.push(i);
    if (keep) keep[i] = record;
  }
  return { indexes, pack: w.finish() };
}

/**
 * Parses release files on all cores while keeping the call synchronous: the main thread parses too,
 * then blocks on each worker's signal and reads its packed records straight off its port.
 */
export function parseFilesParallel(config: Config, files: readonly string[]): Parsed {
  const threads = Math.min(availableParallelism(), Math.ceil(files.length / (PARALLEL_THRESHOLD / 2)));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const records = new Array<FileRecord>(files.length);
  // Under a TypeScript test runner there is no compiled worker: parse in this thread.
  if (threads < 2 || files.length < PARALLEL_THRESHOLD || !existsSync(WORKER))
    return { records, packs: [parseShared(config, files, next, records).pack] };
  const jobs = [];
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, {
      workerData: { config, files, next, port: port2, signal },
      transferList: [port2],
    });
    jobs.push({ worker, port: port1, signal });
  }
  const packs = [parseShared(config, files, next, records).pack];
  for (const job of jobs) {
    Atomics.wait(job.signal, 0, 0);
    const message = receiveMessageOnPort(job.port);
    if (!message) throw new Error('a release parser thread ended without a result');
    const { indexes, pack } = message.message as SharedResult;
    const r = new PackReader(pack);
    for (const i of indexes) records[i] = readRecord(r, config) as FileRecord;
    packs.push(pack);
    job.port.close();
    void job.worker.terminate();
  }
  return { records, packs };
}
