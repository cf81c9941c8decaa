import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { releaseOutputPath } from '../content/permalink.js';
import { keyPosition } from '../content/rules.js';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { localDateTime } from '../core/time.js';

/**
 * scs.permalinks: every address the archive has published, and the release file it belongs to — kept
 * in the project and committed with the releases, like a lockfile, so that a CI runner that forgets
 * everything still knows which old addresses must keep answering. One line per address, sorted:
 *
 *   /sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/ releases/2026/2026-10-14-bergrum.sv.md
 *
 * A release is named by its file, not its id: the id follows the slug, which is what changes when a
 * title is edited; the file stays. This module reads the file, plans (pure) what a build at `now` makes
 * of it, and writes it; `scs build` records, `scs check` only reads.
 */
export const PERMALINKS_FILE = 'scs.permalinks';

const HEADER = [
  '# Every address the press archive has published, and the release file it belongs to.',
  '# "scs build" adds the addresses it publishes: commit this file with the releases. Never remove a',
  '# line: an address whose release was moved redirects, and a withdrawn release keeps its notice.',
];

/** An address: the path of a release page below the site root, as it was published. */
const URL_RE = /^\/[a-z]{2,3}(?:-[A-Za-z0-9]+)*\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;

export interface PermalinkEntry {
  /** `/sv/2026/10/14/<slug>/`. */
  url: string;
  /** The release file, relative to the project root (forward slashes). */
  file: string;
  /** 1-based line in scs.permalinks. */
  line: number;
}

export interface PermalinksFile {
  /** Absolute path. */
  path: string;
  /** The text as read; undefined when there is no file yet. */
  text?: string;
  /** Comment lines at the top, kept as written. */
  header: string[];
  entries: PermalinkEntry[];
  /** A line that cannot be read, an address listed twice. */
  diagnostics: Diagnostic[];
}

/** The address of a release page as scs.permalinks writes it. */
export const permalinkOf = (r: Pick<Release, 'lang' | 'localDate' | 'slug'>) => `/${releaseOutputPath(r)}`;

/** Reads and parses the project's scs.permalinks; none is an empty one. */
export function readPermalinks(root: string): PermalinksFile {
  const file = path.join(root, PERMALINKS_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      const unreadable = report('permalinks-unreadable', {
        reason: code ?? String(e),
        file: PERMALINKS_FILE,
      });
      return { path: file, text: '', header: [], entries: [], diagnostics: [unreadable] };
    }
  }
  return { path: file, ...(text === undefined ? {} : { text }), ...parsePermalinks(text ?? '') };
}

/**
 * `scs check`: what a build at `now` would make of the recorded addresses (nothing to say when the
 * project has no scs.permalinks yet: its first build writes one). The file is never written here.
 */
export function checkPermalinks(
  root: string,
  releases: readonly Release[],
  options: { now: Date; timeZone: string; notes?: boolean },
): Diagnostic[] {
  const file = readPermalinks(root);
  if (file.text === undefined || file.diagnostics.length) return file.diagnostics;
  const plan = planPermalinks(file.entries, releases, options.now, (f) => existsSync(path.join(root, f)));
  return permalinkDiagnostics(plan, { for: 'check', ...options });
}

export function parsePermalinks(text: string): Pick<PermalinksFile, 'header' | 'entries' | 'diagnostics'> {
  const header: string[] = [];
  const entries: PermalinkEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '' || content.trimStart().startsWith('#')) {
      if (!entries.length && content.trim() !== '') header.push(content);
      return;
    }
    const at = { file: PERMALINKS_FILE, line: i + 1, column: 1 };
    const line = content.trim();
    const space = line.search(/\s/);
    const url = space < 0 ? line : line.slice(0, space);
    const file = space < 0 ? '' : line.slice(space).trim();
    const reason = !file
      ? 'there is no release file after the address'
      : !URL_RE.test(url)
        ? 'the address is not /<lang>/YYYY/MM/DD/<slug>/'
        : file.startsWith('/') || file.split('/').includes('..')
          ? 'the release file must be a path inside the project, such as releases/2026/x.sv.md'
          : undefined;
    const first = seen.get(url);
    if (reason) diagnostics.push(report('permalinks-invalid', { text: content, reason, ...at }));
    else if (first !== undefined) diagnostics.push(report('permalinks-duplicate', { url, first, ...at }));
    else {
      seen.set(url, at.line);
      entries.push({ url, file, line: at.line });
    }
  });
  return { header, entries, diagnostics };
}

/** An old address that leads on to where its release is now. */
export interface Redirect {
  /** The old page's path in the output (`sv/2026/10/14/<old-slug>/`). */
  from: string;
  release: Release;
  /** First seen by this build: the release's new address was not recorded yet. */
  fresh: boolean;
  /** Its line in scs.permalinks. */
  line: number;
}

export interface PermalinkPlan {
  redirects: Redirect[];
  /** What the file records once this build has published: address → release file. */
  entries: Map<string, string>;
  /** Whether that differs from what the file says. */
  changed: boolean;
  /** Published releases whose address the file does not record yet. */
  unrecorded: Release[];
  /** Recorded addresses nothing answers at: the release file is gone, or is no longer published. */
  lost: { entry: PermalinkEntry; release?: Release }[];
  /** Releases that would be published at an address recorded for another release file. */
  taken: { release: Release; entry: PermalinkEntry }[];
}

const isOut = (r: Release, now: Date) => !r.draft && r.publishAt.getTime() <= now.getTime();

/**
 * What the recorded addresses and the releases make at `now` (pure): a redirect from each address a
 * published release had before to where it is now, and the entries with every published address added.
 * `exists` says whether a release file is there (one with errors is not among `releases`, and answers
 * for itself). Withdrawn releases are published too: their address shows the notice.
 */
export function planPermalinks(
  recorded: readonly PermalinkEntry[],
  releases: readonly Release[],
  now: Date,
  exists: (file: string) => boolean,
): PermalinkPlan {
  const byUrl = new Map(recorded.map((e) => [e.url, e]));
  const byFile = new Map(releases.map((r) => [r.file, r]));
  const entries = new Map(recorded.map((e) => [e.url, e.file]));
  const current = new Set<string>();
  const plan: PermalinkPlan = { redirects: [], entries, changed: false, unrecorded: [], lost: [], taken: [] };
  for (const r of releases) {
    if (!isOut(r, now)) continue;
    const url = permalinkOf(r);
    current.add(url);
    const entry = byUrl.get(url);
    if (!entry) plan.unrecorded.push(r);
    else if (entry.file !== r.file && (byFile.has(entry.file) || exists(entry.file))) {
      plan.taken.push({ release: r, entry });
      continue;
    }
    // New, or the file was renamed or moved: the address is the same, its file is this one now.
    entries.set(url, r.file);
  }
  for (const entry of recorded) {
    if (current.has(entry.url)) continue;
    const r = byFile.get(entry.file);
    if (r && isOut(r, now))
      plan.redirects.push({
        from: entry.url.slice(1),
        release: r,
        fresh: !byUrl.has(permalinkOf(r)),
        line: entry.line,
      });
    else if (r || !exists(entry.file)) plan.lost.push({ entry, ...(r ? { release: r } : {}) });
  }
  plan.changed = recorded.length !== entries.size || recorded.some((e) => entries.get(e.url) !== e.file);
  return plan;
}

/** The file's text for a plan's entries: its own comment lines on top, then one line per address, sorted. */
export function formatPermalinks(header: readonly string[], entries: ReadonlyMap<string, string>): string {
  const urls = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const top = header.length ? header : HEADER;
  return `${[...top, ...urls.map((u) => `${u} ${entries.get(u)}`)].join('\n')}\n`;
}

/**
 * Writes the file when the plan changed it: whole (a temporary file renamed over it) or not at all. The
 * file is the user's, tracked in version control: nothing else ever writes it.
 */
export function writePermalinks(file: PermalinksFile, plan: PermalinkPlan): boolean {
  if (!plan.changed) return false;
  const text = formatPermalinks(file.header, plan.entries);
  if (text === file.text) return false;
  const tmp = `${file.path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file.path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  return true;
}

/**
 * What a plan means to the user. For `check`, a lost address is an error and the notes tell what
 * redirects and what is not recorded yet; for `build`, which keeps the line and publishes the rest, a
 * lost address is a warning. An address taken by another release is an error in both.
 */
export function permalinkDiagnostics(
  plan: PermalinkPlan,
  options: { for: 'check' | 'build'; timeZone: string; notes?: boolean },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const severity = options.for === 'check' ? 'error' : 'warning';
  for (const { entry, release } of plan.lost) {
    const at = { file: PERMALINKS_FILE, line: entry.line, column: 1, severity } as const;
    if (!release)
      out.push(report('permalink-release-missing', { url: entry.url, release: entry.file, ...at }));
    else {
      const why = release.draft
        ? 'a draft'
        : `held back until ${localDateTime(release.publishAt, options.timeZone)}`;
      out.push(report('permalink-release-unpublished', { url: entry.url, release: entry.file, why, ...at }));
    }
  }
  for (const { release, entry } of plan.taken)
    out.push(
      report('permalink-taken', {
        url: entry.url,
        owner: entry.file,
        file: release.file,
        ...keyPosition(release, 'slug', 'title'),
      }),
    );
  if (options.for !== 'check') return out;
  for (const r of plan.redirects) {
    const to = permalinkOf(r.release);
    if (r.fresh)
      out.push(
        report('permalink-moved', {
          from: `/${r.from}`,
          to,
          slug: r.from.split('/').at(-2)!,
          file: r.release.file,
          ...keyPosition(r.release, 'slug', 'title'),
        }),
      );
    else if (options.notes)
      out.push(
        report('permalink-redirect', {
          from: `/${r.from}`,
          to,
          file: PERMALINKS_FILE,
          line: r.line,
          column: 1,
        }),
      );
  }
  const moved = new Set(plan.redirects.filter((r) => r.fresh).map((r) => r.release));
  if (options.notes)
    for (const r of plan.unrecorded.filter((u) => !moved.has(u)))
      out.push(
        report('permalink-unrecorded', {
          url: permalinkOf(r),
          file: r.file,
          ...keyPosition(r, 'slug', 'title'),
        }),
      );
  return out;
}
