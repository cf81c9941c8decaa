import { heroOptions, imageKey } from '../assets/pipeline.js';
import type { PlanOptions } from '../assets/plan.js';
import { releaseOutputPath } from '../content/permalink.js';
import { isPublished, type Release } from '../content/types.js';
import { humanSize } from './attachments.js';
import { type Thumb, thumbOf } from './derived.js';
import type { LanguageArchive } from './model.js';
import { mediaDir } from './paths.js';
import { translate } from './strings.js';
import {
  breadcrumbs,
  chrome,
  type Link,
  pagination,
  releaseDateTime,
  thumbView,
  type View,
  type ViewContext,
} from './views.js';

/**
 * The media bank, `<lang>/images/`: every press image of a language's published releases, newest
 * first, for journalists to find and download. Its pages are made from the items alone (their keys
 * hold them), like the archive's from its entries.
 */

/** One image as the media bank shows it: plain data, named by content (so it can be a page's key). */
export interface MediaItem {
  thumb: Thumb;
  alt: string;
  credit?: string;
  license: string;
  /** The original for download, when it is published (not `image.download: false`). */
  original?: { path: string; width: number; height: number; bytes: number };
  release: { title: string; out: string; date: string; datetime: string };
}

/**
 * A language's press images: the heroes and body images the pipeline made, each once (with the newest
 * release that shows it), of releases published at `ctx.now`. Withdrawn releases are not in the
 * archive, so theirs never appear; nor do a draft's or an embargoed release's in a preview build.
 */
export function mediaItems(ctx: ViewContext, archive: LanguageArchive): MediaItem[] {
  const items: MediaItem[] = [];
  const seen = new Set<string>();
  const derived = ctx.derived;
  if (!derived) return items;
  const license = ctx.config.images.license[archive.lang] ?? '';
  for (const r of archive.releases) {
    if (!isPublished(r, ctx.now)) continue;
    const add = (file: string, options: PlanOptions, alt: string, credit?: string, own?: string) => {
      const key = imageKey(file, options);
      const image = derived.get(key);
      if (!image || seen.has(key)) return;
      seen.add(key);
      const item: MediaItem = {
        thumb: thumbOf(image),
        alt,
        license: own ?? license,
        release: about(ctx, r),
      };
      if (credit) item.credit = credit;
      if (image.original) {
        const { path, width, height, bytes } = image.original;
        item.original = { path, width, height, bytes };
      }
      items.push(item);
    };
    if (r.image?.file) add(r.image.file, heroOptions(r.image), r.image.alt, r.image.credit, r.image.license);
    for (const b of r.bodyImages) add(b.file, {}, b.alt ?? '');
  }
  return items;
}

function about(ctx: ViewContext, r: Release): MediaItem['release'] {
  return {
    title: r.title,
    out: releaseOutputPath(r),
    date: r.localDate,
    datetime: releaseDateTime(ctx.config, r),
  };
}

/** One page of the media bank. */
export function mediaPage(
  ctx: ViewContext,
  lang: string,
  page: number,
  pages: number,
  items: MediaItem[],
  link: Link,
): View {
  const t = (key: string, values?: Record<string, unknown>) => translate(ctx.strings, lang, key, values);
  const label = t('media.title');
  const heading = page > 1 ? t('title.page', { title: label, page }) : label;
  const trail: { label: string; href?: string }[] =
    page > 1
      ? [{ label, href: link(`${lang}/${mediaDir()}`) }, { label: t('pagination.page', { page }) }]
      : [{ label }];
  return {
    ...chrome(ctx, lang, link, {
      title: `${heading} – ${ctx.config.site.name[lang]}`,
      self: `${lang}/${mediaDir(page)}`,
      counterparts: Object.fromEntries(ctx.config.languages.map((l) => [l, `${l}/${mediaDir()}`])),
      alternates: page === 1,
    }),
    heading,
    breadcrumbs: breadcrumbs(ctx, lang, link, trail),
    items: items.map((item, i) => ({
      id: `image-${(page - 1) * ctx.config.site.pageSize + i + 1}`,
      ...thumbView(item.thumb, link),
      alt: item.alt,
      credit: item.credit,
      license: item.license,
      release: { ...item.release, href: link(item.release.out) },
      ...(item.original
        ? {
            download: {
              href: link(item.original.path),
              width: item.original.width,
              height: item.original.height,
              size: humanSize(item.original.bytes, lang),
            },
          }
        : {}),
    })),
    pagination: pagination(page, pages, (p) => link(`${lang}/${mediaDir(p)}`)),
  };
}
