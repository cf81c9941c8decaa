import { IMAGES_DIR } from '../assets/naming.js';
import { type DerivedFile, type DerivedImage, isRaster } from '../assets/pipeline.js';
import type { PlannedOutput } from './plan.js';

/**
 * The files the image pipeline made (assets/pipeline.ts), as outputs copied from `.scs/cache/images/`.
 * Each derived file's name holds the source's hash and its recipe, so the name is its key; the original
 * keeps the source's name but is published without its GPS position, hence a key of its own (replacing a
 * raw copy an older build made at that address).
 */
export function derivedOutputs(images: Iterable<DerivedImage>): PlannedOutput[] {
  const out = new Map<string, PlannedOutput>();
  const add = (f: DerivedFile, key = f.path) =>
    out.set(f.path, { path: f.path, key, make: { kind: 'copy', file: f.file } });
  for (const image of images) {
    for (const f of [...image.variants, image.email.x1, image.email.x2, image.og, ...image.thumbs]) add(f);
    if (image.original) add(image.original, `${image.original.path}:no-gps`);
  }
  return [...out.values()];
}

/**
 * The plan's outputs with the derived files in: a derived original takes the place of the plain copy
 * the plan made of the same file at the same address. No other copy of a raster image is published: its
 * pages show the derived files, and one the pipeline could not use (reported) is left out, GPS and all.
 */
export function withDerived(outputs: PlannedOutput[], images: DerivedImage[]): PlannedOutput[] {
  const derived = derivedOutputs(images);
  const byPath = new Map(derived.map((o) => [o.path, o]));
  const kept = outputs.filter(
    (o) =>
      byPath.has(o.path) ||
      o.make.kind !== 'copy' ||
      !o.path.startsWith(`${IMAGES_DIR}/`) ||
      !isRaster(o.make.file),
  );
  const planned = new Set(kept.map((o) => o.path));
  return [...kept.map((o) => byPath.get(o.path) ?? o), ...derived.filter((o) => !planned.has(o.path))];
}

/** A candidate of a `srcset`: an output path and its width. */
export interface Candidate {
  path: string;
  width: number;
}

/** A derived image as a page shows it, in output paths (plain data: it goes to the render threads). */
export interface Picture {
  /** AVIF, then WebP: `<source>`s a browser takes when it can. */
  sources: { type: string; candidates: Candidate[] }[];
  /** JPEG (PNG with transparency): the `<img>`'s own candidates, narrowest first. */
  fallback: Candidate[];
  /** Of the widest candidate: the `<img>`'s width and height, which set its aspect ratio. */
  width: number;
  height: number;
  og: { path: string; width: number; height: number };
  original?: { path: string; width: number; height: number; bytes: number };
}

const MIME: Record<string, string> = { avif: 'image/avif', webp: 'image/webp' };

export function pictureOf(image: DerivedImage): Picture {
  const byFormat = (format: string) =>
    image.variants.filter((v) => v.format === format).map((v) => ({ path: v.path, width: v.width }));
  const fallback = image.variants.filter((v) => v.format === 'jpeg' || v.format === 'png');
  const widest = fallback[fallback.length - 1]!;
  const picture: Picture = {
    sources: ['avif', 'webp'].map((f) => ({ type: MIME[f]!, candidates: byFormat(f) })),
    fallback: fallback.map((v) => ({ path: v.path, width: v.width })),
    width: widest.width,
    height: widest.height,
    og: { path: image.og.path, width: image.og.width, height: image.og.height },
  };
  if (image.original)
    picture.original = {
      path: image.original.path,
      width: image.original.width,
      height: image.original.height,
      bytes: image.original.bytes,
    };
  return picture;
}

/** A list's thumbnail, in output paths: 1× then 2× of each format (plain data, like Picture). */
export interface Thumb {
  webp: [string, string];
  /** JPEG, or PNG with transparency: the `<img>`'s own. */
  fallback: [string, string];
  width: number;
  height: number;
}

export function thumbOf(image: DerivedImage): Thumb {
  const [w1, w2, f1, f2] = image.thumbs;
  return { webp: [w1!.path, w2!.path], fallback: [f1!.path, f2!.path], width: f1!.width, height: f1!.height };
}

/** `srcset` of a 1× and a 2× file, linked from the page. */
export const densities = ([x1, x2]: [string, string], link: (path: string) => string) =>
  `${link(x1)} 1x, ${link(x2)} 2x`;

/** `srcset` of candidates, linked from the page. */
export const srcset = (candidates: Candidate[], link: (path: string) => string) =>
  candidates.map((c) => `${link(c.path)} ${c.width}w`).join(', ');

/**
 * The candidate a browser without `srcset` shows: the narrowest at least `width` wide, or the widest.
 */
export const plainCandidate = (candidates: Candidate[], width = 800) =>
  candidates.find((c) => c.width >= width) ?? candidates[candidates.length - 1]!;
