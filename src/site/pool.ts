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

/** Below this many pages, starting workers costs more than it saves. */
export const PARALLEL_THRESHOLD = 400;
const BATCH = 64;
const WORKER = fileURLToPath(new URL('./render-worker.js', import.meta.url));

/** How many threads to use for `pages` pages; `requested` (e.g. --threads) wins when given. */
export function threadCount(pages: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  return pages < PARALLEL_THRESHOLD ? 1 : availableParallelism();
}

/**
 * Renders pages and writes them into a folder, on worker threads when there are several (each worker
 * compiles the templates once), otherwise in this thread. Under a TypeScript test runner there is no
 * compiled worker script, so it renders here.
 */
export class RenderPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly queue: { id: number; dir: string; empty: boolean; jobs: RenderJob[] }[] = [];
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
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER, { workerData: { sources, base: plain } });
      const slot = { worker, busy: 0 };
      worker.on('message', (r: BatchResult) => {
        slot.busy--;
        this.inFlight--;
        this.written += r.written;
        this.failures.push(...r.failures);
        this.dispatch();
      });
      worker.on('error', (e) => {
        this.crashed = e;
        this.wake?.();
      });
      this.workers.push(slot);
    }
  }

  get parallel(): boolean {
    return this.workers.length > 0;
  }

  /** Queues a page; it is written into `dir` by the time finish() resolves. */
  add(dir: string, job: RenderJob): void {
    if (!this.parallel) {
      this.renderHere(dir, job);
      return;
    }
    this.pendingDir = dir;
    this.pending.push(job);
    if (this.pending.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.queue.push({ id: this.nextId++, dir: this.pendingDir, empty: this.emptyFolder, jobs: this.pending });
    this.pending = [];
    this.dispatch();
  }

  private dispatch(): void {
    // Two batches per worker keep it busy while the next one is on its way.
    for (const slot of this.workers) {
      while (slot.busy < 2 && this.queue.length) {
        slot.worker.postMessage(this.queue.shift());
        slot.busy++;
        this.inFlight++;
      }
    }
    if (!this.queue.length && !this.inFlight) this.wake?.();
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
    this.flush();
    try {
      while ((this.queue.length || this.inFlight) && !this.crashed) {
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
