import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parentPort, type Transferable, Worker } from 'node:worker_threads';
import { report } from './catalogue/index.js';
import type { Diagnostic } from './diagnostic.js';

/** Why a task did not come back: its worker threw, died, or stopped answering. */
export class WorkerFailure extends Error {}

/** How long one task may take before its worker is taken for hung: generous, a batch takes a second. */
const TASK_TIMEOUT_MS = 60_000;

/**
 * The warning for a thread that failed (`why`: a WorkerFailure's message) while at `where` (and `file`):
 * what it had been given was done again on the main thread, so nothing is missing.
 */
export function workerFailed(thread: string, why: string, where: string, file?: string): Diagnostic {
  return report('worker-failed', { thread, why, where, ...(file ? { file } : {}) });
}

/**
 * How many threads (this one included) for `count` items, where fewer than `threshold` items do not
 * pay for starting a worker; `requested` (e.g. --threads) wins.
 */
export function threadCount(count: number, threshold: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return count < threshold ? 1 : availableParallelism();
}

interface Task {
  resolve: (value: unknown) => void;
  reject: (error: WorkerFailure) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
  dead: boolean;
}

/** What a worker posts back for a task. */
type Reply = { id: number; result: unknown } | { id: number; error: string };

/**
 * Worker threads running `script` (a compiled worker file that calls serveTasks). A task goes to the
 * least busy live worker and its promise settles with the worker's answer, or rejects with a
 * WorkerFailure when the worker throws, exits, or has not answered within the timeout (it is then
 * stopped): the caller does the work itself, so nothing waits for ever. Idle workers do not keep the
 * process alive.
 */
export class WorkerPool<In, Out> {
  private readonly slots: Slot[] = [];
  private nextId = 0;

  /** Undefined when there is no such script: under a TypeScript test runner callers work in their own thread. */
  static start<In, Out>(
    script: string,
    size: number,
    options: { workerData?: unknown; timeoutMs?: number } = {},
  ): WorkerPool<In, Out> | undefined {
    if (size < 1 || !existsSync(script)) return undefined;
    return new WorkerPool<In, Out>(script, size, options);
  }

  private constructor(
    script: string,
    size: number,
    private readonly options: { workerData?: unknown; timeoutMs?: number },
  ) {
    for (let i = 0; i < size; i++) {
      const slot: Slot = {
        worker: new Worker(script, { workerData: options.workerData }),
        tasks: new Map(),
        dead: false,
      };
      slot.worker.on('message', (reply: Reply) => this.settle(slot, reply));
      slot.worker.on('error', (e) => this.fail(slot, `failed (${e.message})`));
      slot.worker.on('exit', (code) => this.fail(slot, `exited (code ${code})`));
      // After the listeners: adding a 'message' listener refs the worker again.
      slot.worker.unref();
      this.slots.push(slot);
    }
  }

  /** Live workers. */
  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /** Whether a live worker has fewer than `perWorker` tasks. */
  hasRoom(perWorker: number): boolean {
    return this.slots.some((s) => !s.dead && s.tasks.size < perWorker);
  }

  /** Runs a task on the least busy live worker (rejects at once when none is left). */
  run(data: In, transfer: readonly Transferable[] = []): Promise<Out> {
    const slot = this.slots
      .filter((s) => !s.dead)
      .reduce<Slot | undefined>((a, s) => (a && a.tasks.size <= s.tasks.size ? a : s), undefined);
    if (!slot) return Promise.reject(new WorkerFailure('no worker thread is left'));
    const id = this.nextId++;
    return new Promise<Out>((resolve, reject) => {
      const timeout = this.options.timeoutMs ?? TASK_TIMEOUT_MS;
      const timer = setTimeout(() => this.fail(slot, `did not answer within ${timeout / 1000} s`), timeout);
      slot.tasks.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      // A busy worker keeps the process alive until it answers (or is found dead).
      slot.worker.ref();
      slot.worker.postMessage({ id, data }, transfer);
    });
  }

  private settle(slot: Slot, reply: Reply): void {
    const task = slot.tasks.get(reply.id);
    if (!task) return;
    slot.tasks.delete(reply.id);
    clearTimeout(task.timer);
    if (!slot.tasks.size) slot.worker.unref();
    if ('error' in reply) task.reject(new WorkerFailure(`threw (${reply.error})`));
    else task.resolve(reply.result);
  }

  /** The worker is of no more use: its tasks fail, and it is stopped. */
  private fail(slot: Slot, reason: string): void {
    if (slot.dead) return;
    slot.dead = true;
    for (const task of slot.tasks.values()) {
      clearTimeout(task.timer);
      task.reject(new WorkerFailure(reason));
    }
    slot.tasks.clear();
    void slot.worker.terminate();
  }

  /** Stops every worker; tasks still running fail. */
  async close(): Promise<void> {
    const live = this.slots.filter((s) => !s.dead);
    for (const slot of live) this.fail(slot, 'was stopped');
    await Promise.all(live.map((s) => s.worker.terminate()));
  }
}

/**
 * In a worker started by WorkerPool: answers each task with `handle`'s result (its `transfer` list
 * moved, not copied), or with the error it threw.
 */
export function serveTasks<In, Out>(handle: (data: In) => { result: Out; transfer?: Transferable[] }): void {
  parentPort!.on('message', ({ id, data }: { id: number; data: In }) => {
    let answer: { result: Out; transfer?: Transferable[] };
    try {
      answer = handle(data);
    } catch (e) {
      parentPort!.postMessage({ id, error: (e as Error).message });
      return;
    }
    parentPort!.postMessage({ id, result: answer.result }, answer.transfer ?? []);
  });
}
