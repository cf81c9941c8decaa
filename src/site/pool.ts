import { fileURLToPath } from 'node:url';
import { threadCount, WorkerFailure, WorkerPool } from '../core/pool.js';
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
  written: number;
  failures: RenderFailure[];
}

/** Below this many pages a worker costs more to start (it loads and compiles everything) than it saves. */
export const PARALLEL_THRESHOLD = 2000;
const BATCH = 64;
const WORKER = fileURLToPath(new URL('./render-worker.js', import.meta.url));

/** A worker's task: pages to write into `dir` (`empty`: see writeFresh). */
export interface RenderBatch {
  dir: string;
  empty: boolean;
  jobs: RenderJob[];
  /** Where the worker notes the index of the page it is on (for a report, should it die there). */
  at: Int32Array;
}

/** A page a worker was on when it failed (it and the rest of its batch were rendered here). */
export interface LostPage {
  path: string;
  why: string;
}

/** How many threads render (this one included) for `pages` pages; `requested` (e.g. --threads) wins. */
export const renderThreads = (pages: number, requested?: number) =>
  threadCount(pages, PARALLEL_THRESHOLD, requested);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Renders pages and writes them into a folder. With `threads` > 1 it starts `threads - 1` workers (each
 * compiles the templates once) and renders in this thread too: a batch goes to a worker with room for
 * it, or is rendered here, as is a batch whose worker failed (died or stopped answering). Under a
 * TypeScript test runner there is no compiled worker script, so everything renders here.
 */
export class RenderPool {
  private readonly pool: WorkerPool<RenderBatch, BatchResult> | undefined;
  private pending: RenderJob[] = [];
  private pendingDir = '';
  private written = 0;
  private readonly failures: RenderFailure[] = [];
  private readonly lost: LostPage[] = [];
  private readonly inFlight: Promise<void>[] = [];

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
    if (threads < 2) return;
    const { links: _links, ...plain } = base;
    this.pool = WorkerPool.start(WORKER, threads - 1, { workerData: { sources, base: plain } });
  }

  /** Queues a page; it is written into `dir` by the time finish() resolves. */
  async add(dir: string, job: RenderJob): Promise<void> {
    this.pendingDir = dir;
    this.pending.push(job);
    if (this.pending.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const jobs = this.pending;
    const dir = this.pendingDir;
    if (!jobs.length) return;
    this.pending = [];
    // Two batches per worker keep it busy while the next one is on its way.
    if (this.pool?.hasRoom(2)) {
      const at = new Int32Array(new SharedArrayBuffer(4)).fill(-1);
      this.inFlight.push(
        this.pool.run({ dir, empty: this.emptyFolder, jobs, at }).then(
          (r) => {
            this.written += r.written;
            this.failures.push(...r.failures);
          },
          (e: unknown) => {
            if (!(e instanceof WorkerFailure)) throw e;
            const i = Atomics.load(at, 0);
            // Only the batch it was on names a page; those queued behind it had not begun.
            if (i >= 0) this.lost.push({ path: jobs[i]!.path, why: e.message });
            for (const job of jobs) this.renderHere(dir, job);
          },
        ),
      );
    } else {
      for (const job of jobs) this.renderHere(dir, job);
    }
    // Let finished workers report back, so they get the next batch.
    if (this.pool) await nextTurn();
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
  async finish(): Promise<{ written: number; failures: RenderFailure[]; lost: LostPage[] }> {
    await this.flush();
    try {
      await Promise.all(this.inFlight);
    } finally {
      await this.pool?.close();
    }
    return { written: this.written, failures: this.failures, lost: this.lost };
  }
}
