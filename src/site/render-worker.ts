import { workerData } from 'node:worker_threads';
import { serveTasks } from '../core/pool.js';
import { createRenderer, TemplateRenderError } from './renderer.js';
import { Links } from './paths.js';
import type { RenderSources } from './templates.js';
import type { ViewBase } from './views.js';
import { writeFresh } from './write.js';
import type { BatchResult, RenderBatch } from './pool.js';

/** Renders batches of pages for pool.ts and writes them straight into the output folder. */
const data = workerData as { sources: RenderSources; base: Omit<ViewBase, 'links'> };
const render = createRenderer(data.sources, { ...data.base, links: new Links(data.base.config) });
serveTasks<RenderBatch, BatchResult>((batch) => {
  const result: BatchResult = { written: 0, failures: [] };
  for (const job of batch.jobs) {
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
  }
  return { result };
});
