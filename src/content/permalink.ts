import type { Config } from '../config/types.js';
import type { Release } from './types.js';

/**
 * The stable address of a release page, relative to its language's base URL:
 * `YYYY/MM/DD/<slug>/` (the date is the calendar date in the configured time zone).
 */
export function releasePath(release: Pick<Release, 'localDate' | 'slug'>): string {
  const [y, m, d] = release.localDate.split('-');
  return `${y}/${m}/${d}/${release.slug}/`;
}

/** Where the page sits in the output folder, relative to it: `<lang>/YYYY/MM/DD/<slug>/`. */
export function releaseOutputPath(release: Pick<Release, 'localDate' | 'slug' | 'lang'>): string {
  return `${release.lang}/${releasePath(release)}`;
}

/** Absolute URL of a release page. */
export function releaseUrl(config: Config, release: Pick<Release, 'localDate' | 'slug' | 'lang'>): string {
  return new URL(releasePath(release), config.site.languageBaseUrls[release.lang]).href;
}
