import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { type FileResult, parseFiles } from './read.js';

/** Below this many files a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 600;
const WORKER = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

/**
 * Parses release files on all cores while keeping the call synchronous: the main thread takes its
 * own share, then blocks on each worker's signal and reads the result straight off its port.
 */
export function parseFilesParallel(config: Config, files: readonly string[]): FileResult[] {
  const threads = Math.min(availableParallelism(), Math.ceil(files.length / (PARALLEL_THRESHOLD / 2)));
  // Under a TypeScript test runner there is no compiled worker: parse in this thread.
  if (threads < 2 || files.length < PARALLEL_THRESHOLD || !existsSync(WORKER))
    return parseFiles(config, files);
  const share = Math.ceil(files.length / threads);
  const jobs = [];
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, {
      workerData: { config, files: files.slice(t * share, (t + 1) * share), port: port2, signal },
      transferList: [port2],
    });
    jobs.push({ worker, port: port1, signal });
  }
  const results = parseFiles(config, files.slice(0, share));
  for (const job of jobs) {
    Atomics.wait(job.signal, 0, 0);
    const message = receiveMessageOnPort(job.port);
    if (!message) throw new Error('a release parser thread ended without a result');
    for (const r of message.message as FileResult[]) results.push(r);
    job.port.close();
    void job.worker.terminate();
  }
  return results;
}
