import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { WorkerPool } from '../core/pool.js';
import { parseCacheSize } from './cache-files.js';
import type { Pack } from './record.js';
import type { ParseTask } from './parallel.js';

// Kept apart from the parser itself: a command starts these threads before it has loaded anything else.
const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
type Parsers = WorkerPool<ParseTask, Pack>;
let idle: { config: Config; pool: Parsers } | undefined;

// Test-only: how long a batch may take (the pool's own timeout otherwise), so that a test of a thread
// that stops answering need not wait a minute.
const testTimeout = Number(process.env.SCS_TEST_WORKER_TIMEOUT_MS) || undefined;

const start = (config: Config, count: number): Parsers | undefined =>
  WorkerPool.start(WORKER, count, {
    workerData: { config },
    ...(testTimeout ? { timeoutMs: testTimeout } : {}),
  });

/**
 * Starts parser threads ahead of a parse that will need them: one with no release cache to serve it. A
 * thread takes about a quarter of a second to load its code; started early, it loads while the command
 * walks the tree on the other core. The next parse takes them; a parse too small for them stops them.
 * With a cache they are not started: booting them would only slow the run the cache makes quick.
 */
export function prestartParsers(config: Config): void {
  if (idle || parseCacheSize(config) > 0) return;
  const pool = start(config, availableParallelism() - 1);
  if (pool) idle = { config, pool };
}

/** At least `count` parser threads for `config`: those started ahead when they fit, else new ones. */
export function takeParsers(config: Config, count: number): Parsers | undefined {
  const ahead = idle;
  idle = undefined;
  if (ahead && ahead.config === config && ahead.pool.size >= count) return ahead.pool;
  void ahead?.pool.close();
  return start(config, count);
}

/** Stops the parser threads started ahead (the cache will serve, or there is too little to parse). */
export function cancelParsers(): void {
  void idle?.pool.close();
  idle = undefined;
}
