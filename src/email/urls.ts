import path from 'node:path';
import type { Config } from '../config/types.js';
import { type LinkIndex, resolveLink } from '../content/links.js';
import { releaseUrl } from '../content/permalink.js';
import type { Release } from '../content/types.js';
import { ImageRegistry } from '../assets/naming.js';

/** What the site's image registry learnt about files (hash, size), shared between renders. */
const knownImages: Record<string, never> = {};

/**
 * The URL at which the site publishes a local image or attachment
 * (`<site.baseUrl>assets/images/<name>-<hash>.<ext>`, computed by the site's own registry). The email shows the published copy: a mail client cannot
 * see files in the repository.
 */
export function assetUrl(config: Config, file: string): string {
  const published = new ImageRegistry(knownImages).get(file)?.out ?? `assets/images/${path.basename(file)}`;
  return new URL(published, config.site.baseUrl).href;
}

/** The site's copy of a local image as a path on the site's own host: what `scs preview` serves. */
export const siteImagePath = (config: Config, file: string) => new URL(assetUrl(config, file)).pathname;

/** A local image file as a URL relative to `dir`: how an HTML file written there shows it. */
export const relativeFileUrl = (dir: string, file: string) =>
  path.relative(dir, file).split(path.sep).map(encodeURIComponent).join('/');

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
  return clean.startsWith('/')
    ? path.join(config.root, clean)
    : path.resolve(path.dirname(releasePath), clean);
}

/**
 * Where a relative link of a release leads, as an absolute URL (content/links.ts resolves it): another
 * release's page, an attachment's copy on the site, or else the address against the release's own page.
 * `index` is asked for only when there is a relative link to resolve.
 */
export function absoluteLinkUrl(
  config: Config,
  release: Release,
  href: string,
  index: () => LinkIndex,
): string {
  if (urlScheme(href) || href.startsWith('//') || href.startsWith('#')) return href;
  const target = resolveLink(href, release.path, index());
  if (target.kind === 'release') return releaseUrl(config, target.release) + target.fragment;
  if (target.kind === 'attachment') return assetUrl(config, target.file) + target.fragment;
  return new URL(href, releaseUrl(config, release)).href;
}
