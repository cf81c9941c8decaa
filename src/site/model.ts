import type { Config } from '../config/types.js';
import { RELEASE_TYPES, type Release, type ReleaseType } from '../content/types.js';
import type { Section } from './paths.js';
import { type LinkIndex, linkIndex } from '../content/links.js';
import type { Redirect } from './permalinks.js';

/** A section of one language's archive and what it lists, newest first. */
export interface SectionList {
  section: Section;
  releases: Release[];
}

export interface LanguageArchive {
  lang: string;
  /** Newest first. */
  releases: Release[];
  /** Newest year first. */
  years: [string, Release[]][];
  /** In the order of RELEASE_TYPES; only types with releases. */
  types: [ReleaseType, Release[]][];
  /** In the order of the config's topics; only topics with releases. */
  topics: [string, Release[]][];
}

export interface SiteModel {
  languages: LanguageArchive[];
  /** The other visible language versions of each release, by release id, in config language order. */
  translations: Map<string, Release[]>;
  /** Withdrawn releases whose addresses show their notice (and nothing else of them appears). */
  withdrawn: Release[];
  /** Old addresses of moved releases (site/permalinks.ts). */
  redirects: Redirect[];
  /** The releases relative links may name: the visible ones and, leading to its notice, the withdrawn. */
  linkIndex: LinkIndex;
}

function groupBy<K>(releases: Release[], keysOf: (r: Release) => K[]): Map<K, Release[]> {
  const out = new Map<K, Release[]>();
  for (const r of releases) {
    for (const k of keysOf(r)) {
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
  }
  return out;
}

/** Groups the visible releases (newest first) into each language's archive. Pure. */
export function siteModel(
  config: Config,
  visible: readonly Release[],
  press: Partial<Pick<SiteModel, 'withdrawn' | 'redirects'>> = {},
): SiteModel {
  const byLang = groupBy([...visible], (r) => [r.lang]);
  const topicOrder = Object.keys(config.topics);
  const languages = config.languages.map((lang): LanguageArchive => {
    const releases = byLang.get(lang) ?? [];
    const years = groupBy(releases, (r) => [r.localDate.slice(0, 4)]);
    const types = groupBy(releases, (r) => [r.type]);
    const topics = groupBy(releases, (r) => r.topics);
    return {
      lang,
      releases,
      years: [...years].sort((a, b) => b[0].localeCompare(a[0])),
      types: RELEASE_TYPES.filter((t) => types.has(t)).map((t) => [t, types.get(t)!]),
      topics: topicOrder.filter((t) => topics.has(t)).map((t) => [t, topics.get(t)!]),
    };
  });
  const translations = new Map<string, Release[]>();
  const langIndex = new Map(config.languages.map((l, i) => [l, i]));
  for (const group of groupBy([...visible], (r) => (r.translationKey ? [r.translationKey] : [])).values()) {
    if (group.length < 2) continue;
    const ordered = group.sort((a, b) => (langIndex.get(a.lang) ?? 0) - (langIndex.get(b.lang) ?? 0));
    for (const r of ordered)
      translations.set(
        r.id,
        ordered.filter((o) => o !== r && o.lang !== r.lang),
      );
  }
  const withdrawn = press.withdrawn ?? [];
  let index: LinkIndex | undefined;
  return {
    languages,
    translations,
    withdrawn,
    redirects: press.redirects ?? [],
    // Made when a release with relative links first asks, once per build.
    get linkIndex() {
      index ??= linkIndex(config.root, [...visible, ...withdrawn]);
      return index;
    },
  };
}

/** Every listing of a language: the whole archive, then years, types and topics. */
export function sectionLists(archive: LanguageArchive): SectionList[] {
  return [
    { section: { kind: 'all' }, releases: archive.releases },
    ...archive.years.map(([year, releases]): SectionList => ({ section: { kind: 'year', year }, releases })),
    ...archive.types.map(([type, releases]): SectionList => ({ section: { kind: 'type', type }, releases })),
    ...archive.topics.map(
      ([topic, releases]): SectionList => ({ section: { kind: 'topic', topic }, releases }),
    ),
  ];
}
