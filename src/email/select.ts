import path from 'node:path';
import type { Config, NewsletterList } from '../config/types.js';
import type { Release } from '../content/types.js';
import { diag, type Diagnostic, ScsError } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';

/**
 * Finds the release a user names on the command line: by file path (relative to `cwd`) or by id
 * (`<lang>/<slug>`); with `lang`, the version of that release in another language (same
 * translationKey). Unknown names throw ScsError (exit 2) with a did-you-mean hint; a named file
 * that failed validation returns its diagnostics instead.
 */
export function findRelease(
  config: Config,
  loaded: { releases: Release[]; diagnostics: Diagnostic[] },
  name: string,
  options: { lang?: string; cwd?: string } = {},
): { release?: Release; diagnostics: Diagnostic[] } {
  const abs = path.resolve(options.cwd ?? config.root, name);
  const shown = path.relative(config.root, abs).split(path.sep).join('/');
  let release = loaded.releases.find((r) => r.id === name || r.path === abs);
  if (!release) {
    const problems = loaded.diagnostics.filter((d) => d.file === shown && d.severity === 'error');
    if (problems.length) return { diagnostics: problems };
    const ids = loaded.releases.map((r) => r.id);
    const needle = name.toLowerCase();
    const close = ids.filter(
      (id) => id.includes(needle) || path.basename(needle).includes(id.split('/')[1]!),
    );
    const suggestion = close.length
      ? ` Did you mean ${close
          .slice(0, 3)
          .map((id) => `"${id}"`)
          .join(' or ')}?`
      : didYouMean(name, ids);
    throw new ScsError(
      [
        diag('release-unknown', 'error', `No release "${name}".`, {
          hint: `Name a release by its file or its id (<lang>/<slug>), e.g. ${ids[0] ?? 'sv/my-release'}.${suggestion}`,
        }),
      ],
      2,
    );
  }
  if (options.lang && options.lang !== release.lang) {
    const original = release;
    const key = original.translationKey;
    const versions = key ? loaded.releases.filter((r) => r.translationKey === key) : [original];
    release = versions.find((r) => r.lang === options.lang);
    if (!release) {
      throw new ScsError(
        [
          diag('release-language-missing', 'error', `${original.id} has no version in "${options.lang}".`, {
            file: original.file,
            hint: key
              ? `Versions with translationKey "${key}": ${versions.map((r) => r.id).join(', ')}.`
              : 'Give the release and its translation the same "translationKey" in the frontmatter.',
          }),
        ],
        2,
      );
    }
  }
  return { release, diagnostics: [] };
}

/** The list named by `listId`, or the first configured list in the release's language. */
export function listFor(config: Config, release: Release, listId?: string): NewsletterList {
  const lists = Object.values(config.newsletter.lists);
  if (listId) {
    const list = config.newsletter.lists[listId];
    if (!list) throw new ScsError([unknownList(config, listId)], 2);
    if (list.lang !== release.lang) {
      throw new ScsError(
        [
          wrongLanguage(
            list,
            release,
            `Add --lang ${list.lang} to use the ${list.lang} version of the release.`,
          ),
        ],
        2,
      );
    }
    return list;
  }
  const list = lists.find((l) => l.lang === release.lang);
  if (!list) {
    throw new ScsError(
      [
        diag(
          'email-list-missing',
          'error',
          `No newsletter list is in "${release.lang}", the language of ${release.id}.`,
          {
            hint: `Add a list with "lang: ${release.lang}" under newsletter.lists in the configuration.`,
          },
        ),
      ],
      2,
    );
  }
  return list;
}

export function unknownList(config: Config, listId: string): Diagnostic {
  const ids = Object.keys(config.newsletter.lists);
  return diag('email-list-unknown', 'error', `There is no newsletter list "${listId}".`, {
    hint: ids.length
      ? `Lists: ${ids.join(', ')}.${didYouMean(listId, ids)}`
      : 'Declare lists under newsletter.lists in the configuration.',
  });
}

export function wrongLanguage(list: NewsletterList, release: Release, hint: string): Diagnostic {
  return diag(
    'email-list-language',
    'error',
    `The list "${list.id}" is in "${list.lang}", but ${release.id} is in "${release.lang}".`,
    {
      file: release.file,
      hint,
    },
  );
}
