import path from 'node:path';
import type { Config, NewsletterList } from '../config/types.js';
import { diag, type Diagnostic } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';
import type { Release } from '../content/types.js';

type Selection<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The releases `scs send <release>` means: an id (`sv/<slug>`), a file (absolute, or relative to the
 * project root), a translation key (every language version) or a slug. `lang` picks one language
 * version, following the translation key from the one named.
 */
export function selectReleases(config: Config, releases: readonly Release[], name: string, lang?: string): Selection<Release[]> {
  const file = path.resolve(config.root, name);
  const named =
    [releases.filter((r) => r.id === name), releases.filter((r) => r.path === file)].find((m) => m.length) ??
    releases.filter((r) => r.translationKey === name || r.slug === name);
  if (!named.length) {
    return {
      ok: false,
      diagnostics: [
        diag('release-not-found', 'error', `No valid release is called "${name}".`, {
          hint: `Name a release by its id (such as ${releases[0]?.id ?? 'sv/my-release'}), its file, its slug or its translation key; "scs check" shows releases with errors.${didYouMean(name, releases.map((r) => r.id))}`,
        }),
      ],
    };
  }
  if (lang === undefined) return { ok: true, value: named };
  const keys = new Set(named.map((r) => r.translationKey).filter((k) => k !== undefined));
  const inLang = releases.filter((r) => r.lang === lang && (named.includes(r) || (r.translationKey !== undefined && keys.has(r.translationKey))));
  if (!inLang.length) {
    return {
      ok: false,
      diagnostics: [
        diag('release-language-missing', 'error', `"${name}" has no version in "${lang}".`, {
          hint: `It exists in: ${[...new Set(named.map((r) => r.lang))].join(', ')}. Versions are linked by the same translationKey.`,
        }),
      ],
    };
  }
  return { ok: true, value: inLang };
}

/** The lists a release goes to: same language, and a topic in common when the list names topics. */
export function listsFor(config: Config, release: Release): NewsletterList[] {
  return Object.values(config.newsletter.lists).filter(
    (l) => l.lang === release.lang && (l.topics.length === 0 || l.topics.some((t) => release.topics.includes(t))),
  );
}

/** `--list`: the named list, which must exist and be in the release's language. */
export function selectList(config: Config, release: Release, listId: string): Selection<NewsletterList> {
  const list = config.newsletter.lists[listId];
  const ids = Object.keys(config.newsletter.lists);
  if (!list) {
    return {
      ok: false,
      diagnostics: [
        diag('list-unknown', 'error', `There is no newsletter list "${listId}".`, {
          hint: ids.length ? `Lists: ${ids.join(', ')}.${didYouMean(listId, ids)}` : 'Declare lists under newsletter.lists in the configuration.',
        }),
      ],
    };
  }
  if (list.lang !== release.lang) {
    return {
      ok: false,
      diagnostics: [
        diag('list-language-mismatch', 'error', `The list "${listId}" is in "${list.lang}"; ${release.id} is in "${release.lang}".`, {
          file: release.file,
          hint: `Send the ${list.lang} version of the release to it (--lang ${list.lang}), or pick a ${release.lang} list.`,
        }),
      ],
    };
  }
  return { ok: true, value: list };
}
