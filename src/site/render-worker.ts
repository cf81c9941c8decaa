import { workerData } from 'node:worker_threads';
import { serveTasks } from '../core/pool.js';
import { createRenderer, TemplateRenderError } from './renderer.js';
import { Links } from './paths.js';
import type { RenderSources } from './templates.js';
import type { ViewBase } from './views.js';
import { writeFresh } from './write.js';
import type { BatchResult, RenderBatch } from './pool.js';

// Test-only (never set it otherwise): the thread exits when it comes to the page at this output path
// (e.g. sv/index.html), as one that crashes would; the tests check that scs then renders it itself.
const crashOn = process.env.SCS_TEST_WORKER_CRASH;

/** Renders batches of pages for pool.ts and writes them straight into the output folder. */
const data = workerData as { sources: RenderSources; base: Omit<ViewBase, 'links'> };
const render = createRenderer(data.sources, { ...data.base, links: new Links(data.base.config) });
serveTasks<RenderBatch, BatchResult>((batch) => {
  const result: BatchResult = { written: 0, failures: [] };
  batch.jobs.forEach((job, i) => {
    Atomics.store(batch.at, 0, i);
    if (job.path === crashOn) process.exit(70);
    try {
      writeFresh(batch.dir, job.path, render(job), batch.empty);
      result.written++;
    } catch (e) {
      result.failures.push(
        e instanceof TemplateRenderError
          ? { path: job.path, page: e.page, message: e.message }
          : { path: job.path, message: (e as Error).message, code: (e as NodeJS.ErrnoException).code },
      );
    }
  });
  return { result };
});
