import type { Contact } from '../config/types.js';
import type { Position } from '../core/diagnostic.js';
import type { BodyImage } from './body-images.js';
import type { Frontmatter } from './schema.js';
import type { BodyLink } from './links.js';
import type { Correction } from './corrections.js';

export const RELEASE_TYPES = ['news', 'press-release'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

/** As written in the frontmatter, with where the image is. */
export interface ReleaseImage
  extends Pick<NonNullable<Frontmatter['image']>, 'src' | 'credit' | 'license' | 'download'> {
  alt: string;
  /** `image.focus`: the point a crop keeps in view, as fractions of width and height. */
  focus?: [number, number];
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

/** The frontmatter fields a release keeps as validated: their types follow the schema (schema.ts). */
type FrontmatterFields = Pick<
  Frontmatter,
  'title' | 'type' | 'topics' | 'translationKey' | 'draft' | 'newsletter'
>;

/** One validated release in one language. Plain data: no HTML, no mail. */
export interface Release extends FrontmatterFields {
  /** `<lang>/<slug>`: stable, unique, used to name a release on the command line and in the store. */
  id: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** Absolute path. */
  path: string;
  /** Publication instant. */
  date: Date;
  /** Calendar date (`YYYY-MM-DD`) in the configured time zone. */
  localDate: string;
  /** Whether the frontmatter gave only a date (no time). */
  dateOnly: boolean;
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
  embargo?: Date;
  /** When the release may first appear anywhere: the later of date and embargo. */
  publishAt: Date;
  /** Where the embargo is written, when it has no UTC offset (and so is read in the configured zone). */
  embargoLocal?: Position;
  /**
   * How long before the embargo journalists on press lists may be briefed: milliseconds, or `true` for
   * as soon as the release is in scs. Only with an embargo.
   */
  prebrief?: number | true;
  /** Dated corrections, oldest first (content/corrections.ts). */
  corrections?: Correction[];
  /**
   * Taken back: its page becomes a short notice (the address keeps answering) and it leaves the lists,
   * feeds, sitemap and search. `date`: when, if the frontmatter says; `reason`: inline Markdown.
   */
  withdrawn?: { date?: Date; localDate?: string; reason?: string };
  /** sha256 of the file's bytes, for caches. */
  hash: string;
}

/** A release is visible at `now` when it is not a draft and both its date and any embargo have passed. */
export function isPublished(release: Release, now: Date): boolean {
  return !release.draft && release.publishAt.getTime() <= now.getTime();
}
