import path from 'node:path';
import { checkImages } from '../assets/check.js';
import type { Config } from '../config/types.js';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { emailBodyHtml } from '../email/body-html.js';
import { checkNewsletterContent, HTML_WARN } from '../email/checks.js';
import { emailContent } from '../email/content.js';
import { Locator } from './locate.js';
import { loadEmailStrings } from '../email/strings.js';
import { listsForRelease, mailedByPublish } from '../publish/select.js';
import { checkSentCorrections } from '../publish/sent-corrections.js';
import { checkReleasePage } from '../site/release-rules.js';
import { checkPermalinks, PERMALINKS_FILE } from '../site/permalinks.js';
import { correctionsInFuture } from './corrections.js';
import { embargoNotes } from './press-fields.js';
import type { Release } from './types.js';
import { linkTimingRules } from './links.js';
import { checkReleases, type LoadOptions, type LoadResult } from './load.js';

export interface CheckOptions extends LoadOptions {
  /** Which releases `scs publish` will still mail is decided at this time (`newsletter.maxAge`). */
  now: Date;
  /** Add notes (`scs check --verbose`): how embargoes are read, which old addresses redirect. */
  notes?: boolean;
}

/**
 * `scs check`: the releases' own rules and the rules across files (`checkReleases`), then the rules the
 * archive and the newsletter apply to each release that is not a draft — the same functions the build
 * and the email renderer run — so that a clean check means `scs publish` can build and mail it.
 * Newsletter rules run for the releases publish will mail (see `mailedByPublish`), without MJML unless
 * a release is big enough for the email's size limit to matter.
 */
export async function checkProject(config: Config, options: CheckOptions): Promise<LoadResult> {
  const checked = await checkReleases(config, options);
  const inScope = new Set(checked.files);
  const at = new Locator(config.root);
  const strings = new Map<string, ReturnType<typeof loadEmailStrings>>();
  const stringsFor = (lang: string) =>
    strings.get(lang) ?? strings.set(lang, loadEmailStrings(config, lang)).get(lang)!;
  const found: Diagnostic[] = [
    ...linkTimingRules(config, checked.releases, options.now),
    ...(await pressRules(config, checked.releases, options)).filter(
      (d) => inScope.has(d.file!) || (d.file === PERMALINKS_FILE && wholeProject(config, options)),
    ),
  ];
  found.push(
    ...(await checkImages(
      config,
      checked.releases.filter((r) => !r.draft && inScope.has(r.file)),
    )),
  );
  for (const release of checked.releases) {
    if (release.draft || !inScope.has(release.file)) continue;
    found.push(...checkReleasePage(release, (needle, line) => at.find(release.path, needle, line)));
    if (mailedByPublish(config, release, options.now))
      found.push(...(await checkNewsletter(config, release, stringsFor(release.lang), at, options.now)));
  }
  const seen = new Set<string>();
  // Rules about the config (a sender's name …) come once per release: report each problem once.
  const fresh = found.filter((d) => {
    const key = JSON.stringify([d.code, d.file, d.line, d.column, d.message]);
    return !seen.has(key) && !!seen.add(key);
  });
  const bad = new Set(fresh.filter((d) => d.severity === 'error').map((d) => d.file));
  return {
    releases: checked.releases.filter((r) => !bad.has(r.file)),
    diagnostics: sortDiagnostics([...checked.diagnostics, ...fresh]),
    files: checked.files,
  };
}

/** The rules of the press office's workflow that depend on the clock or on more than one file. */
async function pressRules(config: Config, releases: Release[], options: CheckOptions): Promise<Diagnostic[]> {
  const at = { now: options.now, timeZone: config.timeZone, ...(options.notes ? { notes: true } : {}) };
  return [
    ...correctionsInFuture(releases, options.now, config.timeZone),
    ...(await checkSentCorrections(config, releases)),
    ...checkPermalinks(config.root, releases, at),
    ...(options.notes ? embargoNotes(releases, config.timeZone) : []),
  ];
}

/** Whether the check covers the whole project (no paths, or the project folder itself). */
function wholeProject(config: Config, options: CheckOptions): boolean {
  return !options.paths?.length || options.paths.some((p) => path.resolve(config.root, p) === config.root);
}

/** The newsletter's rules for every list the release goes to. */
async function checkNewsletter(
  config: Config,
  release: Release,
  strings: ReturnType<typeof loadEmailStrings>,
  at: Locator,
  now: Date,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [...strings.diagnostics];
  let sized = false;
  for (const list of listsForRelease(config, release)) {
    const content = await emailContent(config, release, list, strings.strings);
    out.push(...checkNewsletterContent(config, release, content, at));
    // The body's HTML is most of the email, and the same for every list: only when it alone is half
    // the warning size is the whole email rendered (MJML) to measure it.
    if (sized) continue;
    sized = true;
    if (Buffer.byteLength(emailBodyHtml(content.body, content)) <= HTML_WARN / 2) continue;
    // Loaded on use: MJML takes most of a second to load.
    const { renderNewsletter } = await import('../email/render.js');
    out.push(...(await renderNewsletter(config, release, { listId: list.id, now })).diagnostics);
  }
  return out;
}
