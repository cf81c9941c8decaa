import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { parseFiles } from './read.js';

/** Parses one share of the release files for parallel.ts and posts the result back on the given port. */
const { config, files, port, signal } = workerData as {
  config: Config;
  files: string[];
  port: MessagePort;
  signal: Int32Array;
};
port.postMessage(parseFiles(config, files));
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
parentPort?.close();
