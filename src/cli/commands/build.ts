import path from 'node:path';
import { Command } from 'commander';
import { usageError } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';
import { localDateTime } from '../../core/time.js';
import type { Config } from '../../config/types.js';
import type { BuildResult } from '../../site/build.js';
import type { WatchOptions } from '../../dev/watch.js';
import { type Cli, resolveNow, untilStopped } from '../context.js';
import { formatDiagnostics } from '../output.js';
import { prestartParsers } from '../../content/parser-threads.js';

export interface BuildFlags {
  out?: string;
  baseUrl?: string;
  drafts?: boolean;
  future?: boolean;
  now?: string;
  search: boolean;
  clean?: boolean;
  threads?: string;
  json?: boolean;
  watch?: boolean;
  forceOut?: boolean;
}

/** --base-url must be an absolute http(s) URL. */
export function checkBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw usageError(
      `--base-url "${value}" is not an http(s) URL.`,
      'Write the full public address, e.g. https://press.example.org/.',
    );
  }
  return value;
}

export function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw usageError(
      `--threads "${value}" is not a positive whole number.`,
      'Use 1 to render in one thread, or the number of cores.',
    );
  }
  return Number(value);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The result as JSON for scripts and schedulers (times as local date-times with offset). */
function buildJson(result: BuildResult, timeZone: string) {
  return {
    ok: result.ok,
    outDir: result.outDir,
    pages: result.pages,
    files: result.files,
    written: result.written,
    unchanged: result.unchanged,
    removed: result.removed,
    releases: result.releases,
    withdrawn: result.withdrawn,
    hidden: result.hidden,
    redirects: result.redirects,
    permalinksWritten: result.permalinksWritten,
    nextDue: result.nextDue ? localDateTime(result.nextDue, timeZone) : null,
    search: result.search,
    images: result.images,
    timings: result.timings,
    diagnostics: result.diagnostics,
  };
}

export function buildCommand(cli: Cli): Command {
  return new Command('build')
    .description('Build the static press archive: release pages, archive, feeds, sitemap and search.')
    .option('--out <dir>', 'output folder (default: site.out in the config, "public")')
    .option('--base-url <url>', 'public base URL of the archive (overrides site.baseUrl)')
    .option('--drafts', 'include drafts')
    .option('--future', 'include releases dated in the future or under embargo')
    .option('--now <date-time>', 'the current time (for scripts and tests)')
    .option('--no-search', 'leave out the search index')
    .option('--clean', 'ignore the cache and render every file again')
    .option('--force-out', 'take over an output folder scs did not make: move it aside to <out>.before-scs')
    .option('--threads <n>', 'rendering threads (default: all cores for large builds)')
    .option('--json', 'print the result as JSON on stdout (with --watch: a line per build)')
    .option('--watch', 'rebuild whenever a release, a template or the config changes, until Ctrl+C')
    .action(async function (this: Command, opts: BuildFlags) {
      const baseUrl = checkBaseUrl(opts.baseUrl);
      const threads = parseThreads(opts.threads);
      const overrides = { ...(opts.out ? { outDir: opts.out } : {}), ...(baseUrl ? { baseUrl } : {}) };
      const config = cli.config(this, overrides);
      // Loaded here, so other commands do not pay for the site builder at start-up.
      const { buildSite, outputRefusal } = await import('../../site/build.js');
      const refusal = outputRefusal(config);
      if (refusal) throw new ScsError([refusal], 2);
      prestartParsers(config);
      const now = resolveNow(opts.now, config.timeZone);
      // A test mode: every file the cache would skip is made again and compared (site-cache-stale).
      const verifyCache = cli.env.SCS_VERIFY_CACHE === '1';
      if (opts.watch) {
        await watchBuilds(cli, opts, config, {
          loadConfig: () => cli.config(this, overrides),
          ...(opts.now === undefined ? {} : { now }),
          ...(threads ? { threads } : {}),
          clean: !!opts.clean,
          forceOut: !!opts.forceOut,
          verifyCache,
        });
        return;
      }
      const result = await buildSite(config, {
        now,
        drafts: !!opts.drafts,
        future: !!opts.future,
        search: opts.search,
        clean: !!opts.clean,
        forceOut: !!opts.forceOut,
        verifyCache,
        ...(threads ? { threads } : {}),
      });
      cli.exit(result.ok ? 0 : 1);
      if (opts.json) {
        // Diagnostics go to stderr, with --json too: stdout is the result alone.
        cli.diagnostics(result.diagnostics, config.root);
        cli.json(buildJson(result, config.timeZone));
      } else reportBuild(cli, result, config, `Built ${result.pages} pages (${result.files} files)`);
    });
}

/**
 * The build's outcome for a person: diagnostics, what was written, then (unless `brief`: a rebuild in
 * watch mode) search, what is published, and what comes due.
 */
function reportBuild(
  cli: Cli,
  result: BuildResult,
  config: Config,
  heading: string,
  options: { ms?: number; brief?: boolean } = {},
): void {
  if (result.diagnostics.length)
    cli.err(formatDiagnostics(result.diagnostics, 'pretty', { root: config.root, color: cli.color }));
  const out = path.relative(cli.cwd, result.outDir) || '.';
  if (!result.ok && !result.files) {
    cli.err(cli.c.red(`Build stopped; ${out}/ is unchanged.`));
    return;
  }
  // An image that cannot be used stops only itself: the rest of the output is in place.
  if (!result.ok) cli.err(cli.c.red('Built without the images reported above: fix them and build again.'));
  const t = result.timings;
  cli.out(
    `${heading} into ${out}/ in ${seconds(options.ms ?? t.check + t.build)}: ` +
      `${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed.`,
  );
  if (options.brief) return;
  const search = result.search;
  if (!search.enabled) cli.out('Search: not built (--no-search).');
  else if (search.reused) cli.out('Search: index unchanged.');
  else cli.out(`Search: ${search.pages} pages indexed in ${seconds(t.search)}.`);
  const releases = (n: number) => `${n} release${n === 1 ? '' : 's'}`;
  cli.out(
    `${releases(result.releases)} published${result.withdrawn ? `, ${result.withdrawn} withdrawn` : ''}${result.hidden ? `, ${result.hidden} hidden (drafts, future or embargoed)` : ''}.`,
  );
  for (const r of result.redirects.filter((d) => d.fresh))
    cli.out(`Moved: ${r.from} now redirects to ${r.to}`);
  const moved = result.redirects.length;
  if (moved) cli.out(`${moved} old address${moved === 1 ? ' redirects' : 'es redirect'} (see _redirects).`);
  if (result.permalinksWritten)
    cli.out('scs.permalinks: new addresses recorded; commit it with the releases.');
  if (result.nextDue) cli.out(`next due: ${localDateTime(result.nextDue, config.timeZone)}`);
}

/** Tells the user of a folder whose changes a watch cannot follow, and what to do. */
export function warnUnwatchable(cli: Cli, root: string): (dir: string, code: string) => void {
  return (dir, code) => {
    const hint =
      code === 'ENOSPC'
        ? 'The system limit of watched folders is reached: raise it (on Linux: sudo sysctl fs.inotify.max_user_watches=524288).'
        : 'Check that you may read the folder; rebuild by hand after changing files in it.';
    cli.err(
      cli.c.yellow(
        `warning: cannot watch ${path.relative(root, dir) || '.'}/ (${code}): changes there are not picked up. ${hint}`,
      ),
    );
  };
}

/**
 * `scs build --watch`: a report per build (a JSON line each with --json) until Ctrl+C. Mistakes in a
 * release or the config are reported and the watch goes on; the output stays as the last good build.
 */
async function watchBuilds(
  cli: Cli,
  opts: BuildFlags,
  initial: Config,
  options: Pick<WatchOptions, 'loadConfig' | 'now' | 'threads' | 'clean' | 'forceOut' | 'verifyCache'>,
): Promise<void> {
  const { watchSite } = await import('../../dev/watch.js');
  const watching = await watchSite({
    ...options,
    drafts: !!opts.drafts,
    future: !!opts.future,
    search: opts.search,
    onUnwatchable: warnUnwatchable(cli, initial.root),
    onBuild: (e) => {
      const config = e.config ?? initial;
      if (opts.json) {
        // The check's warnings as well as the build's.
        const json = e.result
          ? buildJson({ ...e.result, diagnostics: e.diagnostics }, config.timeZone)
          : { ok: false, diagnostics: e.diagnostics };
        cli.out(JSON.stringify({ reason: e.reason, elapsedMs: e.elapsedMs, ...json }));
      } else if (e.result) {
        const isStart = e.reason === 'start';
        const heading = isStart
          ? `Built ${e.result.pages} pages (${e.result.files} files)`
          : `Rebuilt (${e.reason})`;
        const result = { ...e.result, diagnostics: e.diagnostics };
        reportBuild(cli, result, config, heading, { ms: e.elapsedMs, brief: !isStart });
      } else {
        cli.err(formatDiagnostics(e.diagnostics, 'pretty', { root: config.root, color: cli.color }));
        cli.err(cli.c.red(`Not built (${e.reason}); the output is as the last good build left it.`));
      }
    },
  });
  cli.err('Watching releases, templates and the config. Press Ctrl+C to stop.');
  await untilStopped();
  await watching.close();
}
