import { sha256Hex } from '../core/sha256.js';
import type { ImageInfo } from './inspect.js';
import { derivedPath, originalPath } from './naming.js';

/**
 * What is made of each image, as data (no pixels touched here): the site's widths and formats, the
 * email's two JPEGs, the Open Graph crop and the original for download. derive.ts carries it out;
 * the site and the email read the public paths from it.
 */

/** Raise when an encoder setting changes, so that every derived file gets a new name and is made again. */
const RECIPE_VERSION = 1;

const SITE_WIDTHS = [480, 800, 1200, 1600] as const;
/**
 * AVIF stops at 1200 px: its 1600 px file was a sixth of all the CPU an image takes (AVIF's encoder
 * cost grows faster than the pixels), for the one reader it serves, a 2× desktop screen, which now gets
 * the 1200 px AVIF for its 1344 device pixels. WebP and JPEG still go to 1600.
 */
const AVIF_MAX_WIDTH = 1200;
const EMAIL_WIDTHS = [600, 1200] as const;
const OG_SIZE = { width: 1200, height: 630 } as const;
/** A list's thumbnail (1× and 2×), cut to 3:2 around the focal point so that the list's rows line up. */
const THUMB_SIZES = [
  { width: 160, height: 107 },
  { width: 320, height: 213 },
] as const;
/** The most an email image should weigh; quality is stepped down (to EMAIL_QUALITIES' last) to get there. */
const EMAIL_MAX_BYTES = 200 * 1024;
export const EMAIL_QUALITIES = [80, 72, 64, 56, 48, 40] as const;

export type DerivedFormat = 'avif' | 'webp' | 'jpeg' | 'png';

export interface Derivative {
  /** The public path (naming.ts), relative to the site's root: also the file's name in the cache. */
  path: string;
  format: DerivedFormat;
  width: number;
  height: number;
  /** For the Open Graph crop: the point to keep in view, as fractions of width and height. */
  focus?: [number, number];
  /** For email: the quality steps down until the file is at most this big. */
  maxBytes?: number;
}

export interface ImagePlan {
  /** The source file, absolute. */
  file: string;
  /** SHA-256 of the source's bytes. */
  hash: string;
  info: ImageInfo;
  /** The site's candidates, narrowest first, for each format. */
  variants: Derivative[];
  /** 1×: 600 px (or narrower when the original is); 2×: 1200 px (or the original's width). */
  email: { x1: Derivative; x2: Derivative };
  og: Derivative;
  /**
   * The lists' and the media bank's thumbnails: WebP, then JPEG (PNG with transparency), each 1× then 2×.
   * No AVIF: at 320 × 213 its encoder took about twice WebP's time (26 against 14 ms, effort 0), for a
   * file of a few kilobytes either way, and every browser that shows the lists decodes WebP.
   */
  thumbs: Derivative[];
  /** Where the original is published for download, when it is (frontmatter `image.download`). */
  original?: { path: string; width: number; height: number; bytes: number };
}

export interface PlanOptions {
  focus?: [number, number];
  /** Publish the original for download (default true). */
  download?: boolean;
}

function derivative(
  file: string,
  hash: string,
  recipe: Omit<Derivative, 'path'>,
  size: number | string = recipe.width,
): Derivative {
  const ext = recipe.format === 'jpeg' ? 'jpg' : recipe.format;
  const key = sha256Hex(`${RECIPE_VERSION}\0${hash}\0${JSON.stringify(recipe)}`);
  return { path: derivedPath(file, key, size, ext), ...recipe };
}

const scaled = (info: ImageInfo, width: number) =>
  Math.max(1, Math.round((info.height * width) / info.width));

/** The widths the site offers: the standard ones up to the original's, and the original's when smaller than the largest. */
function siteWidths(width: number): number[] {
  const widths: number[] = SITE_WIDTHS.filter((w) => w <= width);
  if (width < SITE_WIDTHS[SITE_WIDTHS.length - 1]! && !widths.includes(width)) widths.push(width);
  return widths;
}

export function planImage(file: string, hash: string, info: ImageInfo, options: PlanOptions = {}): ImagePlan {
  const make = (recipe: Omit<Derivative, 'path'>, size?: number | string) =>
    derivative(file, hash, recipe, size);
  // Transparency needs PNG where the others would be JPEG; AVIF and WebP keep it.
  const fallback: DerivedFormat = info.hasAlpha ? 'png' : 'jpeg';
  const variants = (['avif', 'webp', fallback] as const).flatMap((format) =>
    siteWidths(info.width)
      .filter((width) => format !== 'avif' || width <= AVIF_MAX_WIDTH)
      .map((width) => make({ format, width, height: scaled(info, width) })),
  );
  const [w1, w2] = EMAIL_WIDTHS.map((w) => Math.min(w, info.width)) as [number, number];
  const email = (width: number) =>
    make({ format: 'jpeg', width, height: scaled(info, width), maxBytes: EMAIL_MAX_BYTES });
  const focus = options.focus ?? [0.5, 0.5];
  const crop = (format: DerivedFormat, size: { width: number; height: number }) =>
    make({ format, ...size, focus }, `${size.width}x${size.height}`);
  const plan: ImagePlan = {
    file,
    hash,
    info,
    variants,
    email: { x1: email(w1), x2: email(w2) },
    og: crop('jpeg', OG_SIZE),
    thumbs: (['webp', fallback] as const).flatMap((format) => THUMB_SIZES.map((size) => crop(format, size))),
  };
  if (options.download !== false)
    plan.original = {
      path: originalPath(file, hash),
      width: info.width,
      height: info.height,
      bytes: info.bytes,
    };
  return plan;
}

/** Every file a plan makes, once each (the email's two are one when the original is narrow). */
export function derivatives(plan: ImagePlan): Derivative[] {
  const all = [...plan.variants, plan.email.x1, plan.email.x2, plan.og, ...plan.thumbs];
  return [...new Map(all.map((d) => [d.path, d])).values()];
}
