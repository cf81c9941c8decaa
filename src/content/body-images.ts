import path from 'node:path';
import { countNewlines } from '../core/source-map.js';

/** File extensions taken for images; anything else a Markdown image points at is left alone. */
export const IMAGE_EXTENSIONS = /\.(?:jpe?g|png|gif|webp|avif|svg)$/i;

/** A local image the body of a release refers to. */
export interface BodyImage {
  /** The address as written in the Markdown. */
  url: string;
  /** Absolute path of the file it names (which may not exist). */
  file: string;
  /** 1-based line in the release file. */
  line: number;
  /** Its alt text as written, when the image has one where it is first used (the media bank's caption). */
  alt?: string;
}

const MD_IMAGE = /!\[(?<alt>[^\]]*)\]\(\s*<?(?<url>[^)\s>]+)/g;
const MD_REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(?<url>[^\s>]+)/gm;
const HTML_IMAGE = /<img\b(?<tag>[^>]*?)\ssrc\s*=\s*["']?(?<url>[^"'\s>]+)(?<rest>[^>]*)/gi;
const HTML_ALT = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/** The file path an image address names: query and fragment dropped, percent-escapes decoded. */
export function imageUrlPath(url: string): string {
  const bare = url.replace(/[?#].*$/, '');
  try {
    return decodeURI(bare);
  } catch {
    return bare;
  }
}

/**
 * Local images in a release body, found without a full Markdown parse: `![alt](src)`, reference
 * definitions and `<img src>`. "/images/x.jpg" is relative to the project root, as for the hero image;
 * anything else to the release file.
 */
export function findBodyImages(
  body: string,
  bodyLine: number,
  releasePath: string,
  root: string,
): BodyImage[] {
  const out: BodyImage[] = [];
  // Reference definitions matter only to an image that uses one.
  if (!body.includes('![') && !body.includes('<img')) return out;
  const seen = new Set<string>();
  for (const re of [MD_IMAGE, MD_REFERENCE, HTML_IMAGE]) {
    for (const m of body.matchAll(re)) {
      const { url, alt, tag, rest } = m.groups as Record<string, string | undefined> & { url: string };
      if (seen.has(url) || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url)) continue;
      seen.add(url);
      const decoded = imageUrlPath(url);
      if (!IMAGE_EXTENSIONS.test(decoded)) continue;
      const file = decoded.startsWith('/')
        ? path.join(root, decoded)
        : path.resolve(path.dirname(releasePath), decoded);
      // Copied out of the body, which is not kept.
      const image: BodyImage = {
        url: ` ${url}`.slice(1),
        file,
        line: bodyLine + countNewlines(body, 0, m.index),
      };
      const html = tag !== undefined ? HTML_ALT.exec(`${tag} ${rest ?? ''}`) : null;
      const text = alt ?? html?.[1] ?? html?.[2];
      if (text?.trim()) image.alt = ` ${text.trim()}`.slice(1);
      out.push(image);
    }
  }
  return out;
}
