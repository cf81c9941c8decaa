import path from 'node:path';
import type { Config } from '../config/types.js';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { existsOnce, projectPath } from './files.js';
import { scan, startScan } from './scan.js';
import { ParseCache } from './cache.js';
import { parseCacheSize } from './cache-files.js';
import { parseFilesParallel } from './parallel.js';
import { cancelParsers } from './parser-threads.js';
import type { FileResult } from './read.js';
import { crossFileRules } from './rules.js';
import { linkRules } from './links.js';
import type { Release } from './types.js';

export interface LoadOptions {
  /** Files or folders to report on; default every release below the config's releases folder. */
  paths?: string[];
  /** Reuse results for unchanged files from `.scs/cache/` (default true). */
  cache?: boolean;
  /**
   * For a process that checks again and again (`scs preview`): the same object on every call keeps the
   * cache in memory between them, so a check after an edit reads the one file and nothing else.
   */
  reuse?: LoadReuse;
  /** Threads that parse (this one included); default: all cores for a large tree. */
  threads?: number;
}

/** State a long-lived process keeps between checks (see LoadOptions.reuse); start with `{}`. */
export interface LoadReuse {
  cache?: ParseCache;
  /**
   * Set before a check by a caller that watches the files (`scs build --watch`, `scs preview`): the files
   * a watcher saw change since the last check. Every other file the cache knows is taken as it was then,
   * without asking the file system (ten thousand calls in a large tree). Used by one check.
   */
  changed?: ReadonlySet<string>;
  /** The release files the last check found. */
  files?: readonly string[];
}

export interface LoadResult {
  /** Valid releases, sorted newest first (then by id). */
  releases: Release[];
  diagnostics: Diagnostic[];
  /** The release files looked at (relative paths). */
  files: string[];
}

/** About four thousand releases: from there a second thread scanning the tree pays for its start. */
const BIG_CACHE_BYTES = 4 * 1024 * 1024;

// Ties by id in code-point order: ids are ASCII slugs, and a locale-aware comparison costs ten times more.
const byDateDesc = (a: Release, b: Release) =>
  b.date.getTime() - a.date.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Reads and validates every release file; diagnostics per file, no rules across files. */
export async function loadReleases(config: Config, options: LoadOptions = {}): Promise<LoadResult> {
  const show = (abs: string) => projectPath(config.root, abs) || '.';
  const roots = [config.releasesDir, ...(options.paths ?? []).map((p) => path.resolve(config.root, p))];
  const kept =
    options.cache !== false && options.reuse?.cache?.isFor(config) ? options.reuse.cache : undefined;
  const changed = kept ? options.reuse?.changed : undefined;
  if (options.reuse) delete options.reuse.changed;
  const cacheSize = options.cache === false ? 0 : parseCacheSize(config);
  // The cache serves most files: parser threads started ahead would only compete with the scan.
  if (cacheSize > 0 || kept) cancelParsers();
  // With a big cache to load, the tree is scanned on another thread meanwhile.
  const scanning = startScan(
    {
      root: config.root,
      roots,
      exclude: [config.site.outDir, config.stateDir],
      stats: cacheSize > 0 || !!kept,
    },
    !kept && cacheSize > BIG_CACHE_BYTES,
    changed && kept ? (abs) => (changed.has(abs) ? undefined : kept.stamp(abs)) : undefined,
  );
  const cache = options.cache === false ? undefined : (kept ?? new ParseCache(config));
  if (options.reuse && cache) options.reuse.cache = cache;
  const found = await scanning.wait();
  if (options.reuse && !options.paths?.length) options.reuse.files = found.files;
  const results: FileResult[] = [];
  const todo: string[] = [];
  const exists = existsOnce();
  found.files.forEach((abs, i) => {
    const size = found.sizes?.[i] ?? -1;
    const hit = size >= 0 && cache?.get(abs, size, found.mtimes![i]!, exists);
    if (hit) results.push(hit);
    else todo.push(abs);
  });
  const parsed = await parseFilesParallel(config, todo, options.threads);
  results.push(...parsed.records);
  cache?.save(new Set(found.files), parsed);
  const releases: Release[] = [];
  const diagnostics: Diagnostic[] = [...found.diagnostics, ...parsed.diagnostics];
  for (const r of results) {
    if (r.release) releases.push(r.release);
    diagnostics.push(...r.diagnostics);
  }
  releases.sort(byDateDesc);
  return { releases, diagnostics, files: found.files.map(show) };
}

/**
 * Whether the release files are still what the last check with this `reuse` found: no file added or
 * gone, each with the size and modification time it had, and the images it names still there or still
 * missing. For a watching process, after a check that took the watcher's word (LoadReuse.changed) for which
 * files changed: false means the watcher missed something, and the next check must ask about every file.
 */
export function releasesUnchanged(config: Config, reuse: LoadReuse): boolean {
  const cache = reuse.cache;
  const before = reuse.files;
  if (!cache || !before) return false;
  const found = scan({
    root: config.root,
    roots: [config.releasesDir],
    exclude: [config.site.outDir, config.stateDir],
    stats: true,
  });
  if (found.files.length !== before.length || found.files.some((f, i) => f !== before[i])) return false;
  const exists = existsOnce();
  return found.files.every((abs, i) => !!cache.get(abs, found.sizes![i]!, found.mtimes![i]!, exists));
}

/**
 * The full check: every file, then the rules across files. With `paths`, all releases are still read
 * (a duplicate slug needs the others) but only problems in the given files are reported.
 */
export async function checkReleases(config: Config, options: LoadOptions = {}): Promise<LoadResult> {
  const loaded = await loadReleases(config, options);
  let diagnostics = [
    ...loaded.diagnostics,
    ...crossFileRules(loaded.releases),
    ...linkRules(config, loaded.releases),
  ];
  let files = loaded.files;
  if (options.paths?.length) {
    const show = (abs: string) => projectPath(config.root, abs) || '.';
    const wanted = options.paths.map((p) => show(path.resolve(config.root, p)));
    const inScope = (f?: string) => !!f && wanted.some((w) => w === '.' || f === w || f.startsWith(`${w}/`));
    diagnostics = diagnostics.filter((d) => inScope(d.file));
    files = files.filter(inScope);
  }
  // A release with an error in a rule across files is not valid either.
  const bad = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  return {
    releases: loaded.releases.filter((r) => !bad.has(r.file)),
    diagnostics: sortDiagnostics(diagnostics),
    files,
  };
}
