import { workerData } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { serveTasks } from '../core/pool.js';
import { type ParseTask, parseBatch } from './parallel.js';
import { FileReader } from './read.js';
import type { Pack } from './record.js';

// Test-only (never set it otherwise): the thread exits when it comes to a file of this name, as one
// that crashes or runs out of memory would; the tests check that scs then finishes the work itself.
const crashOn = process.env.SCS_TEST_WORKER_CRASH;

/** Parses batches of release files for parallel.ts and posts their records back packed. */
const { config } = workerData as { config: Config };
const reader = new FileReader(config);
serveTasks<ParseTask, Pack>(({ files, at }) => {
  const crash = crashOn ? files.findIndex((f) => f.endsWith(`/${crashOn}`)) : -1;
  if (crash >= 0) {
    Atomics.store(at, 0, crash);
    process.exit(70);
  }
  const pack = parseBatch(reader, files, { at });
  return { result: pack, transfer: [pack.buffer] };
});
