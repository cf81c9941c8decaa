import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type IdleWorker, spawnSyncWorker } from '../core/sync-worker.js';
import type { Config } from '../config/types.js';
import { parseCacheSize } from './cache-files.js';
import type { SharedResult } from './parallel.js';

// Kept apart from the parser itself: a command starts these threads before it has loaded anything else.
const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
const idle: IdleWorker<SharedResult>[] = [];

/**
 * Starts parser threads ahead of a parse that will need them: one with no release cache to serve it. A
 * thread takes about a quarter of a second to load its code; started early, it loads while the command
 * walks the tree on the other core. The next parse takes them; a parse too small for them stops them.
 * With a cache they are not started: booting them would only slow the run the cache makes quick.
 */
export function prestartParsers(config: Config): void {
  if (parseCacheSize(config) > 0) return;
  while (idle.length < availableParallelism() - 1) {
    const worker = spawnSyncWorker<SharedResult>(WORKER);
    if (!worker) break;
    idle.push(worker);
  }
}

/** `count` parser threads, those started ahead first; any others started ahead are stopped. */
export function takeParsers(count: number): IdleWorker<SharedResult>[] {
  const taken = idle.splice(0, count);
  while (taken.length < count) {
    const worker = spawnSyncWorker<SharedResult>(WORKER);
    if (!worker) break;
    taken.push(worker);
  }
  cancelParsers();
  return taken;
}

/** Stops the parser threads started ahead (the cache will serve, or there is too little to parse). */
export function cancelParsers(): void {
  for (const worker of idle.splice(0)) worker.cancel();
}
