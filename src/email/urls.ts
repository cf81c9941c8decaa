import path from 'node:path';
import type { Config } from '../config/types.js';

/**
 * Where the site publishes a local image: `<site.baseUrl>assets/<file name>`. The email links to
 * the copy the site serves, since a mail client cannot see files in the repository.
 */
export function assetUrl(config: Config, file: string): string {
  return new URL(`assets/${encodeURIComponent(path.basename(file))}`, config.site.baseUrl).href;
}

/** `mailto:`, `tel:`, `https:` … or undefined for a relative URL. */
export function urlScheme(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

export const isHttpUrl = (url: string) => /^https?:\/\/[^/\s]/i.test(url);

/** Local image paths are relative to the release file, or to the project root when they start with "/". */
export function localImageFile(config: Config, releasePath: string, src: string): string {
  const bare = src.split(/[?#]/)[0]!;
  let clean = bare;
  try {
    clean = decodeURI(bare);
  } catch {
    // A stray "%" is then part of the file name.
  }
  return clean.startsWith('/') ? path.join(config.root, clean) : path.resolve(path.dirname(releasePath), clean);
}
