import { renderInline, renderMarkdown } from '../render/markdown.js';

/**
 * Markdown that repeats across pages (a lead on every archive page listing it and in the page's meta
 * description, a boilerplate under every release) is rendered once per thread.
 */
const inlineHtml = new Map<string, string>();
const blockHtml = new Map<string, string>();
/** A long-running preview must not grow without end: start over past this many texts. */
const MEMO_LIMIT = 50000;

function memo(map: Map<string, string>, markdown: string, render: (md: string) => string): string {
  let html = map.get(markdown);
  if (html === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    html = render(markdown);
    map.set(markdown, html);
  }
  return html;
}

export function inlineMarkdown(markdown: string): string {
  return memo(inlineHtml, markdown, renderInline);
}

/** A boilerplate and the like: shared by many releases, without images to resolve. */
export function sharedMarkdown(markdown: string): string {
  return memo(blockHtml, markdown, (md) => renderMarkdown(md).html);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Plain text of a line of inline Markdown (for meta descriptions and feed summaries). */
export function plainText(markdown: string): string {
  return inlineMarkdown(markdown)
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** JSON that is safe inside <script>: no "</script>", no HTML comment openers, no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
