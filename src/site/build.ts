import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { checkReleases } from '../content/load.js';
import type { Release } from '../content/types.js';
import { cacheKey } from '../cache/index.js';
import { report } from '../core/catalogue/index.js';
import { type Diagnostic, hasErrors } from '../core/diagnostic.js';
import { feedXml, type PlannedFeedEntry } from './feeds.js';
import { ImageRegistry } from './images.js';
import { siteModel } from './model.js';
import { buildInputs } from './inputs.js';
import {
  inspectFolder,
  isLastOutput,
  moveAside,
  NotOurs,
  projectId,
  refusedOutput,
  Staging,
  workFolders,
} from './output.js';
import { Links, PAGEFIND_DIR } from './paths.js';
import { assetPaths, type PlannedOutput, planSite } from './plan.js';
import { workerFailed } from '../core/pool.js';
import { type RenderFailure, RenderPool, renderThreads } from './pool.js';
import { createRenderer, type Render } from './renderer.js';
import { buildSearchIndex } from './search.js';
import { type Selection, selectReleases } from './select.js';
import {
  PERMALINKS_FILE,
  type PermalinkPlan,
  type PermalinksFile,
  permalinkDiagnostics,
  permalinkOf,
  planPermalinks,
  readPermalinks,
  writePermalinks,
} from './permalinks.js';
import { lockOutput, readState, stateFiles, writeState } from './state.js';
import { loadSiteTemplates } from './templates.js';
import { escapeXml } from './text.js';
import type { ViewBase } from './views.js';
import { copyFresh, writeFresh } from './write.js';

export interface BuildOptions {
  now: Date;
  drafts?: boolean;
  future?: boolean;
  /** Already checked releases; when absent the build runs the check itself. */
  releases?: Release[];
  /** Build the Pagefind search index (default true). */
  search?: boolean;
  /** Ignore the cache and the previous output: render every file again. */
  clean?: boolean;
  /** Threads for rendering; default: all cores when there are many pages to render. */
  threads?: number;
  /**
   * Take over an output folder scs did not make (or a file at its path): it is moved aside to
   * `<out>.before-scs`, never deleted.
   */
  forceOut?: boolean;
  /**
   * Record the addresses this build publishes in scs.permalinks (default true). A preview or a watch
   * does not: a title being typed would leave an address for every word.
   */
  recordPermalinks?: boolean;
  /**
   * Render every file the cache would skip as well, and fail (`site-cache-stale`, naming the file) when
   * one differs from the output in place: a test of the cache keys (`SCS_VERIFY_CACHE=1`).
   */
  verifyCache?: boolean;
}

export interface BuildResult {
  ok: boolean;
  outDir: string;
  /** HTML pages in the output. */
  pages: number;
  /** Files written because they are new or changed. */
  written: number;
  nextDue?: Date;
  diagnostics: Diagnostic[];
  /** All files in the output. */
  files: number;
  /** Files the same as in the previous output (kept, or hard-linked from it). */
  unchanged: number;
  /** Files of the previous build that are gone. */
  removed: number;
  /** Releases shown, withdrawn ones (shown as their notice), and releases left out (drafts, future, embargoed). */
  releases: number;
  withdrawn: number;
  hidden: number;
  /** Old addresses (`/sv/…/`) that redirect to where their release is now; `fresh`: first seen by this build. */
  redirects: { from: string; to: string; fresh: boolean }[];
  /** Whether this build recorded new addresses in scs.permalinks. */
  permalinksWritten: boolean;
  search: { enabled: boolean; pages: number; reused: boolean };
  /** Milliseconds: the check, building the pages, the search index, and all of it. */
  timings: { check: number; build: number; search: number; total: number };
}

/** The part of the config that can change a page (not paths, secrets or delivery settings). */
function configHash(config: Config): string {
  const { root, file, releasesDir, templatesDir, stateDir, env, newsletter, site, ...rest } = config;
  const shown = {
    ...rest,
    site: { ...site, outDir: undefined },
    newsletter: { endpoint: newsletter.endpoint },
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

function failureDiagnostic(config: Config, f: RenderFailure): Diagnostic {
  if (f.page) {
    return report('site-template-failed', { page: f.page, path: f.path, detail: f.message });
  }
  return report('site-write-failed', {
    path: f.path,
    reason: f.code ?? f.message,
    file: path.relative(config.root, config.site.outDir) || '.',
  });
}

/** A path as the user knows it: relative to the project when inside it. */
function show(config: Config, abs: string): string {
  const rel = path.relative(config.root, abs);
  return !rel ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/** Why the output folder must never be used (see refusedOutput), or undefined. */
export function outputRefusal(config: Config): Diagnostic | undefined {
  const why = refusedOutput(config);
  if (!why) return undefined;
  return report('out-refused', { dir: show(config, config.site.outDir), why });
}

/** A file system error while building (rethrown when it is not one: a bug). */
function writeFailed(config: Config, e: unknown): Diagnostic {
  const err = e as NodeJS.ErrnoException;
  if (!err.code) throw e;
  return report('site-write-failed', {
    reason: `${err.code}${err.path ? ` on ${path.relative(config.root, err.path)}` : ''}`,
  });
}

function notOurs(config: Config, e: NotOurs): Diagnostic {
  return report('out-not-scs', { dir: show(config, e.dir), why: e.why, spare: e.dir !== config.site.outDir });
}

/**
 * Builds the press archive into `config.site.outDir`: check, select what is published, plan every file
 * with a cache key, render what changed (on worker threads when there is much), index the search,
 * and swap the new output in whole. Returns diagnostics instead of throwing on user mistakes.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const outDir = config.site.outDir;
  const result: BuildResult = {
    ok: false,
    outDir,
    pages: 0,
    written: 0,
    diagnostics: [],
    files: 0,
    unchanged: 0,
    removed: 0,
    releases: 0,
    withdrawn: 0,
    hidden: 0,
    redirects: [],
    permalinksWritten: false,
    search: { enabled: options.search !== false, pages: 0, reused: false },
    timings: { check: 0, build: 0, search: 0, total: 0 },
  };
  const finish = (ok: boolean) => {
    result.ok = ok && !hasErrors(result.diagnostics);
    result.timings.total = Math.round(performance.now() - started);
    return result;
  };

  let releases = options.releases;
  if (!releases) {
    const checked = await checkReleases(config);
    result.diagnostics.push(...checked.diagnostics);
    releases = checked.releases;
  }
  result.timings.check = Math.round(performance.now() - started);
  if (hasErrors(result.diagnostics)) return finish(false);

  const loaded = loadSiteTemplates(config);
  result.diagnostics.push(...loaded.diagnostics);
  const templates = loaded.templates;
  if (!templates) return finish(false);

  const selection = selectReleases(releases, options);
  result.releases = selection.visible.length;
  result.withdrawn = selection.withdrawn.length;
  result.hidden = selection.hidden;
  if (selection.nextDue) result.nextDue = selection.nextDue;

  // The addresses published before: where they lead now, and what this build adds to them.
  const permalinks = readPermalinks(config.root);
  const moves = planPermalinks(permalinks.entries, releases, options.now, (f) =>
    existsSync(path.join(config.root, f)),
  );
  result.diagnostics.push(
    ...permalinks.diagnostics,
    ...permalinkDiagnostics(moves, { for: 'build', timeZone: config.timeZone }),
  );
  if (hasErrors(result.diagnostics)) return finish(false);
  result.redirects = moves.redirects.map((d) => ({
    from: `/${d.from}`,
    to: permalinkOf(d.release),
    fresh: d.fresh,
  }));

  const refusal = outputRefusal(config);
  if (refusal) {
    result.diagnostics.push(refusal);
    return finish(false);
  }
  const files = stateFiles(config, outDir);
  let lock: ReturnType<typeof lockOutput>;
  try {
    lock = lockOutput(files.lock);
  } catch (e) {
    result.diagnostics.push(writeFailed(config, e));
    return finish(false);
  }
  if ('holder' in lock) {
    result.diagnostics.push(
      report('site-build-locked', {
        ...(lock.holder ? { holder: String(lock.holder) } : {}),
        file: path.relative(config.root, files.lock),
      }),
    );
    return finish(false);
  }
  const project = projectId(config.root);
  try {
    const state = readState(files.state);
    const found = inspectFolder(outDir, project, state.output.current?.id);
    if (found.kind === 'foreign') {
      if (!options.forceOut) throw new NotOurs(outDir, found.why);
      const aside = moveAside(outDir);
      result.diagnostics.push(
        report('out-moved-aside', { from: show(config, outDir), to: show(config, aside) }),
      );
    }
    await buildInto(
      config,
      options,
      templates,
      { ...selection, permalinks, moves },
      state,
      { ...files, project },
      result,
      started,
    );
    return finish(true);
  } catch (e) {
    if (e instanceof NotOurs) {
      result.diagnostics.push(notOurs(config, e));
      return finish(false);
    }
    result.diagnostics.push(writeFailed(config, e));
    return finish(false);
  } finally {
    lock.release();
  }
}

async function buildInto(
  config: Config,
  options: BuildOptions,
  templates: NonNullable<ReturnType<typeof loadSiteTemplates>['templates']>,
  shown: Pick<Selection, 'visible' | 'withdrawn'> & { permalinks: PermalinksFile; moves: PermalinkPlan },
  state: ReturnType<typeof readState>,
  files: ReturnType<typeof stateFiles> & { project: string },
  result: BuildResult,
  started: number,
): Promise<void> {
  const images = new ImageRegistry(state.images, config.root);
  const assets = assetPaths(templates.assets);
  const base: ViewBase = {
    config,
    links: new Links(config),
    strings: templates.sources.strings,
    assets: { css: assets.css, search: assets.search },
    now: options.now,
  };
  let renderer: Render | undefined;
  const local = () => {
    renderer ??= createRenderer(templates.sources, base);
    return renderer;
  };
  const global = cacheKey([templates.hash, configHash(config)]);
  const { visible, withdrawn, permalinks, moves } = shown;
  // Written before the output is swapped in: an address is recorded before anyone can see it.
  const record = (): boolean => {
    if (options.recordPermalinks === false) return true;
    try {
      result.permalinksWritten = writePermalinks(permalinks, moves);
      return true;
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      result.diagnostics.push(report('permalinks-write-failed', { reason, file: PERMALINKS_FILE }));
      return false;
    }
  };
  const search = options.search !== false;
  // The old addresses are part of what the output is made from: a redirect is a page.
  const redirects = moves.redirects.map((d) => `${d.from}>${permalinkOf(d.release)}`).join('\n');
  const inputs = buildInputs(
    `${global}\0${redirects}`,
    search,
    [...visible, ...withdrawn],
    options.now,
    config.root,
  );
  const verify = !!options.verifyCache;
  if (
    !options.clean &&
    !verify &&
    state.last?.inputs === inputs &&
    isLastOutput(config.site.outDir, state.output)
  ) {
    if (!record()) return;
    // Made from the same inputs as the output in place: planning it again would give every file the key
    // it has. Nothing is written, swapped or saved.
    result.pages = state.last.pages;
    result.diagnostics.push(...state.last.diagnostics);
    result.files = result.unchanged = state.output.current!.files.size;
    result.search.reused = search;
    result.timings.build = Math.round(performance.now() - started) - result.timings.check;
    return;
  }
  const plan = planSite(
    {
      ...base,
      model: siteModel(config, visible, { withdrawn, redirects: moves.redirects }),
      images,
      global,
    },
    assets.files,
  );
  result.diagnostics.push(...plan.diagnostics);
  result.pages = plan.pages;

  const out = config.site.outDir;
  const staging = new Staging(
    out,
    workFolders(out, files.dir, files.id),
    state.output,
    !!options.clean,
    files.project,
  );
  const empty = staging.has.size === 0;
  const desired = new Map<string, string>();
  const todo: PlannedOutput[] = [];
  const skipped: PlannedOutput[] = [];
  for (const o of plan.outputs) {
    desired.set(o.path, o.key);
    // Kept in the spare, or linked from the current output: either way the file does not change.
    if (staging.has.get(o.path) === o.key || staging.link(o.path, o.key)) {
      result.unchanged++;
      if (verify) skipped.push(o);
    } else todo.push(o);
  }
  for (const rel of staging.has.keys()) {
    if (!desired.has(rel) && !rel.startsWith(PAGEFIND_DIR)) staging.remove(rel);
  }

  // A feed entry's content, rendered once per build however many feeds carry it.
  const contents = new Map<string, string>();
  const feedContent = (e: PlannedFeedEntry): string => {
    let xml = contents.get(e.key);
    if (xml === undefined) {
      xml = escapeXml(local()(e.content()));
      contents.set(e.key, xml);
    }
    return xml;
  };
  const make = (dir: string, outputs: PlannedOutput[], emptyFolder: boolean) =>
    makeOutputs(dir, outputs, emptyFolder, feedContent, (pages) => {
      const threads = renderThreads(pages, options.threads);
      return new RenderPool(templates.sources, base, threads, local, emptyFolder);
    });
  const rendered = await make(staging.dir, todo, empty);
  if (verify && !rendered.failures.length) {
    result.diagnostics.push(
      ...(await verifySkipped(
        config,
        skipped,
        staging.dir,
        path.join(files.dir, `${files.id}.verify`),
        make,
      )),
    );
    if (hasErrors(result.diagnostics)) return;
  }
  for (const lost of rendered.lost) {
    const page = show(config, path.join(config.site.outDir, lost.path));
    result.diagnostics.push(workerFailed('rendering', lost.why, 'while writing this page', page));
  }
  if (rendered.failures.length) {
    // Report each template once, not once per page.
    const seen = new Set<string>();
    for (const f of rendered.failures) {
      const id = f.page ? `${f.page}:${f.message}` : `${f.code}`;
      if (seen.has(id)) continue;
      seen.add(id);
      result.diagnostics.push(failureDiagnostic(config, f));
    }
    return;
  }
  result.written += todo.length;
  result.timings.build = Math.round(performance.now() - started) - result.timings.check;

  const searchStarted = performance.now();
  await placeSearchIndex(staging, plan.outputs, desired, result, options.search !== false);
  result.timings.search = Math.round(performance.now() - searchStarted);
  if (hasErrors(result.diagnostics)) return;

  // Counted against the output being replaced (the spare the new one was made in may be older).
  const previous = isLastOutput(config.site.outDir, state.output) ? state.output.current!.files : new Map();
  for (const rel of previous.keys()) if (!desired.has(rel)) result.removed++;
  if (!record()) return;
  const output = staging.commit(desired);
  result.files = desired.size;
  const last = { inputs, pages: plan.pages, diagnostics: plan.diagnostics };
  writeState(files.state, { output, images: images.toJSON(), last });
}

/** Makes each output into `dir`: pages through a render pool (made for the number of pages), the others here. */
async function makeOutputs(
  dir: string,
  outputs: PlannedOutput[],
  emptyFolder: boolean,
  feedContent: (entry: PlannedFeedEntry) => string,
  createPool: (pages: number) => RenderPool,
): ReturnType<RenderPool['finish']> {
  const pool = createPool(outputs.filter((o) => o.make.kind === 'page').length);
  for (const o of outputs) {
    const make = o.make;
    if (make.kind === 'page') await pool.add(dir, make.job());
    else if (make.kind === 'text') writeFresh(dir, o.path, make.text(), emptyFolder);
    else if (make.kind === 'feed') writeFresh(dir, o.path, feedXml(make.feed(), feedContent), emptyFolder);
    else if (make.kind === 'bytes') writeFresh(dir, o.path, make.bytes, emptyFolder);
    else copyFresh(dir, o.path, make.file);
  }
  return pool.finish();
}

/**
 * `verifyCache`: makes the files the cache let the build skip into a scratch folder, and reports each
 * that differs from the one the output keeps (a key that misses something the file is made from).
 */
async function verifySkipped(
  config: Config,
  skipped: PlannedOutput[],
  kept: string,
  scratch: string,
  make: (dir: string, outputs: PlannedOutput[], emptyFolder: boolean) => ReturnType<typeof makeOutputs>,
): Promise<Diagnostic[]> {
  rmSync(scratch, { recursive: true, force: true });
  try {
    await make(scratch, skipped, true);
    const stale: Diagnostic[] = [];
    for (const o of skipped) {
      const again = readFileSync(path.join(scratch, o.path));
      if (!again.equals(readFileSync(path.join(kept, o.path))))
        stale.push(
          report('site-cache-stale', {
            page: o.path,
            file: show(config, path.join(config.site.outDir, o.path)),
          }),
        );
    }
    return stale;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Pagefind index depends on every release page: it is rebuilt when any of them changed, and kept
 * (or linked from the current output) otherwise.
 */
async function placeSearchIndex(
  staging: Staging,
  outputs: PlannedOutput[],
  desired: Map<string, string>,
  result: BuildResult,
  enabled: boolean,
): Promise<void> {
  const old = [...staging.has].filter(([rel]) => rel.startsWith(PAGEFIND_DIR));
  if (!enabled) {
    for (const [rel] of old) staging.remove(rel);
    return;
  }
  const h = createHash('sha256');
  for (const o of outputs) if (o.searchable) h.update(`${o.path}\0${o.key}\0`);
  const key = h.digest('hex').slice(0, 32);
  if (old.length && old.every(([, k]) => k === key)) {
    for (const [rel] of old) desired.set(rel, key);
    result.unchanged += old.length;
    result.search.reused = true;
    return;
  }
  const current = staging.currentFiles(PAGEFIND_DIR);
  if (current.length && current.every(([, k]) => k === key)) {
    for (const [rel] of old) staging.remove(rel);
    if (current.every(([rel]) => staging.link(rel, key))) {
      for (const [rel] of current) desired.set(rel, key);
      result.unchanged += current.length;
      result.search.reused = true;
      return;
    }
  }
  for (const [rel] of [...staging.has].filter(([r]) => r.startsWith(PAGEFIND_DIR))) staging.remove(rel);
  const index = await buildSearchIndex(staging.dir);
  if (index.errors.length) {
    result.diagnostics.push(report('site-search-failed', { errors: index.errors.join('; ') }));
    return;
  }
  for (const rel of index.files) desired.set(rel, key);
  result.written += index.files.length;
  result.search.pages = index.pages;
}
