import path from 'node:path';
import type { Config } from '../config/types.js';
import { fatal } from '../core/catalogue/index.js';
import type { Diagnostic, ScsError } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';
import type { Release } from './types.js';

export interface FindReleaseOptions {
  /** The version in this language (via translationKey), or only the versions in it. */
  lang?: string;
  /** Where a relative file name is looked up; default the project root. */
  cwd?: string;
}

type Loaded = { releases: Release[]; diagnostics: Diagnostic[] };

/**
 * The releases a name on the command line means, the same for every command: an id (`sv/<slug>`) or a
 * file names one release; a translation key names every language version; a slug names the release
 * with that slug when there is only one (several: ScsError `release-ambiguous` listing them). `lang`
 * picks the version in that language. Unknown names throw ScsError (exit 2) with a did-you-mean hint;
 * a named file that failed validation returns its diagnostics instead.
 */
export function findReleases(
  config: Config,
  loaded: Loaded,
  name: string,
  options: FindReleaseOptions = {},
): { releases: Release[]; diagnostics: Diagnostic[] } {
  const abs = path.resolve(options.cwd ?? config.root, name);
  const exact = loaded.releases.find((r) => r.id === name || r.path === abs);
  const byKey = loaded.releases.filter((r) => r.translationKey === name);
  const bySlug = loaded.releases.filter((r) => r.slug === name);
  const named = exact ? [exact] : byKey.length ? byKey : bySlug;
  const slugOnly = !exact && !byKey.length;
  if (!named.length) {
    const shown = path.relative(config.root, abs).split(path.sep).join('/');
    const problems = loaded.diagnostics.filter((d) => d.file === shown && d.severity === 'error');
    if (problems.length) return { releases: [], diagnostics: problems };
    throw unknownRelease(loaded.releases, name);
  }
  const releases = options.lang ? inLanguage(loaded.releases, named, options.lang) : named;
  if (slugOnly && releases.length > 1) throw ambiguous(name, releases);
  return { releases, diagnostics: [] };
}

/** The one release a name means (`scs email`); a translation key with several versions needs `lang`. */
export function findRelease(
  config: Config,
  loaded: Loaded,
  name: string,
  options: FindReleaseOptions = {},
): { release?: Release; diagnostics: Diagnostic[] } {
  const { releases, diagnostics } = findReleases(config, loaded, name, options);
  if (releases.length > 1) throw ambiguous(name, releases);
  return releases[0] ? { release: releases[0], diagnostics } : { diagnostics };
}

/** The named releases in `lang`, or else the version in `lang` of the first (same translationKey). */
function inLanguage(all: readonly Release[], named: Release[], lang: string): Release[] {
  const already = named.filter((r) => r.lang === lang);
  if (already.length) return already.length === named.length ? named : already;
  const original = named[0]!;
  const key = original.translationKey;
  const versions = key ? all.filter((r) => r.translationKey === key) : [original];
  const version = versions.find((r) => r.lang === lang);
  if (version) return [version];
  throw fatal(2, 'release-language-missing', {
    id: original.id,
    lang,
    ...(key ? { key, versions: versions.map((r) => r.id).join(', ') } : {}),
    file: original.file,
  });
}

function ambiguous(name: string, releases: readonly Release[]): ScsError {
  const candidates = releases.map((r) => `${r.id} (${r.file})`).join(', ');
  return fatal(2, 'release-ambiguous', {
    name,
    count: releases.length,
    candidates,
    id: releases[0]!.id,
    lang: releases[0]!.lang,
  });
}

function unknownRelease(releases: readonly Release[], name: string): ScsError {
  const ids = releases.map((r) => r.id);
  const needle = name.toLowerCase();
  const close = ids.filter((id) => id.includes(needle) || path.basename(needle).includes(id.split('/')[1]!));
  const suggestion = close.length
    ? ` Did you mean ${close
        .slice(0, 3)
        .map((id) => `"${id}"`)
        .join(' or ')}?`
    : didYouMean(name, ids);
  return fatal(2, 'release-unknown', { name, example: ids[0] ?? 'sv/my-release', didYouMean: suggestion });
}
