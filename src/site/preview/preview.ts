import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../../config/types.js';
import { checkReleases, type LoadSession, releasesUnchanged } from '../../content/load.js';
import { releaseOutputPath } from '../../content/permalink.js';
import { type Diagnostic, hasErrors, ScsError } from '../../core/diagnostic.js';
import { listen, shutdown } from '../../subscription/listen.js';
import { type BuildResult, buildSite } from '../build.js';
import { type LoopBuild, RebuildLoop } from '../rebuild-loop.js';
import type { BuildSession } from '../state.js';
import { selectReleases } from '../select.js';
import { loadSiteTemplates } from '../templates.js';
import { createPreviewServer, type EmailPreview, type PreviewState } from './server.js';

export interface PreviewOptions {
  host: string;
  port: number;
  /** Show drafts and releases not yet due (marked as previews); default true for both. */
  drafts: boolean;
  future: boolean;
  search: boolean;
  /** A fixed clock; default the real time at each build. */
  now?: Date;
  /** Reads the config (again after it changed); throws ScsError when it is invalid. */
  loadConfig: () => Config;
  emailPreview: EmailPreview;
  /** Told about every build, for the terminal. */
  onBuild?: (event: {
    ok: boolean;
    diagnostics: Diagnostic[];
    result?: BuildResult;
    reason: string;
    /** Milliseconds the check and the build took together. */
    elapsedMs: number;
  }) => void;
  /** Wait this long after a change for more changes before rebuilding. */
  debounceMs?: number;
  /** A folder the build reads cannot be watched (e.g. ENOSPC): its changes go unnoticed. */
  onUnwatchable?: (dir: string, code: string) => void;
}

export interface Preview {
  url: string;
  close(): Promise<void>;
}

/** The preview builds into `.scs/preview/site`, never into the real output folder. */
function previewConfig(config: Config): Config {
  return { ...config, site: { ...config.site, outDir: path.join(config.stateDir, 'preview', 'site') } };
}

/**
 * `scs preview`: builds the archive (drafts and future releases included unless turned off), serves
 * it on 127.0.0.1 and rebuilds on every change to releases, templates or the config; open pages
 * reload themselves. Release pages link to their newsletter preview.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  let state: PreviewState | undefined;
  // The release cache and the build state stay in memory between rebuilds: one edit, one file read.
  const session: LoadSession = {};
  const buildSession: BuildSession = {};

  async function build(reason: string, changed?: ReadonlySet<string>): Promise<LoopBuild> {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    let config: Config;
    try {
      config = previewConfig(options.loadConfig());
    } catch (e) {
      if (!(e instanceof ScsError) || !state) throw e;
      state = { ...state, failure: e.diagnostics };
      options.onBuild?.({ ok: false, diagnostics: e.diagnostics, reason, elapsedMs: elapsedMs() });
      live.reload();
      return {};
    }
    const now = options.now ?? new Date();
    if (changed) session.changed = changed;
    const checked = await checkReleases(config, { session });
    let diagnostics = checked.diagnostics;
    let result: BuildResult | undefined;
    if (!hasErrors(diagnostics)) {
      result = await buildSite(config, {
        now,
        drafts: options.drafts,
        future: options.future,
        search: options.search,
        releases: checked.releases,
        session: buildSession,
        recordPermalinks: false,
      });
      diagnostics = [...diagnostics, ...result.diagnostics];
    }
    const ok = !hasErrors(diagnostics);
    const visible = selectReleases(checked.releases, {
      now,
      drafts: options.drafts,
      future: options.future,
    }).visible;
    const strings = loadSiteTemplates(config).templates?.sources.strings ?? state?.strings ?? {};
    state = {
      config,
      outDir: config.site.outDir,
      pages: ok ? new Map(visible.map((r) => [releaseOutputPath(r), r])) : (state?.pages ?? new Map()),
      releases: ok ? new Map(visible.map((r) => [r.id, r])) : (state?.releases ?? new Map()),
      strings,
      ...(ok ? {} : { failure: diagnostics.filter((d) => d.severity === 'error') }),
    };
    options.onBuild?.({ ok, diagnostics, ...(result ? { result } : {}), reason, elapsedMs: elapsedMs() });
    live.reload();
    return { config, ...(result?.nextDue ? { nextDue: result.nextDue } : {}) };
  }

  const live = createPreviewServer(() => state!, options.emailPreview);
  const loop = new RebuildLoop({
    build,
    verify: () => !!state && releasesUnchanged(state.config, session),
    followClock: !options.now,
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.onUnwatchable ? { onUnwatchable: options.onUnwatchable } : {}),
  });
  await loop.start();
  let address: AddressInfo;
  try {
    address = await listen(live.server, options.host, options.port);
  } catch (e) {
    await loop.close();
    throw e;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const basePath = new URL(state!.config.site.baseUrl).pathname;
  return {
    url: `http://${host}:${address.port}${basePath}`,
    close: async () => {
      await loop.close();
      live.server.closeAllConnections();
      await shutdown(live.server, 1000);
    },
  };
}
