import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { releaseOutputPath } from '../content/permalink.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { BuildResult } from '../site/build.js';
import { selectReleases } from '../site/select.js';
import { loadSiteTemplates } from '../site/templates.js';
import { listen, shutdown } from '../subscription/listen.js';
import { createPreviewServer, type EmailPreview, type PreviewState } from './server.js';
import { watchSite } from './watch.js';

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
 * `scs preview`: the watch of `scs build --watch` (drafts and future releases included unless turned
 * off, built into `.scs/preview/site`) plus a server on 127.0.0.1 that shows its last good build; open
 * pages reload themselves after each build. Release pages link to their newsletter preview.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  let state: PreviewState | undefined;
  // A config that cannot be read at the start leaves nothing to show: startPreview throws its error.
  let startFailure: unknown;
  const live = createPreviewServer(() => state!, options.emailPreview);
  const watching = await watchSite({
    loadConfig: () => {
      try {
        return previewConfig(options.loadConfig());
      } catch (e) {
        if (!state) startFailure = e;
        throw e;
      }
    },
    drafts: options.drafts,
    future: options.future,
    search: options.search,
    ...(options.now ? { now: options.now } : {}),
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.onUnwatchable ? { onUnwatchable: options.onUnwatchable } : {}),
    onBuild: (e) => {
      const { ok, diagnostics, result, reason, elapsedMs, config, releases, now } = e;
      if (!config) {
        if (state) state = { ...state, failure: diagnostics };
      } else {
        // With the clock the build used: the pages served are those it made.
        const visible =
          ok && releases && now
            ? selectReleases(releases, { now, drafts: options.drafts, future: options.future }).visible
            : undefined;
        const strings = loadSiteTemplates(config).templates?.sources.strings ?? state?.strings ?? {};
        state = {
          config,
          outDir: config.site.outDir,
          pages: visible
            ? new Map(visible.map((r) => [releaseOutputPath(r), r]))
            : (state?.pages ?? new Map()),
          releases: visible ? new Map(visible.map((r) => [r.id, r])) : (state?.releases ?? new Map()),
          strings,
          ...(ok ? {} : { failure: diagnostics.filter((d) => d.severity === 'error') }),
        };
      }
      if (!startFailure) {
        options.onBuild?.({ ok, diagnostics, ...(result ? { result } : {}), reason, elapsedMs });
        live.reload();
      }
    },
  });
  if (startFailure) {
    await watching.close();
    throw startFailure;
  }
  let address: AddressInfo;
  try {
    address = await listen(live.server, options.host, options.port);
  } catch (e) {
    await watching.close();
    throw e;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const basePath = new URL(state!.config.site.baseUrl).pathname;
  return {
    url: `http://${host}:${address.port}${basePath}`,
    close: async () => {
      await watching.close();
      live.server.closeAllConnections();
      await shutdown(live.server, 1000);
    },
  };
}
