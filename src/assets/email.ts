import type { Config } from '../config/types.js';
import { imageCacheDir } from './cache.js';
import { planImage } from './plan.js';
import { SourceIndex } from './sources.js';

/** A local image as an email shows it: the 600 px JPEG, with the 1200 px one for 2× screens. */
export interface EmailImage {
  /** Absolute URL of the 600 px JPEG (narrower when the original is). */
  url: string;
  /** `srcset` for both JPEGs, by width. */
  srcset: string;
  width: number;
  height: number;
}

/**
 * The email's copies of local raster images, by file: absolute URLs on the published site, named by
 * the one scheme (naming.ts via plan.ts), so that the site publishes them where the email points.
 * An image that cannot be used (assets/ reports it) is left out: the caller shows the original.
 */
export async function emailImages(config: Config, files: string[]): Promise<Map<string, EmailImage>> {
  const sources = new SourceIndex(imageCacheDir(config));
  const out = new Map<string, EmailImage>();
  for (const file of new Set(files)) {
    const known = (await sources.describe(file))?.known;
    if (!known?.info) continue;
    const { x1, x2 } = planImage(file, known.hash, known.info).email;
    const url = (p: string) => new URL(p, config.site.baseUrl).href;
    out.set(file, {
      url: url(x1.path),
      srcset:
        x1.path === x2.path
          ? `${url(x1.path)} ${x1.width}w`
          : `${url(x1.path)} ${x1.width}w, ${url(x2.path)} ${x2.width}w`,
      width: x1.width,
      height: x1.height,
    });
  }
  return out;
}
