import path from 'node:path';
import type { Config } from '../config/types.js';
import { readReleaseBody } from '../content/body.js';
import { imageUrlPath } from '../content/body-images.js';
import { type LinkIndex, resolveLink, rewriteLinks } from '../content/links.js';
import { releaseOutputPath } from '../content/permalink.js';
import { isPublished, type Release, type ReleaseType } from '../content/types.js';
import { localDateTime } from '../core/time.js';
import { type Attachment, humanSize } from './attachments.js';
import type { ImageAsset, ImageRegistry } from './images.js';
import { type DerivedImage, heroOptions, imageKey, isRaster } from '../assets/pipeline.js';
import {
  densities,
  type Picture,
  pictureOf,
  plainCandidate,
  srcset,
  type Thumb,
  thumbOf,
} from './derived.js';
import type { LanguageArchive, SiteModel } from './model.js';
import type { MarkdownParts } from './renderer.js';
import { ATOM_FILE, feedDir, type Links, MEDIA_DIR, RSS_FILE, type Section, sectionDir } from './paths.js';
import { type SiteStrings, translate } from './strings.js';
import {
  CONTACTS_DIR,
  contactView,
  correctionsJsonLd,
  correctionsView,
  pressContacts,
} from './press-views.js';
import { jsonForScript, plainText } from './text.js';

/** What every view builder reads: plain data apart from `links`, so a worker thread can rebuild it. */
export interface ViewBase {
  config: Config;
  links: Links;
  strings: SiteStrings;
  /** Output paths of the stylesheet and the search script. */
  assets: { css: string; search: string };
  now: Date;
}

/** The whole build's view of the site, in the main thread. */
export interface ViewContext extends ViewBase {
  model: SiteModel;
  images: ImageRegistry;
  /** What the image pipeline made, by `imageKey` (assets/pipeline.ts): absent, pages show the copies. */
  derived?: ReadonlyMap<string, DerivedImage>;
}

/** Everything a release page shows, as plain data: its page is built here or in a worker thread. */
export interface ReleaseInput {
  release: Release;
  /** The other visible language versions. */
  translations: Pick<Release, 'lang' | 'localDate' | 'slug'>[];
  /** The copied hero image, when it is a local file. */
  hero?: ImageAsset;
  /** Body image URLs as written → their copies. */
  images: Record<string, ImageAsset>;
  /** The hero's derived files (assets/), when the pipeline made them. */
  heroPicture?: Picture;
  /** Body image URLs as written → their derived files, for those the pipeline made. */
  pictures?: Record<string, Picture>;
  /** Body image URLs as written of raster files the pipeline could not use (it reported why): left out. */
  leftOut?: string[];
  /** Relative link URLs as written → the output path they lead to (with any #fragment). */
  links: Record<string, string>;
  /** Files the release links to, published under assets/files/. */
  attachments: Attachment[];
}

/** Turns an output path into an href as seen from the page being built. */
export type Link = (outPath: string) => string;
export type View = Record<string, unknown>;

const OG_LOCALES: Record<string, string> = {
  sv: 'sv_SE',
  en: 'en_GB',
  fi: 'fi_FI',
  nb: 'nb_NO',
  da: 'da_DK',
  de: 'de_DE',
};

const t = (ctx: ViewBase, lang: string, key: string, values?: Record<string, unknown>) =>
  translate(ctx.strings, lang, key, values);

export function releaseDateTime(config: Config, r: Pick<Release, 'dateOnly' | 'localDate' | 'date'>): string {
  return r.dateOnly ? r.localDate : localDateTime(r.date, config.timeZone);
}

export function sectionLabel(ctx: ViewBase, lang: string, section: Section): string {
  switch (section.kind) {
    case 'all':
      return t(ctx, lang, 'archive.title');
    case 'year':
      return t(ctx, lang, 'archive.year', { year: section.year });
    case 'type':
      return t(ctx, lang, `types.${section.type}`);
    case 'topic':
      return t(ctx, lang, 'archive.topic', { topic: topicLabel(ctx.config, lang, section.topic) });
  }
}

export function topicLabel(config: Config, lang: string, topic: string): string {
  return config.topics[topic]?.[lang] ?? topic;
}

/** The title of a section's feed: the site name, plus the section unless it is the whole archive. */
export function feedTitle(ctx: ViewBase, lang: string, section: Section): string {
  const site = ctx.config.site.name[lang]!;
  if (section.kind === 'all') return t(ctx, lang, 'feed.title', { site });
  const label =
    section.kind === 'topic' ? topicLabel(ctx.config, lang, section.topic) : sectionLabel(ctx, lang, section);
  return t(ctx, lang, 'feed.title.section', { site, section: label });
}

function feedLinks(ctx: ViewBase, lang: string, link: Link, sections: Section[]) {
  return sections.flatMap((section) => {
    const dir = `${lang}/${feedDir(section)}`;
    const title = feedTitle(ctx, lang, section);
    return [
      {
        type: 'application/rss+xml',
        title,
        href: link(dir + RSS_FILE),
        label: `${t(ctx, lang, 'feeds.rss')}${section.kind === 'all' ? '' : `: ${title}`}`,
      },
      {
        type: 'application/atom+xml',
        title,
        href: link(dir + ATOM_FILE),
        label: `${t(ctx, lang, 'feeds.atom')}${section.kind === 'all' ? '' : `: ${title}`}`,
      },
    ];
  });
}

interface ChromeOptions {
  title: string;
  description?: string;
  /** Output path of this page, for its canonical URL. */
  self?: string;
  /** The same page in other languages (output paths); other languages get their front page. */
  counterparts?: Record<string, string>;
  /** Whether hreflang alternates list the counterparts (only true equivalents). */
  alternates?: boolean;
  feeds?: Section[];
  searchForm?: boolean;
}

/** The header, footer, assets and language feed links, as seen from one page. */
function commonParts(ctx: ViewBase, lang: string, link: Link): View {
  const { config } = ctx;
  return {
    assets: { css: link(ctx.assets.css), search: link(ctx.assets.search) },
    site: {
      name: config.site.name[lang],
      description: config.site.description?.[lang],
      organization: config.organization.names[lang],
      organizationUrl: config.organization.url,
      subscribe: `${config.newsletter.endpoint}subscribe?lang=${encodeURIComponent(lang)}`,
      home: link(`${lang}/`),
      archive: link(`${lang}/${sectionDir({ kind: 'all' })}`),
      topics: link(`${lang}/topics/`),
      images: link(`${lang}/${MEDIA_DIR}`),
      search: link(`${lang}/search/`),
      feed: link(`${lang}/${RSS_FILE}`),
      ...(pressContacts(config).length ? { contacts: link(`${lang}/${CONTACTS_DIR}`) } : {}),
    },
    feeds: feedLinks(ctx, lang, link, [{ kind: 'all' }]),
  };
}

/** What every page has: head, header, language switch and footer. */
export function chrome(ctx: ViewBase, lang: string, link: Link, o: ChromeOptions): View {
  const { config, links } = ctx;
  const counterparts = o.counterparts ?? {};
  const common = commonParts(ctx, lang, link);
  const view: View = {
    lang,
    title: o.title,
    ...common,
    languages:
      config.languages.length > 1
        ? config.languages.map((l) => ({
            lang: l,
            name: t(ctx, l, 'language.name'),
            href: link(l === lang && o.self ? o.self : (counterparts[l] ?? `${l}/`)),
            current: l === lang,
          }))
        : [],
    feeds: o.feeds?.length
      ? [...(common.feeds as View[]), ...feedLinks(ctx, lang, link, o.feeds)]
      : common.feeds,
    showSearchForm: o.searchForm !== false,
  };
  if (o.description) view.description = o.description;
  if (o.self) {
    view.canonical = links.absolute(o.self);
    if (o.alternates) {
      const all = { ...counterparts, [lang]: o.self };
      view.alternates = [
        ...config.languages
          .filter((l) => all[l])
          .map((l) => ({ hreflang: l, href: links.absolute(all[l]!) })),
        { hreflang: 'x-default', href: links.absolute(all[config.defaultLanguage] ?? o.self) },
      ];
    }
  }
  return view;
}

export function breadcrumbs(
  ctx: ViewBase,
  lang: string,
  link: Link,
  trail: { label: string; href?: string }[],
) {
  const home = ctx.config.organization.url;
  return [
    ...(home ? [{ label: t(ctx, lang, 'breadcrumbs.home'), href: home }] : []),
    { label: t(ctx, lang, 'breadcrumbs.press'), href: link(`${lang}/`) },
    ...trail,
  ];
}

/** The width a release's images take: its column (`.narrow`, 42rem, less the page's padding on a phone). */
const COLUMN_SIZES = '(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)';

/** The original for journalists: its link, size and dimensions, and the terms it may be used on. */
function downloadView(ctx: ViewBase, r: Release, original: NonNullable<Picture['original']>, link: Link) {
  return {
    href: link(original.path),
    width: original.width,
    height: original.height,
    size: humanSize(original.bytes, r.lang),
    license: r.image?.license ?? ctx.config.images.license[r.lang] ?? '',
  };
}

/** The hero image: copied local file (with its size) or a remote URL. */
function heroImage(ctx: ViewBase, input: ReleaseInput, link: Link) {
  const image = input.release.image;
  if (!image) return undefined;
  const base = { alt: image.alt, ...(image.credit ? { credit: image.credit } : {}) };
  if (image.url) return { ...base, src: image.url, absolute: image.url };
  const asset = input.hero;
  if (!asset) return undefined;
  const picture = input.heroPicture;
  if (picture)
    return {
      ...base,
      src: link(plainCandidate(picture.fallback).path),
      srcset: srcset(picture.fallback, link),
      sizes: COLUMN_SIZES,
      sources: picture.sources.map((s) => ({
        type: s.type,
        srcset: srcset(s.candidates, link),
        sizes: COLUMN_SIZES,
      })),
      width: picture.width,
      height: picture.height,
      absolute: ctx.links.absolute(plainCandidate(picture.fallback).path),
      og: {
        absolute: ctx.links.absolute(picture.og.path),
        width: picture.og.width,
        height: picture.og.height,
      },
      ...(picture.original ? { download: downloadView(ctx, input.release, picture.original, link) } : {}),
    };
  return {
    ...base,
    src: link(asset.out),
    absolute: ctx.links.absolute(asset.out),
    ...(asset.width ? { width: asset.width, height: asset.height } : {}),
  };
}

export interface BodyImages {
  /** Image URL as written → its copy. */
  found: Record<string, ImageAsset>;
  /** Local images that do not exist, with the line they are on. */
  missing: { url: string; line: number }[];
}

const NO_BODY_IMAGES: BodyImages = { found: {}, missing: [] };

/** The copies of the local images a release body shows. */
export function bodyImages(ctx: ViewContext, r: Release): BodyImages {
  // Most releases show none: one shared answer for them (its users only read it).
  if (!r.bodyImages.length) return NO_BODY_IMAGES;
  const out: BodyImages = { found: {}, missing: [] };
  for (const image of r.bodyImages) {
    const asset = ctx.images.get(image.file);
    if (asset) {
      out.found[image.url] = asset;
      out.found[encodeURI(imageUrlPath(image.url))] = asset;
    } else out.missing.push({ url: image.url, line: image.line });
  }
  return out;
}

export interface BodyLinks {
  /** Link URL as written (and as Markdown normalises it) → output path. */
  targets: Record<string, string>;
  attachments: Attachment[];
  /** Links to releases this build does not publish (drafts, or not due yet): left as written. */
  unpublished: { url: string; line: number; column: number }[];
}

const NO_BODY_LINKS: BodyLinks = { targets: {}, attachments: [], unpublished: [] };

/** Where the relative links of a release lead in this build (content/links.ts resolves them). */
export function bodyLinks(ctx: ViewContext, r: Release): BodyLinks {
  if (!r.links.length) return NO_BODY_LINKS;
  return resolveBodyLinks(ctx, r, ctx.model.linkIndex);
}

function resolveBodyLinks(ctx: ViewContext, r: Release, index: LinkIndex): BodyLinks {
  const out: BodyLinks = { targets: {}, attachments: [], unpublished: [] };
  for (const link of r.links) {
    const url = link.url;
    const target = resolveLink(url, r.path, index);
    // The check let the link pass, so it names a release this build leaves out.
    if (target.kind === 'unresolved') out.unpublished.push(link);
    let to: string | undefined;
    if (target.kind === 'release') to = releaseOutputPath(target.release) + target.fragment;
    else if (target.kind === 'attachment') {
      const asset = ctx.images.get(target.file);
      if (!asset) continue;
      to = asset.out + target.fragment;
      if (!out.attachments.some((a) => a.out === asset.out))
        out.attachments.push({
          name: path.basename(target.file),
          type: target.type,
          size: asset.size,
          out: asset.out,
        });
    }
    // Anything else is left as written: the check has reported it.
    if (to === undefined) continue;
    out.targets[url] = to;
    out.targets[normalizedUrl(url)] = to;
  }
  return out;
}

/** A URL as markdown-it hands it to resolveUrl: percent-encoded. */
function normalizedUrl(url: string): string {
  const hash = url.indexOf('#');
  return encodeURI(imageUrlPath(url)) + (hash >= 0 ? url.slice(hash) : '');
}

/** A lead whose relative links lead where `link` says. */
function leadMarkdown(lead: string, targets: Record<string, string>, link: Link): string {
  return rewriteLinks(lead, (url) => (targets[url] === undefined ? undefined : link(targets[url])));
}

/** What a release page needs from the whole build, gathered in the main thread. */
export function releaseInput(
  ctx: ViewContext,
  r: Release,
  body: BodyImages,
  linked: BodyLinks,
): ReleaseInput {
  const derived = ctx.derived;
  const heroDerived =
    r.image?.file && derived ? derived.get(imageKey(r.image.file, heroOptions(r.image))) : undefined;
  // A raster image the pipeline could not use (it reported why) is left out of the page.
  const unusable = !!derived && !heroDerived && !!r.image?.file && isRaster(r.image.file);
  const hero = r.image?.file && !unusable ? ctx.images.get(r.image.file) : undefined;
  const pictures: Record<string, Picture> = {};
  let images = body.found;
  const leftOut: string[] = [];
  if (derived)
    for (const [url, a] of Object.entries(body.found)) {
      const d = derived.get(imageKey(a.file));
      if (d) pictures[url] = pictureOf(d);
      else if (isRaster(a.file)) leftOut.push(url);
    }
  if (leftOut.length)
    images = Object.fromEntries(Object.entries(images).filter(([url]) => !leftOut.includes(url)));
  return {
    release: r,
    translations: (ctx.model.translations.get(r.id) ?? []).map((o) => ({
      lang: o.lang,
      localDate: o.localDate,
      slug: o.slug,
    })),
    ...(hero ? { hero } : {}),
    ...(heroDerived ? { heroPicture: pictureOf(heroDerived) } : {}),
    ...(Object.keys(pictures).length ? { pictures } : {}),
    ...(leftOut.length ? { leftOut } : {}),
    images,
    links: linked.targets,
    attachments: linked.attachments,
  };
}

/** The parts of a release both its page and its feed entry show. */
function releaseParts(ctx: ViewBase, input: ReleaseInput, link: Link): View {
  const { config } = ctx;
  const r = input.release;
  const image = heroImage(ctx, input, link);
  return {
    type: r.type,
    typeLabel: t(ctx, r.lang, `type.${r.type}`),
    date: r.localDate,
    datetime: releaseDateTime(config, r),
    title: r.title,
    lead: leadMarkdown(r.lead, input.links, link),
    ...(image ? { image } : {}),
    attachments: input.attachments.map((a) => ({
      name: a.name,
      type: a.type,
      size: humanSize(a.size, r.lang),
      href: link(a.out),
    })),
    corrections: correctionsView(ctx, r),
    contacts: r.contacts.map((c) => contactView(c, r.lang, link)),
    topics: r.topics.map((id) => ({
      label: topicLabel(config, r.lang, id),
      href: link(`${r.lang}/topics/${id}/`),
    })),
    translations: input.translations.map((o) => ({
      lang: o.lang,
      href: link(releaseOutputPath(o)),
      label: t(ctx, o.lang, 'translation.read'),
    })),
  };
}

function markdownParts(input: ReleaseInput, link: Link) {
  const r = input.release;
  const images: MarkdownParts['images'] = {};
  for (const [url, a] of Object.entries(input.images)) {
    const picture = input.pictures?.[url];
    images[url] = picture
      ? {
          src: link(plainCandidate(picture.fallback).path),
          srcset: srcset(picture.fallback, link),
          sizes: COLUMN_SIZES,
          width: picture.width,
          height: picture.height,
        }
      : { src: link(a.out), ...(a.width ? { width: a.width, height: a.height } : {}) };
  }
  return {
    body: readReleaseBody(r),
    ...(r.boilerplate ? { boilerplate: r.boilerplate.markdown } : {}),
    images,
    links: Object.fromEntries(Object.entries(input.links).map(([url, to]) => [url, link(to)])),
    ...(input.leftOut ? { leftOut: input.leftOut } : {}),
  };
}

/** A release page. */
export function releasePage(ctx: ViewBase, input: ReleaseInput, link: Link) {
  const { config } = ctx;
  const r = input.release;
  const self = releaseOutputPath(r);
  const release = releaseParts(ctx, input, link);
  const description = plainText(r.lead);
  const url = ctx.links.absolute(self);
  const hero = release.image as
    | {
        absolute: string;
        alt: string;
        width?: number;
        height?: number;
        og?: { absolute: string; width: number; height: number };
      }
    | undefined;
  // Shared links and search results show the 1200×630 crop, when the pipeline made one.
  const image = hero?.og ? { ...hero, ...hero.og } : hero;
  const publisher = {
    '@type': 'Organization',
    name: config.organization.names[r.lang],
    ...(config.organization.url ? { url: config.organization.url } : {}),
  };
  const view: View = {
    ...chrome(ctx, r.lang, link, {
      title: `${r.title} – ${config.site.name[r.lang]}`,
      description,
      self,
      counterparts: Object.fromEntries(input.translations.map((o) => [o.lang, releaseOutputPath(o)])),
      alternates: true,
    }),
    release,
    breadcrumbs: breadcrumbs(ctx, r.lang, link, [{ label: `[${r.localDate}] ${r.title}` }]),
    og: {
      type: 'article',
      siteName: config.site.name[r.lang],
      title: r.title,
      description,
      url,
      locale: OG_LOCALES[r.lang],
      publishedTime: releaseDateTime(config, r),
      ...(image
        ? { image: { url: image.absolute, alt: image.alt, width: image.width, height: image.height } }
        : {}),
    },
    jsonLd: jsonForScript({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: r.title,
      ...(description ? { description } : {}),
      datePublished: releaseDateTime(config, r),
      inLanguage: r.lang,
      url,
      mainEntityOfPage: url,
      ...(image ? { image: [image.absolute] } : {}),
      articleSection: release.typeLabel,
      ...(r.topics.length
        ? { keywords: r.topics.map((id) => topicLabel(config, r.lang, id)).join(', ') }
        : {}),
      author: publisher,
      publisher,
      ...correctionsJsonLd(config, r),
    }),
  };
  if (!isPublished(r, ctx.now)) {
    view.banner = r.draft
      ? t(ctx, r.lang, 'banner.draft')
      : t(ctx, r.lang, 'banner.scheduled', { date: localDateTime(r.publishAt, config.timeZone) });
  }
  return { view, markdown: markdownParts(input, link) };
}

/** The HTML content of a release in a feed: absolute links only. */
export function feedItem(ctx: ViewBase, input: ReleaseInput) {
  const link: Link = (p) => ctx.links.absolute(p);
  return {
    view: {
      lang: input.release.lang,
      release: releaseParts(ctx, input, link),
      site: { organization: ctx.config.organization.names[input.release.lang] },
    },
    markdown: markdownParts(input, link),
  };
}

/** The thumbnail of a release's hero, when the pipeline made it (a hero by URL, or none, has none). */
export function heroThumb(ctx: ViewContext, r: Release): Thumb | undefined {
  const image = r.image?.file ? ctx.derived?.get(imageKey(r.image.file, heroOptions(r.image))) : undefined;
  return image && thumbOf(image);
}

/** A thumbnail as a page shows it, beside the text that says what it shows (so its alt is ""). */
export function thumbView(thumb: Thumb, link: Link) {
  return {
    src: link(thumb.fallback[0]),
    srcset: densities(thumb.fallback, link),
    webp: densities(thumb.webp, link),
    width: thumb.width,
    height: thumb.height,
  };
}

/** What a release's entry in a list is made from: a list page's key holds it for the release. */
export interface EntryInput
  extends Pick<Release, 'type' | 'lang' | 'localDate' | 'date' | 'dateOnly' | 'title' | 'lead'> {
  /** Where the lead's relative links lead (output paths). */
  targets: Record<string, string>;
  out: string;
  thumb?: Thumb;
}

export function entryInput(ctx: ViewContext, r: Release): EntryInput {
  const { type, lang, localDate, date, dateOnly, title, lead } = r;
  const thumb = heroThumb(ctx, r);
  return {
    type,
    lang,
    localDate,
    date,
    dateOnly,
    title,
    lead,
    targets: bodyLinks(ctx, r).targets,
    out: releaseOutputPath(r),
    ...(thumb ? { thumb } : {}),
  };
}

/** A release in a list; the same on every page that lists it but for the link. */
export function entry(ctx: ViewBase, e: EntryInput, link: Link): View {
  return {
    type: e.type,
    typeLabel: t(ctx, e.lang, `type.${e.type}`),
    date: e.localDate,
    datetime: releaseDateTime(ctx.config, e),
    title: e.title,
    // The same on every page that lists it: links from the site root.
    lead: leadMarkdown(e.lead, e.targets, (to) => ctx.links.href(null, to)),
    out: e.out,
    href: link(e.out),
    ...(e.thumb ? { thumb: thumbView(e.thumb, link) } : {}),
  };
}

/**
 * What a language's archive holds, as the pages that show its browse links see it: the sections and
 * their sizes. These pages are made from it (and their cache keys with it), never from the model itself.
 */
export interface ArchiveCounts {
  all: number;
  types: [ReleaseType, number][];
  years: [string, number][];
  topics: [string, number][];
}

export function archiveCounts(archive: LanguageArchive): ArchiveCounts {
  const count = <K>(lists: [K, Release[]][]) => lists.map(([k, l]): [K, number] => [k, l.length]);
  return {
    all: archive.releases.length,
    types: count(archive.types),
    years: count(archive.years),
    topics: count(archive.topics),
  };
}

/** The browse links of a language's archive, with the current section marked. */
export function archiveNav(
  ctx: ViewContext,
  lang: string,
  link: Link,
  counts: ArchiveCounts,
  current?: Section,
) {
  const is = (s: Section) => !!current && JSON.stringify(current) === JSON.stringify(s);
  const item = (s: Section, label: string, count: number) => ({
    label,
    href: link(`${lang}/${sectionDir(s)}`),
    count,
    current: is(s),
  });
  return {
    types: [
      item({ kind: 'all' }, t(ctx, lang, 'archive.all'), counts.all),
      ...counts.types.map(([type, n]) => item({ kind: 'type', type }, t(ctx, lang, `types.${type}`), n)),
    ],
    years: counts.years.map(([year, n]) => item({ kind: 'year', year }, year, n)),
    topics: counts.topics.map(([topic, n]) =>
      item({ kind: 'topic', topic }, topicLabel(ctx.config, lang, topic), n),
    ),
  };
}

export function pagination(page: number, pages: number, href: (page: number) => string) {
  if (pages < 2) return undefined;
  const shown = new Set<number>();
  for (let p = 1; p <= pages; p++)
    if (pages <= 9 || p === 1 || p === pages || Math.abs(p - page) <= 2) shown.add(p);
  const links: View[] = [];
  let last = 0;
  for (const p of [...shown].sort((a, b) => a - b)) {
    if (p - last > 1) links.push({ gap: true });
    links.push({ page: p, href: href(p), current: p === page });
    last = p;
  }
  return {
    page,
    pages,
    links,
    ...(page > 1 ? { previous: href(page - 1) } : {}),
    ...(page < pages ? { next: href(page + 1) } : {}),
  };
}

/** One page of a section of the archive. */
export function listPage(
  ctx: ViewContext,
  lang: string,
  section: Section,
  page: number,
  pages: number,
  entries: Release[],
  link: Link,
  counterparts: Record<string, string>,
  counts: ArchiveCounts,
): View {
  const label = sectionLabel(ctx, lang, section);
  const self = `${lang}/${sectionDir(section, page)}`;
  const trail: { label: string; href?: string }[] = [];
  if (section.kind === 'topic')
    trail.push({ label: t(ctx, lang, 'topics.title'), href: link(`${lang}/topics/`) });
  else if (section.kind !== 'all')
    trail.push({ label: t(ctx, lang, 'archive.title'), href: link(`${lang}/archive/`) });
  if (page > 1) {
    trail.push({ label, href: link(`${lang}/${sectionDir(section)}`) });
    trail.push({ label: t(ctx, lang, 'pagination.page', { page }) });
  } else trail.push({ label });
  const siteName = ctx.config.site.name[lang];
  const heading = page > 1 ? t(ctx, lang, 'title.page', { title: label, page }) : label;
  return {
    ...chrome(ctx, lang, link, {
      title: `${heading} – ${siteName}`,
      self,
      counterparts,
      alternates: page === 1,
      feeds: section.kind === 'type' || section.kind === 'topic' ? [section] : [],
    }),
    heading,
    breadcrumbs: breadcrumbs(ctx, lang, link, trail),
    entries: entries.map((r) => entry(ctx, entryInput(ctx, r), link)),
    pagination: pagination(page, pages, (p) => link(`${lang}/${sectionDir(section, p)}`)),
    archiveNav: archiveNav(ctx, lang, link, counts, page === 1 ? section : undefined),
  };
}

/** A language's front page: the latest releases, subscription and the ways into the archive. */
export function homePage(
  ctx: ViewContext,
  lang: string,
  latest: Release[],
  link: Link,
  counts: ArchiveCounts,
): View {
  const { config } = ctx;
  const others = Object.fromEntries(config.languages.map((l) => [l, `${l}/`]));
  return {
    ...chrome(ctx, lang, link, {
      title: config.site.name[lang]!,
      ...(config.site.description?.[lang] ? { description: config.site.description[lang] } : {}),
      self: `${lang}/`,
      counterparts: others,
      alternates: true,
    }),
    entries: latest.map((r) => entry(ctx, entryInput(ctx, r), link)),
    archiveNav: archiveNav(ctx, lang, link, counts),
  };
}

export function topicsPage(ctx: ViewContext, lang: string, link: Link, counts: ArchiveCounts): View {
  const heading = t(ctx, lang, 'topics.title');
  return {
    ...chrome(ctx, lang, link, {
      title: `${heading} – ${ctx.config.site.name[lang]}`,
      self: `${lang}/topics/`,
      counterparts: Object.fromEntries(ctx.config.languages.map((l) => [l, `${l}/topics/`])),
      alternates: true,
    }),
    heading,
    breadcrumbs: breadcrumbs(ctx, lang, link, [{ label: heading }]),
    topicList: counts.topics.map(([topic, count]) => ({
      label: topicLabel(ctx.config, lang, topic),
      href: link(`${lang}/${sectionDir({ kind: 'topic', topic })}`),
      count,
    })),
  };
}

export function searchPage(ctx: ViewContext, lang: string, link: Link): View {
  const heading = t(ctx, lang, 'search.title');
  return {
    ...chrome(ctx, lang, link, {
      title: `${heading} – ${ctx.config.site.name[lang]}`,
      self: `${lang}/search/`,
      counterparts: Object.fromEntries(ctx.config.languages.map((l) => [l, `${l}/search/`])),
      searchForm: false,
    }),
    heading,
    noindex: true,
    breadcrumbs: breadcrumbs(ctx, lang, link, [{ label: heading }]),
    search: { bundle: link('pagefind/'), root: link('') },
  };
}

/** 404.html: served at any address, so its links start at the site root; it speaks every language. */
export function notFoundPage(ctx: ViewContext, link: Link): View {
  const { config } = ctx;
  const lang = config.defaultLanguage;
  const order = [lang, ...config.languages.filter((l) => l !== lang)];
  return {
    ...chrome(ctx, lang, link, { title: `${t(ctx, lang, 'notFound.title')} – ${config.site.name[lang]}` }),
    noindex: true,
    notFound: order.map((l) => ({
      lang: l,
      title: t(ctx, l, 'notFound.title'),
      text: t(ctx, l, 'notFound.text'),
      home: link(`${l}/`),
      homeLabel: t(ctx, l, 'notFound.home'),
    })),
  };
}

/** index.html at the root: sends readers on to the default language, with links for the others. */
export function rootPage(ctx: ViewContext, link: Link): View {
  const { config } = ctx;
  const lang = config.defaultLanguage;
  return {
    ...chrome(ctx, lang, link, { title: config.site.name[lang]!, self: '', searchForm: false }),
    heading: t(ctx, lang, 'root.title'),
    refresh: link(`${lang}/`),
    languages: [],
    rootLanguages: config.languages.map((l) => ({
      lang: l,
      href: link(`${l}/`),
      siteName: config.site.name[l],
    })),
  };
}
