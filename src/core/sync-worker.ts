import { existsSync } from 'node:fs';
import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  type Transferable,
  Worker,
  workerData,
} from 'node:worker_threads';

/** A worker thread whose one result the starting thread takes synchronously. */
export interface SyncWorker<T> {
  /** Blocks until the worker has posted its result, and returns it. */
  wait(): T;
}

/** A worker thread that loads its code before it has anything to do. */
export interface IdleWorker<T> {
  /** Hands it its input; it starts at once, or as soon as its code has loaded. */
  start(data: Record<string, unknown>): SyncWorker<T>;
  /** Stops it unused. */
  cancel(): void;
}

/**
 * Spawns `script` (a compiled worker file), which waits for its input. Undefined when there is no such
 * file: under a TypeScript test runner the callers do the work in their own thread.
 */
export function spawnSyncWorker<T>(script: string): IdleWorker<T> | undefined {
  if (!existsSync(script)) return undefined;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(script, { workerData: { port: port2, signal }, transferList: [port2] });
  // An idle worker must not keep the process alive; a busy one is waited for synchronously anyway.
  worker.unref();
  const cancel = () => {
    port1.close();
    void worker.terminate();
  };
  return {
    start(data) {
      port1.postMessage(data);
      return {
        wait() {
          // The result waits on the port; the signal says it is there, without an event loop turn.
          Atomics.wait(signal, 0, 0);
          const message = receiveMessageOnPort(port1);
          cancel();
          if (!message) throw new Error(`the worker ${script} ended without a result`);
          return message.message as T;
        },
      };
    },
    cancel,
  };
}

/** Starts `script` with `data` (see spawnSyncWorker). */
export function startSyncWorker<T>(script: string, data: Record<string, unknown>): SyncWorker<T> | undefined {
  return spawnSyncWorker<T>(script)?.start(data);
}

/** In the worker: the input it is given (posted once its code has loaded, or waiting for it). */
export function workerInput<D>(): Promise<D> {
  const { port } = workerData as { port: MessagePort };
  return new Promise((resolve) => port.once('message', (data: D) => resolve(data)));
}

/** In the worker: posts the result to the thread that waits for it. */
export function replyToStarter(result: unknown, transfer: Transferable[] = []): void {
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  port.postMessage(result, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  port.close();
  parentPort?.close();
}
