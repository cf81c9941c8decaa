import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { IMAGE_EXTENSIONS } from '../content/body-images.js';
import { outsideProject } from '../content/files.js';
import type { Release } from '../content/types.js';
import { report, type Where } from '../core/catalogue/index.js';
import { type Diagnostic, sortDiagnostics } from '../core/diagnostic.js';
import { Locator } from '../content/locate.js';
import { cachedFile, imageCacheDir, writeAtomic } from './cache.js';
import { SourceIndex } from './sources.js';
import { deriveFiles, originalForDownload } from './derive.js';
import { decodeProblem, type ImageInfo, type ImageProblem, sharpLib } from './inspect.js';
import { derivatives, type ImagePlan, type PlanOptions, planImage } from './plan.js';

/** A derived file: where it is published and where its bytes are (the cache). */
export interface DerivedFile {
  /** Public path, relative to the site's root (naming.ts). */
  path: string;
  /** The file in `.scs/cache/images/`. */
  file: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
}

/** Everything made of one image, for the site and the email (phase 2 turns it into `<picture>`). */
export interface DerivedImage {
  /** The source, absolute. */
  source: string;
  info: ImageInfo;
  /** The site's candidates: every format, narrowest first. */
  variants: DerivedFile[];
  email: { x1: DerivedFile; x2: DerivedFile };
  og: DerivedFile;
  /** The lists' thumbnails: WebP, then JPEG (PNG), each 160 × 107 then 320 × 213 (plan.ts). */
  thumbs: DerivedFile[];
  /** The original without its GPS position, unless the frontmatter says `download: false`. */
  original?: DerivedFile;
}

export interface DeriveResult {
  /** By `imageKey(file, options)`. */
  images: Map<string, DerivedImage>;
  diagnostics: Diagnostic[];
  /** Image work done: sources decoded and files encoded. Both are 0 on a warm run. */
  decoded: number;
  encoded: number;
}

export interface DeriveOptions {
  /** Images processed at once (default: the number of cores); each holds one decoded image. */
  inFlight?: number;
}

/** A local raster image used by a release: the hero, or one in the body. */
export interface Use {
  release: Release;
  hero: boolean;
  src: string;
  file: string;
  line?: number;
  options: PlanOptions;
}

const RASTER = /\.(?:jpe?g|png|gif|webp|avif|tiff?|heic|heif)$/i;

/** Whether the pipeline processes a file of this name (SVG, for one, is published as it is). */
export const isRaster = (file: string) => RASTER.test(file);

/** The key of one image with its options (two releases may crop the same photo differently). */
export const imageKey = (file: string, options: PlanOptions = {}) =>
  `${file}\0${JSON.stringify(options.focus ?? null)}\0${options.download !== false}`;

/** The hero's plan options, as the frontmatter gives them. */
export function heroOptions(image: NonNullable<Release['image']>): PlanOptions {
  return {
    ...(image.focus ? { focus: image.focus } : {}),
    ...(image.download === false ? { download: false } : {}),
  };
}

/** The local raster images the releases use (inside the project only, as content/ resolved them). */
export function usesOf(config: Config, releases: Release[]): Use[] {
  const uses: Use[] = [];
  for (const release of releases) {
    if (release.image?.file && RASTER.test(release.image.file))
      uses.push({
        release,
        hero: true,
        src: release.image.src,
        file: release.image.file,
        options: heroOptions(release.image),
      });
    for (const b of release.bodyImages)
      if (IMAGE_EXTENSIONS.test(b.file) && RASTER.test(b.file))
        uses.push({ release, hero: false, src: b.url, file: b.file, line: b.line, options: {} });
  }
  // Asked once per file: thousands of releases may share a few photos.
  const outside = new Map<string, boolean>();
  const isOutside = (file: string) =>
    outside.get(file) ?? outside.set(file, outsideProject(config.root, file)).get(file)!;
  return uses.filter((u) => !isOutside(u.file));
}

/**
 * Derives every image the releases use into `.scs/cache/images/`: what is there already is not made
 * again, so a warm run reads no image. A bad image is a diagnostic for each release that uses it, and
 * the others go on; nothing half-written is ever left (cache.ts writes atomically).
 */
export async function deriveImages(
  config: Config,
  releases: Release[],
  options: DeriveOptions = {},
): Promise<DeriveResult> {
  const dir = imageCacheDir(config);
  const sources = new SourceIndex(dir);
  const result: DeriveResult = { images: new Map(), diagnostics: [], decoded: 0, encoded: 0 };
  const at = new Locator(config.root);
  const byFile = new Map<string, Use[]>();
  for (const use of usesOf(config, releases)) {
    const list = byFile.get(use.file);
    if (list) list.push(use);
    else byFile.set(use.file, [use]);
  }

  const problem = (file: string, p: ImageProblem) => {
    sources.fail(file, p);
    for (const use of byFile.get(file)!) {
      const where = at.find(use.release.path, use.src, use.line ?? 1);
      result.diagnostics.push(problemDiagnostic(p, { src: use.src, ...where }));
    }
  };

  // No libvips operation is repeated, so its cache would only hold memory.
  sharpLib().cache(false);
  const inFlight = Math.max(1, options.inFlight ?? availableParallelism());

  const work = async (file: string) => {
    const described = await sources.describe(file);
    if (!described) return;
    const k = described.known;
    let source = described.bytes;
    const read = () => {
      source ??= readFileSync(file);
      return source;
    };
    if (!k.info) return problem(file, k.problem ?? { code: 'image-corrupt', reason: 'unknown' });
    const plans = new Map<string, ImagePlan>();
    for (const use of byFile.get(file)!) {
      const key = imageKey(file, use.options);
      if (!plans.has(key)) plans.set(key, planImage(file, k.hash, k.info, use.options));
    }
    const wanted = new Map([...plans.values()].flatMap((p) => derivatives(p).map((d) => [d.path, d])));
    const missing = [...wanted.values()].filter((d) => !cachedFile(dir, d.path));
    const originals = [...plans.values()].filter((p) => p.original && !cachedFile(dir, p.original.path));
    try {
      if (missing.length) {
        result.decoded++;
        const made = await deriveFiles(read(), [...plans.values()][0]!, missing);
        for (const m of made) writeAtomic(path.join(dir, path.basename(m.derivative.path)), m.data);
        result.encoded += made.length;
      }
      if (originals.length) {
        const data = await originalForDownload(read(), originals[0]!);
        writeAtomic(path.join(dir, path.basename(originals[0]!.original!.path)), data);
        result.encoded++;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code && (error as NodeJS.ErrnoException).syscall) throw error; // the cache cannot be written: not the image's fault
      return problem(file, decodeProblem(error));
    }
    done.set(
      file,
      [...plans].map(([key, plan]) => [key, derivedImage(dir, plan)] as const),
    );
  };

  const files = [...byFile.keys()];
  const done = new Map<string, (readonly [string, DerivedImage])[]>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, files.length) }, async () => {
      while (next < files.length) await work(files[next++]!);
    }),
  );
  // In the releases' order, whichever finished first.
  for (const file of files) for (const [key, image] of done.get(file) ?? []) result.images.set(key, image);
  sources.save();
  sortDiagnostics(result.diagnostics);
  return result;
}

/** The catalogue's diagnostic for an image that cannot be used. */
export function problemDiagnostic(p: ImageProblem, at: Where & { src: string }): Diagnostic {
  switch (p.code) {
    case 'image-corrupt':
      return report(p.code, { ...at, reason: p.reason });
    case 'image-not-image':
      return report(p.code, { ...at, found: p.found });
    case 'image-too-many-pixels':
      return report(p.code, { ...at, width: p.width, height: p.height, limit: p.limit });
    case 'image-format-unsupported':
      return report(p.code, { ...at, format: p.format });
  }
}

function derivedImage(dir: string, plan: ImagePlan): DerivedImage {
  const file = (d: { path: string; width: number; height: number }, format: string): DerivedFile => {
    const cached = path.join(dir, path.basename(d.path));
    return {
      path: d.path,
      file: cached,
      format,
      width: d.width,
      height: d.height,
      bytes: statSync(cached).size,
    };
  };
  const image: DerivedImage = {
    source: plan.file,
    info: plan.info,
    variants: plan.variants.map((d) => file(d, d.format)),
    email: { x1: file(plan.email.x1, 'jpeg'), x2: file(plan.email.x2, 'jpeg') },
    og: file(plan.og, 'jpeg'),
    thumbs: plan.thumbs.map((d) => file(d, d.format)),
  };
  if (plan.original) image.original = file(plan.original, plan.info.format);
  return image;
}
