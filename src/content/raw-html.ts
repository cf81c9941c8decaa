import { report } from '../core/catalogue/index.js';
import type { Diagnostic, Position } from '../core/diagnostic.js';
import { LineIndex } from '../core/source-map.js';
import { parseMarkdown } from '../render/markdown.js';
import { removedBySanitiser } from '../render/sanitize.js';
import type { Token } from 'markdown-it';

/** Markdown of a release, and where it is written in the file. */
export interface MarkdownSource {
  markdown: string;
  /** Where it starts; also where to point when a removed part is not found as written (YAML escapes). */
  at: Position;
  /** Whether its lines are the file's lines from there on (the body), not a YAML value (lead, boilerplate). */
  mapped: boolean;
}

/** Anything markdown-it may take for raw HTML starts like this: most releases have none, and skip the parse. */
const MAYBE_HTML = /<[a-z!?/]/i;

/** A long attribute value (a data: URL) shortened for a message. */
function clip(item: string): string {
  return item.replace(/="([^"]{40})[^"]+"/, '="$1…"');
}

/**
 * A warning for each piece of raw HTML in a release that the sanitiser changes (its scripts, event
 * handlers, frames, bad URLs … are never published), at the first part it removes.
 */
export function rawHtmlWarnings(
  file: string,
  text: string,
  sources: readonly MarkdownSource[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let index: LineIndex | undefined;
  for (const source of sources) {
    if (!MAYBE_HTML.test(source.markdown)) continue;
    index ??= new LineIndex(text);
    const lines = index;
    // Where the previous warning pointed: the next one looks for its needle after it.
    let cursor = 0;
    const visit = (tokens: readonly Token[], line: number) => {
      for (const t of tokens) {
        const here = source.mapped && t.map ? source.at.line + t.map[0] : line;
        if (t.type === 'html_block' || t.type === 'html_inline') {
          const removed = removedBySanitiser(t.content);
          if (removed.length === 0) continue;
          // The first removed part, as written: "<script" or an attribute's name.
          const needle = removed[0]!.startsWith('<') ? removed[0]!.slice(0, -1) : removed[0]!.split('=')[0]!;
          const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
          re.lastIndex = Math.max(cursor, lines.offsetOf(here));
          const found = re.exec(text);
          if (found) cursor = found.index + 1;
          const fallback = source.mapped ? { line: here, column: 1 } : source.at;
          const shown =
            removed.slice(0, 3).map(clip).join(', ') +
            (removed.length > 3 ? ` and ${removed.length - 3} more` : '');
          out.push(
            report('html-removed', {
              removed: shown,
              file,
              ...(found ? lines.position(found.index) : fallback),
            }),
          );
        }
        if (t.children) visit(t.children, here);
      }
    };
    visit(parseMarkdown(source.markdown), source.at.line);
  }
  return out;
}
