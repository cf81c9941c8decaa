import type { Config, NewsletterList } from '../config/types.js';
import type { Release } from '../content/types.js';
import { diag, type Diagnostic, ScsError } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';

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
