import type { Config, NewsletterList } from '../config/types.js';
import type { Release } from '../content/types.js';

/** The lists a release goes to: its language, and a topic in common when the list names topics. */
export function listsFor(config: Config, release: Release): NewsletterList[] {
  return Object.values(config.newsletter.lists).filter(
    (l) =>
      l.lang === release.lang && (l.topics.length === 0 || l.topics.some((t) => release.topics.includes(t))),
  );
}
