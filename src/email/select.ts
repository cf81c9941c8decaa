import type { Config, NewsletterList } from '../config/types.js';
import type { Release } from '../content/types.js';
import { report, fatal } from '../core/catalogue/index.js';
import { type Diagnostic, ScsError } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';

/** The list named by `listId`, or the first configured list in the release's language. */
export function chooseList(config: Config, release: Release, listId?: string): NewsletterList {
  const lists = Object.values(config.newsletter.lists);
  if (listId) {
    const list = config.newsletter.lists[listId];
    if (!list) throw new ScsError([unknownList(config, listId)], 2);
    if (list.lang !== release.lang) {
      throw new ScsError([wrongLanguage(list, release, true)], 2);
    }
    return list;
  }
  const list = lists.find((l) => l.lang === release.lang);
  if (!list) {
    throw fatal(2, 'email-list-missing', { lang: release.lang, id: release.id });
  }
  return list;
}

export function unknownList(config: Config, listId: string): Diagnostic {
  const ids = Object.keys(config.newsletter.lists);
  return report('email-list-unknown', {
    list: listId,
    lists: ids.join(', '),
    didYouMean: didYouMean(listId, ids),
  });
}

/** `byLang`: the command takes --lang, which would pick the version in the list's language. */
export function wrongLanguage(list: NewsletterList, release: Release, byLang: boolean): Diagnostic {
  return report('email-list-language', {
    list: list.id,
    listLang: list.lang,
    id: release.id,
    lang: release.lang,
    byLang,
    file: release.file,
  });
}
