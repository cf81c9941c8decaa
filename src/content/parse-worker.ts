import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { parseShared } from './parallel.js';

/** Parses release files for parallel.ts, off the shared counter, and posts them back packed. */
const { config, files, next, port, signal } = workerData as {
  config: Config;
  files: string[];
  next: Int32Array;
  port: MessagePort;
  signal: Int32Array;
};
const result = parseShared(config, files, next);
port.postMessage(result, [result.pack.numbers.buffer, result.pack.bytes.buffer]);
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
parentPort?.close();
