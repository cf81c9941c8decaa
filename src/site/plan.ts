import { readFileSync } from 'node:fs';
import path from 'node:path';
import { releaseOutputPath } from '../content/permalink.js';
import { isPublished, type Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { memoize } from '../core/memo.js';
import { quickHash } from '../core/quick-hash.js';
import type { FeedPlan, PlannedFeedEntry } from './feeds.js';
import { sectionLists } from './model.js';
import { ATOM_FILE, dirOf, feedDir, mediaDir, RSS_FILE, type Section, sectionDir } from './paths.js';
import type { RenderJob } from './renderer.js';
import { robotsTxt, type SitemapUrl, sitemapFiles } from './sitemap.js';
import type { SiteAsset } from './templates.js';
import { mediaItems, mediaPage } from './media-bank.js';
import { safeSvg } from './svg.js';
import { plainText } from './text.js';
import {
  archiveCounts,
  bodyImages,
  bodyLinks,
  entryInput,
  feedItem,
  feedTitle,
  homePage,
  type Link,
  listPage,
  notFoundPage,
  type ReleaseInput,
  releaseInput,
  rootPage,
  searchPage,
  topicLabel,
  topicsPage,
  type View,
  type ViewContext,
} from './views.js';
import { sha256Hex } from '../core/sha256.js';
import { siteImageMissing } from './release-rules.js';
import { planPressPages } from './press-pages.js';
import { lastModified } from '../content/corrections.js';
import { localDate } from '../core/time.js';

/**
 * What stands for a release in keys: its file (the slug may come from the name) and its bytes, from which
 * (with the config) it is parsed, hashed short. Kept per release object while it lives: a watching
 * process rebuilds with the same objects.
 */
export const rid = memoize((r: Release) => quickHash([r.file, r.hash]), new WeakMap());

/** A sitemap URL as planned: output paths, and when the page last changed. */
interface SitemapEntry {
  path: string;
  lastModified?: Date;
  alternates?: { hreflang: string; path: string }[];
}

/** How a release's page differs by the clock: published (''), a draft, or due at a time (with --future). */
export function releaseState(r: Release, now: Date): string {
  return isPublished(r, now) ? '' : r.draft ? 'draft' : `due:${r.publishAt.toISOString()}`;
}

/** One file of the archive: its cache key, and how to make it when the key is not already built. */
export interface PlannedOutput {
  /** Relative to the output folder, forward slashes. */
  path: string;
  /** Changes whenever anything that goes into the file changes. */
  key: string;
  make:
    | { kind: 'page'; job: () => RenderJob }
    | { kind: 'text'; text: () => string }
    /** Made in the apply step, where each entry's content comes from the cache or is rendered. */
    | { kind: 'feed'; feed: () => FeedPlan }
    | { kind: 'copy'; file: string }
    | { kind: 'bytes'; bytes: Uint8Array };
  /** A release page: what the search indexes. */
  searchable?: boolean;
}

export interface SitePlan {
  outputs: PlannedOutput[];
  /** HTML pages among the outputs. */
  pages: number;
  diagnostics: Diagnostic[];
}

export interface PlanContext extends ViewContext {
  /** Hash of the code, templates and config: part of every key. */
  global: string;
}

/** Output paths of the built-in assets, named by their content so browsers may cache them forever. */
export function assetPaths(assets: SiteAsset[]): {
  css: string;
  search: string;
  files: { path: string; asset: SiteAsset }[];
} {
  const files = assets.map((asset) => {
    const hashed = asset.name === 'site.css' || asset.name === 'search.js';
    if (!hashed) return { path: `assets/${asset.name}`, asset };
    const ext = path.posix.extname(asset.name);
    const hash = sha256Hex(asset.bytes).slice(0, 10);
    return { path: `assets/${asset.name.slice(0, -ext.length)}-${hash}${ext}`, asset };
  });
  const find = (name: string) => files.find((f) => f.asset.name === name)?.path ?? `assets/${name}`;
  return { css: find('site.css'), search: find('search.js'), files };
}

/**
 * Plans every file of the archive (pure: no file is written and nothing rendered; image files it has
 * not seen are measured): release
 * pages, the archive by year, type and topic, front pages, feeds, sitemap, robots.txt, 404 and assets.
 * Views are only built for files that must be written, so a warm build costs little more than keys.
 */
export function planSite(ctx: PlanContext, assetFiles: { path: string; asset: SiteAsset }[]): SitePlan {
  const { config, links, model } = ctx;
  const outputs: PlannedOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  const pageSize = config.site.pageSize;
  // The global hash made short: it goes into every one of ten thousand keys.
  const global = quickHash([ctx.global]);
  const key = (...parts: string[]) => quickHash([global, ...parts]);
  // A release in a list stands for what its entry is made from (entryInput): editing a release's body
  // re-renders no list.
  const entryIds = new Map<Release, string>();
  const entryId = (r: Release) => {
    let id = entryIds.get(r);
    if (id === undefined) {
      id = quickHash([JSON.stringify(entryInput(ctx, r))]);
      entryIds.set(r, id);
    }
    return id;
  };
  const linkFrom = (outPath: string): Link => {
    const dir = dirOf(outPath);
    return (to) => links.href(dir, to);
  };
  // Every file is planned as (template, path, data): it is made from that data alone, with the code,
  // templates and config (in `global`), so its key is a hash of the data.
  const planned = (kind: string, outPath: string, json: string, make: PlannedOutput['make']) => {
    const o: PlannedOutput = { path: outPath, key: key(kind, outPath, json), make };
    outputs.push(o);
    return o;
  };
  // A page of the archive: a release in its data stands for its entry id.
  const page = <D>(
    kind: string,
    outPath: string,
    data: D,
    view: (data: D, link: Link) => View,
    link = linkFrom(outPath),
  ) => {
    const json = JSON.stringify(data, (_k, v: unknown) =>
      pieces.has(v as Release) ? entryId(v as Release) : v,
    );
    return planned(kind, outPath, json, {
      kind: 'page',
      job: () => ({ path: outPath, page: kind, view: view(data, link) }),
    });
  };

  for (const f of assetFiles) {
    outputs.push({
      path: f.path,
      key: sha256Hex(f.asset.bytes).slice(0, 32),
      make: { kind: 'bytes', bytes: f.asset.bytes },
    });
  }

  // Release pages: each is made from its ReleaseInput alone, so adding a release re-renders no other
  // release page. The input is gathered for every release (its digest is the page's key), the view only
  // for pages that are made (in a worker thread, when there are many).
  const pieces = new Map<Release, { input: ReleaseInput; digest: string }>();
  for (const lang of model.languages) {
    for (const r of lang.releases) {
      const body = bodyImages(ctx, r);
      for (const m of body.missing)
        diagnostics.push(siteImageMissing(m.url, { file: r.file, line: m.line }, 'warning'));
      const linked = bodyLinks(ctx, r);
      for (const l of linked.unpublished) {
        diagnostics.push(
          report('site-link-unpublished', { url: l.url, file: r.file, line: l.line, column: l.column }),
        );
      }
      const input = releaseInput(ctx, r, body, linked);
      // The release stands for its file's name and bytes (rid): it is parsed from them and the config.
      // Hashed natively: the inputs of ten thousand releases (with their pictures) are megabytes.
      const digest = sha256Hex(JSON.stringify({ ...input, release: rid(r) })).slice(0, 32);
      pieces.set(r, { input, digest });
      const outPath = `${releaseOutputPath(r)}index.html`;
      // What the clock makes of the page: published, a draft, or due at a time (with --future).
      const state = releaseState(r, ctx.now);
      planned('release', outPath, `${digest}\0${state}`, {
        kind: 'page',
        job: () => ({ path: outPath, release: input }),
      }).searchable = true;
    }
  }

  // A feed entry, made once per release however many feeds carry it. Its content is rendered from the
  // release's input (or taken from the entries already rendered, by key) when a feed is written.
  const entries = new Map<Release, PlannedFeedEntry>();
  const feedEntry = (r: Release): PlannedFeedEntry => {
    let entry = entries.get(r);
    if (!entry) {
      const { input, digest } = pieces.get(r)!;
      entry = {
        key: key('feed-item', digest),
        content: () => ({
          path: releaseOutputPath(r),
          page: 'feed-item',
          layout: false,
          ...feedItem(ctx, input),
        }),
        url: links.absolute(releaseOutputPath(r)),
        title: r.title,
        date: r.date,
        updated: lastModified(r),
        summary: plainText(r.lead),
        categories: r.topics.map((t) => topicLabel(config, r.lang, t)),
      };
      entries.set(r, entry);
    }
    return entry;
  };
  // A feed is planned whole but for its entries' content, which its data names by their keys.
  const feeds = (lang: string, section: Section, releases: Release[]) => {
    const dir = `${lang}/${feedDir(section)}`;
    const items = releases.slice(0, config.site.feedSize).map(feedEntry);
    const info = {
      title: feedTitle(ctx, lang, section),
      description: config.site.description?.[lang] ?? config.site.name[lang]!,
      lang,
      home: links.absolute(`${lang}/${section.kind === 'all' ? '' : sectionDir(section)}`),
      author: {
        name: config.organization.names[lang]!,
        ...(config.organization.url ? { url: config.organization.url } : {}),
      },
    };
    for (const [format, file] of [
      ['rss', RSS_FILE],
      ['atom', ATOM_FILE],
    ] as const) {
      const feed: FeedPlan = { format, info: { ...info, self: links.absolute(dir + file) }, entries: items };
      planned(format, dir + file, JSON.stringify(feed), { kind: 'feed', feed: () => feed });
    }
  };

  // Which sections each language has, for the language switch of archive pages.
  const sectionsOf = new Map(
    model.languages.map((a) => [a.lang, new Set(sectionLists(a).map((l) => sectionDir(l.section)))]),
  );
  // The sitemap's data: its URLs as output paths, and when each release last changed. Its text (absolute
  // URLs, dates in the time zone) is made from them only when it is written.
  const sitemap: SitemapEntry[] = [];
  const inSitemap = (path: string, alternates?: SitemapEntry['alternates']) =>
    sitemap.push({ path, ...(alternates ? { alternates } : {}) });
  const releaseSitemapEntry = (r: Release, versions: Release[]): SitemapEntry => {
    const entry: SitemapEntry = { path: releaseOutputPath(r), lastModified: lastModified(r) };
    if (versions.length) {
      const all = [r, ...versions].sort(
        (a, b) => config.languages.indexOf(a.lang) - config.languages.indexOf(b.lang),
      );
      const byDefault = all.find((v) => v.lang === config.defaultLanguage) ?? all[0]!;
      entry.alternates = [
        ...all.map((v) => ({ hreflang: v.lang, path: releaseOutputPath(v) })),
        { hreflang: 'x-default', path: releaseOutputPath(byDefault) },
      ];
    }
    return entry;
  };
  const sitemapUrl = (e: SitemapEntry): SitemapUrl => ({
    loc: links.absolute(e.path),
    ...(e.lastModified ? { lastmod: localDate(e.lastModified, config.timeZone) } : {}),
    ...(e.alternates
      ? { alternates: e.alternates.map((a) => ({ hreflang: a.hreflang, href: links.absolute(a.path) })) }
      : {}),
  });
  const langAlternates = [
    ...config.languages.map((l) => ({ hreflang: l, path: `${l}/` })),
    { hreflang: 'x-default', path: `${config.defaultLanguage}/` },
  ];

  for (const archive of model.languages) {
    const { lang } = archive;
    // The archive's sections and sizes, as the pages with browse links are made from them: their keys
    // hold this very data, so a section that appears, goes or grows changes them.
    const counts = archiveCounts(archive);
    const latest = archive.releases.slice(0, pageSize);
    page('home', `${lang}/index.html`, { lang, latest, counts }, (d, link) =>
      homePage(ctx, d.lang, d.latest, link, d.counts),
    );
    inSitemap(`${lang}/`, config.languages.length > 1 ? langAlternates : undefined);

    for (const list of sectionLists(archive)) {
      const first = sectionDir(list.section);
      const counterparts: Record<string, string> = {};
      for (const l of config.languages)
        if (l !== lang && sectionsOf.get(l)?.has(first)) counterparts[l] = `${l}/${first}`;
      const pages = Math.max(1, Math.ceil(list.releases.length / pageSize));
      for (let p = 1; p <= pages; p++) {
        const entries = list.releases.slice((p - 1) * pageSize, p * pageSize);
        const outPath = `${lang}/${sectionDir(list.section, p)}index.html`;
        const data = { lang, section: list.section, p, pages, entries, counterparts, counts };
        page('list', outPath, data, (d, link) =>
          listPage(ctx, d.lang, d.section, d.p, d.pages, d.entries, link, d.counterparts, d.counts),
        );
      }
      inSitemap(`${lang}/${first}`);
      if (list.section.kind !== 'year') feeds(lang, list.section, list.releases);
    }
    page('topics', `${lang}/topics/index.html`, { lang, counts }, (d, link) =>
      topicsPage(ctx, d.lang, link, d.counts),
    );
    inSitemap(`${lang}/topics/`);
    page('search', `${lang}/search/index.html`, { lang }, (d, link) => searchPage(ctx, d.lang, link));

    const media = mediaItems(ctx, archive);
    const mediaPages = Math.max(1, Math.ceil(media.length / pageSize));
    for (let p = 1; p <= mediaPages; p++) {
      const items = media.slice((p - 1) * pageSize, p * pageSize);
      const outPath = `${lang}/${mediaDir(p)}index.html`;
      // Searched too: a caption or a photographer's name finds the page with the image.
      const images = page('images', outPath, { lang, p, pages: mediaPages, items }, (d, link) =>
        mediaPage(ctx, d.lang, d.p, d.pages, d.items, link),
      );
      images.searchable = true;
    }
    inSitemap(`${lang}/${mediaDir()}`);

    for (const r of archive.releases)
      sitemap.push(releaseSitemapEntry(r, model.translations.get(r.id) ?? []));
  }

  const press = planPressPages(ctx);
  for (const p of press.pages) page(p.kind, p.path, p.data, (d, link) => p.view(ctx, d, link));
  // A text file's data is its text.
  for (const f of press.texts) planned('text', f.path, f.text, { kind: 'text', text: () => f.text });
  for (const p of press.sitemap) inSitemap(p);

  page('root', 'index.html', {}, (_d, link) => rootPage(ctx, link));
  // 404.html answers at any address: its links start from the site root.
  page(
    'not-found',
    '404.html',
    {},
    (_d, link) => notFoundPage(ctx, link),
    (to) => links.href(null, to),
  );
  const sitemapJson = JSON.stringify(sitemap);
  const sitemapParts = sitemapFiles(sitemap.length, () => sitemap.map(sitemapUrl), config.site.baseUrl);
  for (const part of sitemapParts)
    planned('sitemap', part.path, sitemapJson, { kind: 'text', text: part.text });
  const robots = robotsTxt(config.site.baseUrl);
  outputs.push({
    path: 'robots.txt',
    key: sha256Hex(robots).slice(0, 32),
    make: { kind: 'text', text: () => robots },
  });

  for (const image of ctx.images.assets()) {
    const file = image.file;
    const svg = image.out.endsWith('.svg');
    // An SVG is published sanitised (svg.ts); its own key replaces a copy an older version made raw.
    outputs.push({
      path: image.out,
      key: svg ? `${image.out}:safe` : image.out,
      make: svg ? { kind: 'text', text: () => safeSvg(readFileSync(file, 'utf8')) } : { kind: 'copy', file },
    });
  }
  const pages = outputs.filter((o) => o.make.kind === 'page').length;
  return { outputs, pages, diagnostics };
}
