import type { Config } from '../config/types.js';
import type { ReleaseType } from '../content/types.js';

/**
 * The URL scheme of the press archive, as paths in the output folder (forward slashes; folders end
 * in "/"). Release pages come from content/permalink.ts; everything else is named here.
 *
 *   <lang>/                          front page            <lang>/feed.xml, <lang>/atom.xml
 *   <lang>/archive/[page/N/]         everything, newest first
 *   <lang>/archive/YYYY/[page/N/]    one year
 *   <lang>/archive/news/, <lang>/archive/press-releases/ [page/N/]   one type (+ feed.xml, atom.xml)
 *   <lang>/topics/                   the topics;  <lang>/topics/<id>/[page/N/]  one topic (+ feeds)
 *   <lang>/search/                   search (Pagefind)
 *   index.html, 404.html, sitemap.xml, robots.txt, assets/, pagefind/
 */
export const TYPE_SEGMENT: Record<ReleaseType, string> = { news: 'news', 'press-release': 'press-releases' };

export type Section =
  | { kind: 'all' }
  | { kind: 'year'; year: string }
  | { kind: 'type'; type: ReleaseType }
  | { kind: 'topic'; topic: string };

/** The folder of page `page` (1-based) of a section, relative to the language folder. */
export function sectionDir(section: Section, page = 1): string {
  const base =
    section.kind === 'all'
      ? 'archive/'
      : section.kind === 'year'
        ? `archive/${section.year}/`
        : section.kind === 'type'
          ? `archive/${TYPE_SEGMENT[section.type]}/`
          : `topics/${section.topic}/`;
  return page > 1 ? `${base}page/${page}/` : base;
}

/** The media bank (media-bank.ts): a language's press images, paginated like the archive. */
export const MEDIA_DIR = 'images/';

export const mediaDir = (page = 1) => (page > 1 ? `${MEDIA_DIR}page/${page}/` : MEDIA_DIR);

/** The folder holding a section's feed.xml and atom.xml (the whole language's feeds sit at its root). */
export function feedDir(section: Section): string {
  return section.kind === 'all' ? '' : sectionDir(section);
}

export const TOPICS_DIR = 'topics/';
export const SEARCH_DIR = 'search/';
export const RSS_FILE = 'feed.xml';
export const ATOM_FILE = 'atom.xml';
export const PAGEFIND_DIR = 'pagefind/';

// Each segment ends at a slash or the end: a path that does not match ("…/#top") fails at once, not after
// trying every way to split it into segments.
const SAFE_PATH = /^(?:[a-z0-9_-][a-z0-9._-]*(?:\/|$))*$/i;

/** Folder part of an output path: "sv/archive/index.html" → "sv/archive/". */
export function dirOf(outPath: string): string {
  return outPath.slice(0, outPath.lastIndexOf('/') + 1);
}

/**
 * Links between pages. Within the output they are relative, so the archive works under any path, in
 * the preview and from a file system. When a language is published at a base URL of its own
 * (`site.languageBaseUrls` not below `site.baseUrl`), links that leave its folder become absolute.
 */
export class Links {
  private readonly mirrored: boolean;
  private readonly rootPath: string;

  constructor(private readonly config: Config) {
    this.mirrored = config.languages.every(
      (l) => config.site.languageBaseUrls[l] === new URL(`${l}/`, config.site.baseUrl).href,
    );
    this.rootPath = new URL(config.site.baseUrl).pathname;
  }

  /** The absolute URL of an output path. */
  absolute(outPath: string): string {
    const slash = outPath.indexOf('/');
    const lang = slash > 0 ? outPath.slice(0, slash) : '';
    const base = this.config.site.languageBaseUrls[lang];
    const [rel, against] = base ? [outPath.slice(slash + 1), base] : [outPath, this.config.site.baseUrl];
    // Paths scs makes are plain (slugs, dates, hashes): joining is resolving, and much cheaper.
    return SAFE_PATH.test(rel) ? against + rel : new URL(rel, against).href;
  }

  /**
   * The href from a page in folder `from` to output path `to`. `from: null` is a page served at any
   * address (404.html): its links start at the site root.
   */
  href(from: string | null, to: string): string {
    if (from === null) return this.mirrored ? this.rootPath + to : this.absolute(to);
    if (!this.mirrored && from.split('/', 1)[0] !== to.split('/', 1)[0]) return this.absolute(to);
    // Climb to the folder both share, then descend: "sv/2026/10/14/x/" → "sv/archive/" is "../../../../archive/".
    let common = 0;
    for (let i = 0; i < from.length && i < to.length && from[i] === to[i]; i++)
      if (from[i] === '/') common = i + 1;
    let up = 0;
    for (let i = common; i < from.length; i++) if (from.charCodeAt(i) === 47) up++;
    return '../'.repeat(up) + to.slice(common) || './';
  }
}
