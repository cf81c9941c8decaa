import type { Config } from '../config/types.js';
import { checkReleases, type LoadReuse, releasesUnchanged } from '../content/load.js';
import type { Release } from '../content/types.js';
import { type Diagnostic, hasErrors, ScsError } from '../core/diagnostic.js';
import { type BuildOptions, type BuildResult, buildSite } from '../site/build.js';
import { RebuildLoop } from './rebuild-loop.js';

export interface WatchOptions extends Omit<BuildOptions, 'now' | 'releases' | 'recordPermalinks'> {
  /** A fixed clock; default the real time at each build (and a rebuild when a hidden release comes due). */
  now?: Date;
  /** Reads the config (again after it changed); throws ScsError when it is invalid. */
  loadConfig: () => Config;
  /** Told about every build. */
  onBuild: (event: WatchEvent) => void;
  /** Wait this long after a change for more changes before rebuilding. */
  debounceMs?: number;
  /** A folder the build reads cannot be watched (e.g. ENOSPC): its changes go unnoticed. */
  onUnwatchable?: (dir: string, code: string) => void;
}

export interface WatchEvent {
  ok: boolean;
  /** The config the build used; absent when it could not be read. */
  config?: Config;
  /** What started the build: "start", the name of the changed file, or "due". */
  reason: string;
  diagnostics: Diagnostic[];
  /** Absent when the config or the releases had errors (nothing was built). */
  result?: BuildResult;
  /** Every release read (visible or not), and the clock the build used, when it was built. */
  releases?: Release[];
  now?: Date;
  /** Milliseconds the check and the build took together. */
  elapsedMs: number;
}

export interface Watching {
  /** Stops watching, after the build in progress. */
  close(): Promise<void>;
}

/**
 * `scs build --watch`: builds the archive, then rebuilds it whenever a release, a template or the config
 * changes, and when a hidden release comes due. Release files are read once; a rebuild after an edit
 * reads the edited file and renders what depends on it. A failed build leaves the output as it was.
 */
export async function watchSite(options: WatchOptions): Promise<Watching> {
  const {
    loadConfig,
    onBuild,
    debounceMs,
    onUnwatchable,
    now: fixedNow,
    clean,
    forceOut,
    ...buildOptions
  } = options;
  // `clean` and `forceOut` are for the first build: the ones after it build on it.
  let first = true;
  // The release cache stays in memory between rebuilds (the build state is read back: a few ms).
  const reuse: LoadReuse = {};
  let config: Config | undefined;
  const loop = new RebuildLoop({
    followClock: !fixedNow,
    verify: () => !!config && releasesUnchanged(config, reuse),
    ...(debounceMs === undefined ? {} : { debounceMs }),
    ...(onUnwatchable ? { onUnwatchable } : {}),
    build: async (reason, changed) => {
      const started = performance.now();
      const elapsedMs = () => Math.round(performance.now() - started);
      try {
        config = loadConfig();
      } catch (e) {
        if (!(e instanceof ScsError)) throw e;
        onBuild({ ok: false, reason, diagnostics: e.diagnostics, elapsedMs: elapsedMs() });
        return {};
      }
      if (changed) reuse.changed = changed;
      const checked = await checkReleases(config, { reuse });
      if (hasErrors(checked.diagnostics)) {
        onBuild({ ok: false, config, reason, diagnostics: checked.diagnostics, elapsedMs: elapsedMs() });
        return { config };
      }
      const now = fixedNow ?? new Date();
      const result = await buildSite(config, {
        ...buildOptions,
        now,
        releases: checked.releases,
        clean: !!clean && first,
        forceOut: !!forceOut && first,
        recordPermalinks: false,
      });
      if (result.ok) first = false;
      const diagnostics = [...checked.diagnostics, ...result.diagnostics];
      onBuild({
        ok: result.ok,
        config,
        reason,
        diagnostics,
        result,
        releases: checked.releases,
        now,
        elapsedMs: elapsedMs(),
      });
      return { config, ...(result.nextDue ? { nextDue: result.nextDue } : {}) };
    },
  });
  await loop.start();
  return { close: () => loop.close() };
}
