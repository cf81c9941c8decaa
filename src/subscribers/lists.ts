import type { Config, NewsletterList } from '../config/types.js';
import { report, fatal } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';

const configured = (config: Config) => Object.keys(config.newsletter.lists);

/** The lists anyone may sign up for on the public form: every list but the press lists. */
export function publicLists(config: Config): NewsletterList[] {
  return Object.values(config.newsletter.lists).filter((l) => l.audience !== 'press');
}

/** The list ids in `ids` that the config does not declare. */
export function unknownLists(config: Config, ids: readonly string[]): string[] {
  return ids.filter((id) => !Object.hasOwn(config.newsletter.lists, id));
}

/**
 * The lists a command acts on: the ones named (each must be configured), or, when none is named, the
 * only configured list. Anything else is a usage error naming the configured lists.
 */
export function resolveLists(config: Config, ids: readonly string[] | undefined): string[] {
  checkListsConfigured(config);
  const all = configured(config);
  const named = [...new Set(ids ?? [])];
  if (named.length === 0) {
    if (all.length === 1) return all;
    throw fatal(2, 'list-required', { count: all.length, lists: all.join(', '), first: all[0]! });
  }
  checkListsKnown(config, named);
  return named;
}

/** A configuration error when there is no list at all to subscribe to. */
export function checkListsConfigured(config: Config): void {
  if (configured(config).length) return;
  throw fatal(2, 'list-none');
}

/** Throws a usage error for the first list id the config does not declare. */
export function checkListsKnown(config: Config, ids: readonly string[]): void {
  const unknown = unknownLists(config, ids);
  if (unknown.length === 0) return;
  const all = configured(config);
  throw new ScsError(
    unknown.map((id) =>
      report('list-unknown', { list: id, lists: all.join(', ') || 'none', didYouMean: didYouMean(id, all) }),
    ),
    2,
  );
}

/** Checks a language code against the configured languages. */
export function checkLanguage(config: Config, lang: string): void {
  if (config.languages.includes(lang)) return;
  throw fatal(2, 'language-unknown', {
    lang,
    languages: config.languages.join(', '),
    didYouMean: didYouMean(lang, config.languages),
  });
}
