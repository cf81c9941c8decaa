import { readFileSync } from 'node:fs';
import type { Release } from './types.js';

/**
 * The body of a release: the text of its file from `bodyLine` on. Bodies are not kept in the model
 * (they are most of a release's size, and most commands never look at them), so whoever renders one
 * reads it here.
 */
export function bodyFromText(text: string, bodyLine: number): string {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 1; n < bodyLine; n++) {
    at = text.indexOf('\n', at) + 1;
    if (at === 0) return '';
  }
  return text.slice(at);
}

/** Reads the body of a release from its file; throws (ENOENT …) when the file has gone since it was read. */
export function readReleaseBody(release: Pick<Release, 'path' | 'bodyLine'>): string {
  return bodyFromText(readFileSync(release.path, 'utf8'), release.bodyLine);
}
