import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type IdleWorker, spawnSyncWorker } from '../core/sync-worker.js';
import type { SharedResult } from './parallel.js';

// Kept apart from the parser itself: a command starts these threads before it has loaded anything else.
const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
const idle: IdleWorker<SharedResult>[] = [];

/**
 * Starts parser threads ahead of a parse that may need them. A thread takes about a quarter of a second
 * to load its code; started first thing, it loads while the command reads its config and walks the tree
 * on the other core. The next parse takes them; a parse too small for them, or one the cache serves,
 * stops them.
 */
export function prestartParsers(): void {
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
