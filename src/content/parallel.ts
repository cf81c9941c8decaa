import type { Config } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { threadCount, WorkerFailure, workerFailed } from '../core/pool.js';
import { projectPath } from './files.js';
import { FileReader } from './read.js';
import { cancelParsers, takeParsers } from './parser-threads.js';
import { type FileRecord, type Pack, packRecords, unpackRecords } from './record.js';

/** Below this many files a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 600;
/** Files per task: enough that messages cost little, few enough that no thread waits long at the end. */
const BATCH = 128;

/** Parsed files, as objects in file order, and packed (in the order parsed) for the cache. */
export interface Parsed {
  records: FileRecord[];
  packs: Pack[];
  /** Parser threads that failed (the files they had been given were parsed here instead). */
  diagnostics: Diagnostic[];
}

/** A parser thread's task: files to parse, and where it notes the index of the one it is on. */
export interface ParseTask {
  files: string[];
  at: Int32Array;
}

/**
 * Parses `files` and packs their records (how threads hand them over and the cache keeps them);
 * `at` is told the index of the file being parsed, so that a thread that dies can be reported with it.
 */
export function parseBatch(
  reader: FileReader,
  files: readonly string[],
  options: { at?: Int32Array; keep?: (i: number, record: FileRecord) => void } = {},
): Pack {
  const records = files.map((abs, i) => {
    if (options.at) Atomics.store(options.at, 0, i);
    const record = reader.parse(abs);
    options.keep?.(i, record);
    return record;
  });
  return packRecords(records);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parses release files on all cores (`threads`, e.g. --threads, overrides how many), in batches: a
 * batch goes to a parser thread with room for it, or is parsed here. A batch whose thread failed (it
 * died, threw, or stopped answering) is parsed here, with a warning naming the file it was on. Small
 * trees are parsed here alone.
 */
export async function parseFilesParallel(
  config: Config,
  files: readonly string[],
  threads?: number,
): Promise<Parsed> {
  const wanted = Math.min(
    threadCount(files.length, PARALLEL_THRESHOLD, threads),
    threads ?? Math.ceil(files.length / (PARALLEL_THRESHOLD / 2)),
  );
  const pool = wanted > 1 ? takeParsers(config, wanted - 1) : undefined;
  if (!pool) cancelParsers();
  const reader = new FileReader(config);
  const records = new Array<FileRecord>(files.length);
  const packs: Pack[] = [];
  const diagnostics: Diagnostic[] = [];
  const parseHere = (from: number, batch: string[]) =>
    packs.push(parseBatch(reader, batch, { keep: (i, r) => (records[from + i] = r) }));
  const inFlight: Promise<void>[] = [];
  for (let from = 0; from < files.length; from += BATCH) {
    const batch = files.slice(from, from + BATCH);
    // Two batches per thread keep it busy while the next one is on its way.
    if (!pool?.hasRoom(2)) {
      parseHere(from, batch);
      // Let finished threads report back, so they get the next batch.
      if (pool) await nextTurn();
      continue;
    }
    const at = new Int32Array(new SharedArrayBuffer(4)).fill(-1);
    inFlight.push(
      pool.run({ files: batch, at }).then(
        (pack) => {
          (unpackRecords(pack) as FileRecord[]).forEach((record, i) => {
            records[from + i] = record;
          });
          packs.push(pack);
        },
        (e: unknown) => {
          if (!(e instanceof WorkerFailure)) throw e;
          const i = Atomics.load(at, 0);
          // Only the batch it was on names a file; those queued behind it had not begun.
          if (i >= 0)
            diagnostics.push(
              workerFailed(
                'parser',
                e.message,
                'while reading this file',
                projectPath(config.root, batch[i]!),
              ),
            );
          parseHere(from, batch);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  // Stopped without waiting for them: their exit holds nothing up.
  void pool?.close();
  return { records, packs, diagnostics };
}
