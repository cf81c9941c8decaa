import type { Contact } from '../config/types.js';
import type { BodyImage } from './body-images.js';
import type { BodyLink } from './links.js';

export const RELEASE_TYPES = ['news', 'press-release'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

export interface ReleaseImage {
  /** As written in the frontmatter. */
  src: string;
  alt: string;
  credit?: string;
  /** Absolute path of a local image file; undefined for an absolute URL. */
  file?: string;
  /** Set for `http(s)://` images. */
  url?: string;
}

export interface Boilerplate {
  /** Registry id, when it comes from the config. */
  id?: string;
  /** Markdown. */
  markdown: string;
}

/** One validated release in one language. Plain data: no HTML, no mail. */
export interface Release {
  /** `<lang>/<slug>`: stable, unique, used to name a release on the command line and in the store. */
  id: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** Absolute path. */
  path: string;
  title: string;
  /** Publication instant. */
  date: Date;
  /** Calendar date (`YYYY-MM-DD`) in the configured time zone. */
  localDate: string;
  /** Whether the frontmatter gave only a date (no time). */
  dateOnly: boolean;
  type: ReleaseType;
  lang: string;
  slug: string;
  /** The lead as plain text (inline Markdown allowed). */
  lead: string;
  /**
   * 1-based line in the file where the Markdown body starts (after the first paragraph, when that
   * became the lead). The body itself is not kept: `readReleaseBody` reads it when it is rendered.
   */
  bodyLine: number;
  /** Local images the body refers to. */
  bodyImages: BodyImage[];
  /** Relative links in the lead and body (resolved by content/links.ts). */
  links: BodyLink[];
  image?: ReleaseImage;
  contacts: Contact[];
  boilerplate?: Boilerplate;
  topics: string[];
  translationKey?: string;
  embargo?: Date;
  draft: boolean;
  newsletter: boolean;
  /** When the release may first appear anywhere: the later of date and embargo. */
  publishAt: Date;
  /** sha256 of the file's bytes, for caches. */
  hash: string;
}

/** A release is visible at `now` when it is not a draft and both its date and any embargo have passed. */
export function isPublished(release: Release, now: Date): boolean {
  return !release.draft && release.publishAt.getTime() <= now.getTime();
}
