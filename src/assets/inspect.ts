import { lazyRequire } from '../core/lazy-require.js';
import { exifHasGps } from './exif.js';

export const sharpLib = lazyRequire<typeof import('sharp')>('sharp');

/**
 * The most pixels scs decodes: 150 megapixels, above any press camera (a 102 MP medium-format frame
 * fits), far below what would exhaust memory. A decompression bomb (a small file that claims 50,000 ×
 * 50,000) is refused from its header, before any pixel is decoded.
 */
export const MAX_PIXELS = 150_000_000;

/** What scs knows about a source image, from its header (no pixels decoded). */
export interface ImageInfo {
  /** sharp's name of the decoder: jpeg, png, webp, heif (AVIF), tiff, gif. */
  format: string;
  /** As shown: after the EXIF orientation is applied. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Bits per channel: 8 or 16. */
  bitDepth: number;
  /** Colour space as libvips names it: srgb, cmyk, b-w, rgb16, grey16 … */
  space: string;
  /** EXIF orientation, 1 when none. */
  orientation: number;
  /** Whether an ICC colour profile is embedded. */
  icc: boolean;
  /** Whether the EXIF holds a GPS position. */
  gps: boolean;
  /** File size in bytes. */
  bytes: number;
}

/** Why an image cannot be used: the catalogue code and its arguments (pipeline.ts reports them). */
export type ImageProblem =
  | { code: 'image-corrupt'; reason: string }
  | { code: 'image-not-image'; found: string }
  | { code: 'image-too-many-pixels'; width: number; height: number; limit: number }
  | { code: 'image-format-unsupported'; format: string };

const HEIF_BRANDS = /^(?:heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/;

/** What a file that is not a decodable image holds, from its first bytes; undefined when unsure. */
function sniff(head: Buffer): ImageProblem | undefined {
  const brand = head.toString('latin1', 4, 8) === 'ftyp' ? head.toString('latin1', 8, 12) : '';
  if (HEIF_BRANDS.test(brand)) return { code: 'image-format-unsupported', format: 'HEIC (HEVC-coded HEIF)' };
  const text = head
    .toString('utf8', 0, 256)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(?:!doctype html|html|head|body)/.test(text))
    return { code: 'image-not-image', found: 'an HTML page' };
  if (text.startsWith('<?xml') || text.startsWith('<svg'))
    return { code: 'image-not-image', found: 'XML text' };
  if (
    head.length > 0 &&
    [...head.subarray(0, 64)].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))
  )
    return { code: 'image-not-image', found: 'text' };
  return undefined;
}

/** libvips's words for a file it cannot read, in the user's terms. */
export function decodeProblem(error: unknown): ImageProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (/premature end|truncat|unexpected end|not enough data|end of (?:file|stream)|short read/i.test(message))
    return { code: 'image-corrupt', reason: 'the file is cut short' };
  if (/unsupported image format|no loader|bad seek|compression format has not been built in/i.test(message))
    return { code: 'image-corrupt', reason: 'the format is not recognised' };
  return {
    code: 'image-corrupt',
    reason: message
      .split('\n')[0]!
      .replace(/^Input (?:file|buffer) /, '')
      .slice(0, 120),
  };
}

const DEPTH_BITS: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
};

/** The header of an image file, or the problem that keeps it from being used. */
export async function inspectImage(bytes: Buffer): Promise<{ info: ImageInfo } | { problem: ImageProblem }> {
  const sniffed = sniff(bytes.subarray(0, 256));
  if (sniffed) return { problem: sniffed };
  let meta: Awaited<ReturnType<ReturnType<typeof import('sharp')>['metadata']>>;
  try {
    meta = await sharpLib()(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return { problem: decodeProblem(error) };
  }
  const { width, height, format } = meta;
  if (!width || !height || !format) return { problem: { code: 'image-corrupt', reason: 'it has no size' } };
  if (format === 'heif' && meta.compression === 'hevc')
    return { problem: { code: 'image-format-unsupported', format: 'HEIC (HEVC-coded HEIF)' } };
  if (!['jpeg', 'png', 'webp', 'heif', 'tiff', 'gif'].includes(format))
    return { problem: { code: 'image-format-unsupported', format: format.toUpperCase() } };
  if (width * height > MAX_PIXELS)
    return { problem: { code: 'image-too-many-pixels', width, height, limit: MAX_PIXELS / 1e6 } };
  const orientation = meta.orientation ?? 1;
  const turned = orientation >= 5 && orientation <= 8;
  return {
    info: {
      format,
      width: turned ? height : width,
      height: turned ? width : height,
      hasAlpha: !!meta.hasAlpha,
      bitDepth: DEPTH_BITS[meta.depth ?? 'uchar'] ?? 8,
      space: meta.space ?? 'srgb',
      orientation,
      icc: !!meta.icc,
      // sharp gives the EXIF block with its "Exif\0\0" prefix.
      gps: !!meta.exif && exifHasGps(meta.exif.subarray(6)),
      bytes: bytes.length,
    },
  };
}
