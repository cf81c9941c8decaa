import type { Config, NewsletterList } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Release } from '../content/types.js';
import { findRelease } from '../email/select.js';

/**
 * The releases `scs send <release>` and `scs status <release>` mean: a translation key or a slug names
 * every language version (narrowed by `lang`); anything else is an id or a file, as for `scs email`
 * (see `findRelease`: unknown names throw ScsError with exit 2, a named file with errors returns them).
 */
export function selectReleases(
  config: Config,
  loaded: { releases: Release[]; diagnostics: Diagnostic[] },
  name: string,
  options: { lang?: string; cwd?: string } = {},
): { releases: Release[]; diagnostics: Diagnostic[] } {
  const group = loaded.releases.filter(
    (r) =>
      (r.translationKey === name || r.slug === name) &&
      (options.lang === undefined || r.lang === options.lang),
  );
  if (group.length) return { releases: group, diagnostics: [] };
  const found = findRelease(config, loaded, name, options);
  return { releases: found.release ? [found.release] : [], diagnostics: found.diagnostics };
}

/** The lists a release goes to: its language, and a topic in common when the list names topics. */
export function listsFor(config: Config, release: Release): NewsletterList[] {
  return Object.values(config.newsletter.lists).filter(
    (l) =>
      l.lang === release.lang && (l.topics.length === 0 || l.topics.some((t) => release.topics.includes(t))),
  );
}
