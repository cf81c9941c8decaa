import { workerData } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { serveTasks } from '../core/pool.js';
import { type ParseTask, parseBatch } from './parallel.js';
import { FileReader } from './read.js';
import type { Pack } from './record.js';

// Test-only (never set them otherwise): the thread exits, or stops answering, when it comes to a file of
// this name, as one that crashes or runs out of memory, or loops for ever, would; the tests check that scs
// then names the file and finishes the work itself.
const crashOn = process.env.SCS_TEST_WORKER_CRASH;
const hangOn = process.env.SCS_TEST_WORKER_HANG;
const indexOf = (files: string[], name: string | undefined) =>
  name ? files.findIndex((f) => f.endsWith(`/${name}`)) : -1;

/** Parses batches of release files for parallel.ts and posts their records back packed. */
const { config } = workerData as { config: Config };
const reader = new FileReader(config);
serveTasks<ParseTask, Pack>(({ files, at }) => {
  const crash = indexOf(files, crashOn);
  if (crash >= 0) {
    Atomics.store(at, 0, crash);
    process.exit(70);
  }
  const hang = indexOf(files, hangOn);
  if (hang >= 0) {
    Atomics.store(at, 0, hang);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  const pack = parseBatch(reader, files, { at });
  return { result: pack, transfer: [pack.buffer] };
});
