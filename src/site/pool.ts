import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Render, type RenderJob, TemplateRenderError } from './renderer.js';
import type { RenderSources } from './templates.js';
import type { ViewBase } from './views.js';
import { writeFresh } from './write.js';

export interface RenderFailure {
  path: string;
  /** Set when a template failed (rather than the file system). */
  page?: string;
  message: string;
  code?: string;
}

export interface BatchResult {
  id: number;
  written: number;
  failures: RenderFailure[];
}

/** Below this many pages a worker costs more to start (it loads and compiles everything) than it saves. */
export const PARALLEL_THRESHOLD = 2000;
const BATCH = 64;
const WORKER = fileURLToPath(new URL('./render-worker.js', import.meta.url));

/** How many threads render (this one included) for `pages` pages; `requested` (e.g. --threads) wins. */
export function threadCount(pages: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return pages < PARALLEL_THRESHOLD ? 1 : availableParallelism();
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Renders pages and writes them into a folder. With `threads` > 1 it starts `threads - 1` workers (each
 * compiles the templates once) and renders in this thread too: a batch goes to a worker with room for
 * it, or is rendered here. Under a TypeScript test runner there is no compiled worker script, so
 * everything renders here.
 */
export class RenderPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private pending: RenderJob[] = [];
  private pendingDir = '';
  private nextId = 0;
  private inFlight = 0;
  private written = 0;
  private readonly failures: RenderFailure[] = [];
  private crashed: Error | undefined;
  private wake: (() => void) | undefined;

  /**
   * `emptyFolder`: the folder written into held nothing when the build began (see writeFresh).
   */
  constructor(
    sources: RenderSources,
    base: ViewBase,
    threads: number,
    private readonly local: () => Render,
    private readonly emptyFolder = false,
  ) {
    if (threads < 2 || !existsSync(WORKER)) return;
    const { links: _links, ...plain } = base;
    for (let i = 1; i < threads; i++) {
      const worker = new Worker(WORKER, { workerData: { sources, base: plain } });
      const slot = { worker, busy: 0 };
      worker.on('message', (r: BatchResult) => {
        slot.busy--;
        this.inFlight--;
        this.written += r.written;
        this.failures.push(...r.failures);
        if (!this.inFlight) this.wake?.();
      });
      worker.on('error', (e) => {
        this.crashed = e;
        this.wake?.();
      });
      this.workers.push(slot);
    }
  }

  /** Queues a page; it is written into `dir` by the time finish() resolves. */
  async add(dir: string, job: RenderJob): Promise<void> {
    this.pendingDir = dir;
    this.pending.push(job);
    if (this.pending.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const jobs = this.pending;
    if (!jobs.length) return;
    this.pending = [];
    // Two batches per worker keep it busy while the next one is on its way.
    const slot = this.workers.find((w) => w.busy < 2);
    if (slot) {
      slot.worker.postMessage({ id: this.nextId++, dir: this.pendingDir, empty: this.emptyFolder, jobs });
      slot.busy++;
      this.inFlight++;
    } else {
      for (const job of jobs) this.renderHere(this.pendingDir, job);
    }
    // Let finished workers report back, so they get the next batch.
    if (this.workers.length) await nextTurn();
  }

  private renderHere(dir: string, job: RenderJob): void {
    try {
      writeFresh(dir, job.path, this.local()(job), this.emptyFolder);
      this.written++;
    } catch (e) {
      this.failures.push(
        e instanceof TemplateRenderError
          ? { path: job.path, page: e.page, message: e.message }
          : { path: job.path, message: (e as Error).message, code: (e as NodeJS.ErrnoException).code },
      );
    }
  }

  /** Waits for every queued page, then stops the workers. */
  async finish(): Promise<{ written: number; failures: RenderFailure[] }> {
    await this.flush();
    try {
      while (this.inFlight && !this.crashed) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      await Promise.all(this.workers.map((w) => w.worker.terminate()));
    }
    if (this.crashed) throw this.crashed;
    return { written: this.written, failures: this.failures };
  }
}
