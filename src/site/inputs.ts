import { statSync } from 'node:fs';
import { linkIndex, type LinkIndex, resolveLink } from '../content/links.js';
import type { Release } from '../content/types.js';
import { sha256Hex } from '../core/sha256.js';
import { releaseState, rid } from './plan.js';

/**
 * A digest of everything the output is made from, short of planning it: the code, templates and config
 * (`global`), whether there is a search index, the published releases in order with their content and
 * state at `now`, and the image and attachment files they show (by size and modification time). When it equals the last
 * build's, and the output is the folder that build left, there is nothing to do.
 */
export function buildInputs(
  global: string,
  search: boolean,
  visible: readonly Release[],
  now: Date,
  root: string,
): string {
  const images = new Set<string>();
  let index: LinkIndex | undefined;
  const parts = [global, search ? 'search' : 'no-search'];
  for (const r of visible) {
    parts.push(`${rid(r)}:${releaseState(r, now)}`);
    if (r.image?.file) images.add(r.image.file);
    for (const b of r.bodyImages) images.add(b.file);
    for (const l of r.links) {
      index ??= linkIndex(root, visible);
      const target = resolveLink(l.url, r.path, index);
      if (target.kind === 'attachment') images.add(target.file);
    }
  }
  for (const file of [...images].sort()) {
    const st = statSync(file, { throwIfNoEntry: false });
    parts.push(st ? `${file}:${st.size}:${st.mtimeMs}` : `${file}:-`);
  }
  return sha256Hex(parts.join('\n'));
}
