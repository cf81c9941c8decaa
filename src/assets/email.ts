import type { Config } from '../config/types.js';
import { imageCacheDir } from './cache.js';
import { isRaster } from './pipeline.js';
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

export interface EmailImages {
  /** The email's copies, by file. */
  copies: Map<string, EmailImage>;
  /**
   * Raster files the pipeline could not use (the header, or the build that failed to decode them, said
   * so: sources.json): the site publishes nothing of them, so the email leaves them out too.
   */
  unusable: Set<string>;
}

/**
 * The email's copies of local raster images, by file: absolute URLs on the published site, named by
 * the one scheme (naming.ts via plan.ts), so that the site publishes them where the email points; and
 * the files that cannot be used (assets/ reports them), which have no copy.
 */
export async function emailImages(config: Config, files: string[]): Promise<EmailImages> {
  const sources = new SourceIndex(imageCacheDir(config));
  const copies = new Map<string, EmailImage>();
  const unusable = new Set<string>();
  for (const file of new Set(files)) {
    const known = (await sources.describe(file))?.known;
    if (!known) continue; // content/ reports a missing file
    if (!known.info) {
      if (isRaster(file)) unusable.add(file);
      continue;
    }
    const { x1, x2 } = planImage(file, known.hash, known.info).email;
    const url = (p: string) => new URL(p, config.site.baseUrl).href;
    copies.set(file, {
      url: url(x1.path),
      srcset:
        x1.path === x2.path
          ? `${url(x1.path)} ${x1.width}w`
          : `${url(x1.path)} ${x1.width}w, ${url(x2.path)} ${x2.width}w`,
      width: x1.width,
      height: x1.height,
    });
  }
  return { copies, unusable };
}
