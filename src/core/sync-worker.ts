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

/**
 * Starts `script` (a compiled worker file) with `data`. Undefined when there is no such file: under a
 * TypeScript test runner the callers do the work in their own thread.
 */
export function startSyncWorker<T>(script: string, data: Record<string, unknown>): SyncWorker<T> | undefined {
  if (!existsSync(script)) return undefined;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(script, {
    workerData: { ...data, port: port2, signal },
    transferList: [port2],
  });
  return {
    wait() {
      // The result waits on the port; the signal says it is there, without an event loop turn.
      Atomics.wait(signal, 0, 0);
      const message = receiveMessageOnPort(port1);
      port1.close();
      void worker.terminate();
      if (!message) throw new Error(`the worker ${script} ended without a result`);
      return message.message as T;
    },
  };
}

/** In the worker: the data it was started with. */
export function workerInput<D>(): D {
  return workerData as D;
}

/** In the worker: posts the result to the thread that waits for it. */
export function replyToStarter(result: unknown, transfer: Transferable[] = []): void {
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  port.postMessage(result, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  parentPort?.close();
}
