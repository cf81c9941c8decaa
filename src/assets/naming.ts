import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_EXTENSIONS } from '../content/body-images.js';
import { outsideProject } from '../content/files.js';
import { lazyRequire } from '../core/lazy-require.js';
import { slugify } from '../core/slug.js';

// Needed only for images the registry has not measured before.
const imageSizeLib = lazyRequire<typeof import('image-size')>('image-size');

/**
 * The one scheme that names published images, for the site and the email alike (issue #13: `email/`
 * asks here, not `site/`). Originals keep their name and extension:
 * `assets/images/<name>-<hash>.<ext>`; derived files add their width:
 * `assets/images/<name>-<hash>-<width>.<ext>`. The hash changes with the file, so a changed image gets
 * a new address and caches never serve a stale one.
 */
export const IMAGES_DIR = 'assets/images';

/** A file's name, made safe for a URL: the first part of every name it is published under. */
function baseName(file: string, fallback = 'image'): string {
  return slugify(path.basename(file, path.extname(file)), 40) || fallback;
}

/** Where the site publishes a local image as it is (or an attachment, under `assets/files/`). */
export function originalPath(file: string, hash: string, image = true): string {
  const ext = path.extname(file).toLowerCase();
  return image
    ? `${IMAGES_DIR}/${baseName(file)}-${hash.slice(0, 10)}${ext}`
    : `assets/files/${baseName(file, 'file')}-${hash.slice(0, 10)}${ext}`;
}

/**
 * Where a derived image is published. `key` names the source's content and the recipe that made the
 * file (derive.ts), so that a new quality or focal point also gets a new address; `size` is the width, or
 * `<w>x<h>` for a crop.
 */
export function derivedPath(file: string, key: string, size: number | string, ext: string): string {
  return `${IMAGES_DIR}/${baseName(file)}-${key.slice(0, 10)}-${size}.${ext}`;
}

/** A local image, or an attachment (content/links.ts), as it appears in the output. */
export interface ImageAsset {
  /** Absolute source file. */
  file: string;
  /**
   * Output path: `assets/images/<name>-<content hash>.<ext>` (`assets/files/…` for attachments), so a
   * changed file gets a new address.
   */
  out: string;
  /** In bytes. */
  size: number;
  width?: number;
  height?: number;
}

interface Known {
  size: number;
  mtimeMs: number;
  hash: string;
  width?: number;
  height?: number;
}

/**
 * The local images and attachments a build copies: the one place that names assets. What it learns
 * (content hash and dimensions, keyed by size and modification time) is kept between builds, so an
 * unchanged file is not read again.
 */
export class ImageRegistry {
  private readonly known: Record<string, Known>;
  private readonly used = new Map<string, ImageAsset | null>();

  /** With `root`, an image outside the project is never read (the check reports it; its answer may be cached). */
  constructor(
    saved: unknown,
    private readonly root?: string,
  ) {
    this.known = saved && typeof saved === 'object' ? (saved as Record<string, Known>) : {};
  }

  /** The asset for an image file; undefined when it is missing or unreadable. */
  get(file: string): ImageAsset | undefined {
    let asset = this.used.get(file);
    if (asset === undefined) {
      asset = this.load(file);
      this.used.set(file, asset);
    }
    return asset ?? undefined;
  }

  private load(file: string): ImageAsset | null {
    if (this.root !== undefined && outsideProject(this.root, file)) return null;
    const image = IMAGE_EXTENSIONS.test(file);
    let known = this.known[file];
    try {
      const st = statSync(file);
      if (!st.isFile()) return null;
      if (!known || known.size !== st.size || known.mtimeMs !== st.mtimeMs) {
        const bytes = readFileSync(file);
        known = {
          size: st.size,
          mtimeMs: st.mtimeMs,
          hash: createHash('sha256').update(bytes).digest('hex'),
        };
        try {
          if (image) {
            const { width, height } = imageSizeLib().imageSize(bytes);
            if (width && height) Object.assign(known, { width, height });
          }
        } catch {
          // Not a format image-size knows: the page shows it without width and height.
        }
        this.known[file] = known;
      }
    } catch {
      return null;
    }
    const asset: ImageAsset = { file, out: originalPath(file, known.hash, image), size: known.size };
    if (known.width) Object.assign(asset, { width: known.width, height: known.height });
    return asset;
  }

  /** Every image used by this build. */
  assets(): ImageAsset[] {
    return [...this.used.values()].filter((a): a is ImageAsset => a !== null);
  }

  /** What to keep for the next build: only images still in use. */
  toJSON(): Record<string, Known> {
    const out: Record<string, Known> = {};
    for (const [file, asset] of this.used) if (asset && this.known[file]) out[file] = this.known[file];
    return out;
  }
}
