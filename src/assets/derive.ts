import type { Sharp } from 'sharp';
import { jpegWithoutGps, pngWithoutGps } from './exif.js';
import { MAX_PIXELS, sharpLib } from './inspect.js';
import { type Derivative, EMAIL_QUALITIES, type ImagePlan } from './plan.js';

/** A file made from a plan, as bytes: the caller writes it (pipeline.ts, atomically). */
export interface Encoded {
  derivative: Derivative;
  data: Buffer;
}

const WHITE = { r: 255, g: 255, b: 255 };

/**
 * Encoder settings: what the web needs at the speed a build can afford. AVIF dominates the cost: effort
 * 0 with 4:2:0 chroma takes about a third of the CPU of effort 2 for a few per cent more bytes (measured on
 * 6000×4000 photos, bench/images.mjs); WebP's effort 0 likewise.
 */
function encode(image: Sharp, d: Derivative, quality?: number): Sharp {
  if (d.format === 'avif') return image.avif({ quality: 50, effort: 0, chromaSubsampling: '4:2:0' });
  if (d.format === 'webp') return image.webp({ quality: 72, effort: 0 });
  if (d.format === 'png') return image.png({ compressionLevel: 8 });
  return image.flatten({ background: WHITE }).jpeg({ quality: quality ?? 78, progressive: true });
}

/**
 * The source decoded once, with the orientation applied and converted to sRGB through its ICC profile
 * (so a CMYK, 16-bit or wide-gamut file looks right in every browser without a profile), at the
 * smallest size every derivative can come from. Each derivative then resizes this, instead of
 * decoding the full original again; JPEG's shrink-on-load keeps even that first decode small.
 */
async function decodeBase(source: Buffer, plan: ImagePlan) {
  const { width, height } = plan.info;
  const scale = Math.min(1, Math.max(1600 / width, plan.og.width / width, plan.og.height / height));
  return sharpLib()(source, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
    .rotate()
    .resize({ width: Math.max(1, Math.round(width * scale)), withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** A decoded image in memory: libvips's raw pixels and their layout. */
interface Raw {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/**
 * Makes the files of `wanted` (derivatives of `plan`) from the source's bytes. Throws what sharp throws.
 * Each size is resized once and every format encoded from it (the site's three formats share a width,
 * the email's 2× JPEG the site's 1200, the Open Graph crop the 1200 it is cut from): resizing is about a
 * fifth of the work, encoding and the one decode the rest.
 */
export async function deriveFiles(source: Buffer, plan: ImagePlan, wanted: Derivative[]): Promise<Encoded[]> {
  if (!wanted.length) return [];
  const base = (await decodeBase(source, plan)) as Raw;
  const { width, height } = base.info;
  const load = (raw: Raw) => sharpLib()(raw.data, { raw: raw.info });
  const sizes = new Map<string, Promise<Raw>>();
  const resized = (w: number, h: number): Promise<Raw> => {
    if (w === width && h === height) return Promise.resolve(base);
    const key = `${w}x${h}`;
    let made = sizes.get(key);
    if (!made) {
      made = load(base)
        .resize(w, h, { fit: 'fill' })
        .raw()
        .toBuffer({ resolveWithObject: true }) as Promise<Raw>;
      sizes.set(key, made);
    }
    return made;
  };
  return Promise.all(
    wanted.map(async (d): Promise<Encoded> => {
      if (d.focus) {
        const c = cover(width, height, d);
        const data = await encode(load(await resized(c.width, c.height)).extract(c.extract), d).toBuffer();
        return { derivative: d, data };
      }
      const raw = await resized(d.width, d.height);
      if (!d.maxBytes) return { derivative: d, data: await encode(load(raw), d).toBuffer() };
      // Email: the best quality under the size limit, or the lowest step when none is.
      let data: Buffer | undefined;
      for (const q of EMAIL_QUALITIES) {
        data = await encode(load(raw), d, q).toBuffer();
        if (data.length <= d.maxBytes) break;
      }
      return { derivative: d, data: data! };
    }),
  );
}

/** The size to scale to so that the crop is covered, and the crop in it that keeps the focal point as central as the edges allow. */
function cover(width: number, height: number, d: Derivative) {
  const scale = Math.max(d.width / width, d.height / height);
  const w = Math.max(d.width, Math.round(width * scale));
  const h = Math.max(d.height, Math.round(height * scale));
  const [fx, fy] = d.focus!;
  const left = Math.min(w - d.width, Math.max(0, Math.round(fx * w - d.width / 2)));
  const top = Math.min(h - d.height, Math.max(0, Math.round(fy * h - d.height / 2)));
  return { width: w, height: h, extract: { left, top, width: d.width, height: d.height } };
}

/**
 * The original as journalists download it: the same bytes without the GPS position. JPEG and PNG are
 * edited in place (exif.ts). Other formats with a position are re-encoded losslessly in their own
 * format with the ICC profile kept: the pixels stay exact, but their other EXIF goes too.
 */
export async function originalForDownload(source: Buffer, plan: ImagePlan): Promise<Buffer> {
  const { format, gps } = plan.info;
  if (format === 'jpeg') return jpegWithoutGps(source);
  if (format === 'png') return pngWithoutGps(source);
  if (!gps) return source;
  const image = sharpLib()(source, { limitInputPixels: MAX_PIXELS }).keepIccProfile();
  if (format === 'webp') return image.webp({ lossless: true }).toBuffer();
  if (format === 'heif') return image.avif({ lossless: true }).toBuffer();
  return image.tiff({ compression: 'deflate' }).toBuffer();
}
