import type { Config, NewsletterList } from '../config/types.js';
import type { Release } from '../content/types.js';

/** The lists a release goes to: its language, and a topic in common when the list names topics. */
export function listsForRelease(config: Config, release: Release): NewsletterList[] {
  return Object.values(config.newsletter.lists).filter(
    (l) =>
      l.lang === release.lang && (l.topics.length === 0 || l.topics.some((t) => release.topics.includes(t))),
  );
}

/**
 * Whether `scs publish` mails a release now or when it comes due: not a draft, not withdrawn, the
 * newsletter on, and not published longer ago than `newsletter.maxAge` (older releases are never mailed
 * by publish).
 */
export function mailedByPublish(config: Config, release: Release, now: Date): boolean {
  return (
    !release.draft &&
    !release.withdrawn &&
    release.newsletter &&
    release.publishAt.getTime() >= now.getTime() - config.newsletter.maxAgeMs
  );
}
