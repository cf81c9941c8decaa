import type MarkdownItType from 'markdown-it';
import type { Token } from 'markdown-it';
import { lazy, lazyRequire } from '../core/lazy-require.js';
import { findAttribution, QUOTE_START } from '../content/paragraphs.js';
import { keepsUrl, sanitize } from './sanitize.js';

/**
 * Markdown → safe HTML, shared by the site and the email. Raw HTML is allowed but sanitised
 * (no script, no event handlers, no javascript: URLs); quotes in the Swedish press style get their
 * attribution marked up.
 */
export interface MarkdownOptions {
  /** Rewrites link and image URLs (e.g. to absolute ones for email, or to copied assets). */
  resolveUrl?: (url: string, kind: 'link' | 'image') => string;
  /** Images (by URL as written, before resolveUrl) shown as their alt text instead: files scs could not use. */
  leaveOut?: (src: string) => boolean;
}

export interface RenderedMarkdown {
  html: string;
  /** Image URLs as written in the Markdown (before resolveUrl), for asset copying and checks. */
  images: string[];
  /** Link URLs as written. */
  links: string[];
}

/** The Markdown parser, made on first use: a build with nothing to render never loads it. */
const markdownIt = lazy(() => {
  const MarkdownIt = lazyRequire<typeof MarkdownItType>('markdown-it')();
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });

  // The page title is the only h1: headings in a body start at h2.
  md.core.ruler.push('scs_headings', (state) => {
    for (const t of state.tokens) {
      if ((t.type === 'heading_open' || t.type === 'heading_close') && t.tag === 'h1') t.tag = 'h2';
    }
  });

  // "– Quote, säger NAME, ROLE." → <p class="quote">… <span class="quote__attribution">säger NAME, ROLE.</span></p>
  md.core.ruler.push('scs_quotes', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      const open = tokens[i]!;
      const inline = tokens[i + 1]!;
      if (open.type !== 'paragraph_open' || inline.type !== 'inline' || !QUOTE_START.test(inline.content))
        continue;
      open.attrJoin('class', 'quote');
      markAttribution(inline, state.Token);
    }
  });
  return md;
});

function markAttribution(inline: Token, TokenClass: typeof Token) {
  const children = inline.children ?? [];
  // The paragraph's words as one string, line breaks as "\n": an attribution after a soft break
  // ("…hope,⏎says Oskar") or across markup is found as in `check`, which reads the lines joined.
  const starts: number[] = [];
  let words = '';
  for (const child of children) {
    starts.push(words.length);
    if (child.type === 'text' || child.type === 'code_inline') words += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') words += '\n';
  }
  const at = findAttribution(words)?.start;
  if (at === undefined) return;
  // The child holding the whitespace before the verb; the span opens there and closes at the end,
  // so it must not be inside a link or emphasis (level 0), or the tags would cross.
  let j = children.length - 1;
  while (j > 0 && starts[j]! > at) j--;
  const child = children[j]!;
  if (child.level !== 0 || child.type === 'code_inline') return;
  // Markup of scs's own is made of tokens like Markdown's, never raw HTML, which is the author's.
  const span = new TokenClass('attribution_open', 'span', 1);
  span.attrSet('class', 'quote__attribution');
  const close = new TokenClass('attribution_close', 'span', -1);
  if (child.type === 'text') {
    const before = new TokenClass('text', '', 0);
    before.content = child.content.slice(0, at - starts[j]!);
    const after = new TokenClass('text', '', 0);
    after.content = child.content.slice(at - starts[j]!);
    children.splice(j, 1, before, span, after);
  } else children.splice(j, 0, span);
  children.push(close);
}

/**
 * Whether rendered tokens need the sanitiser. markdown-it escapes text and attributes and refuses
 * javascript:, vbscript:, file: and most data: URLs itself, so what is left is raw HTML (every html
 * token: scs makes none) and URLs of a scheme the sanitiser would not keep.
 */
function needsSanitiser(tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (t.type === 'html_block' || t.type === 'html_inline') return true;
    if (t.type === 'image' && !keepsUrl(String(t.attrGet('src') ?? ''), 'image')) return true;
    if (t.type === 'link_open' && !keepsUrl(String(t.attrGet('href') ?? ''), 'link')) return true;
    if (t.children && needsSanitiser(t.children)) return true;
  }
  return false;
}

/**
 * An image scs could not use (`leaveOut`) as its alt text: its words stay (a link around it keeps its
 * text), escaped as any text, since an image token's content is its alt text.
 */
function asAltText(t: Token): void {
  t.type = 'text';
  t.tag = '';
  t.attrs = null;
  t.children = null;
}

/** Renders a Markdown document. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const env = {};
  const md = markdownIt();
  const tokens = md.parse(markdown, env);
  const images: string[] = [];
  const links: string[] = [];
  const visit = (list: Token[]) => {
    for (const t of list) {
      if (t.type === 'image') {
        const src = String(t.attrGet('src') ?? '');
        images.push(src);
        if (options.leaveOut?.(src)) {
          asAltText(t);
          continue;
        }
        if (options.resolveUrl) t.attrSet('src', options.resolveUrl(src, 'image'));
      } else if (t.type === 'link_open') {
        const href = String(t.attrGet('href') ?? '');
        links.push(href);
        if (options.resolveUrl) t.attrSet('href', options.resolveUrl(href, 'link'));
      }
      if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  const html = md.renderer.render(tokens, md.options, env);
  return { html: needsSanitiser(tokens) ? sanitize(html) : html, images, links };
}

/** Renders one line of inline Markdown (a lead, a boilerplate sentence) without a wrapping paragraph. */
export function renderInline(markdown: string): string {
  const md = markdownIt();
  const env = {};
  const tokens = md.parseInline(markdown, env);
  const html = md.renderer.render(tokens, md.options, env);
  return needsSanitiser(tokens) ? sanitize(html) : html;
}

/**
 * The token stream, for renderers of other formats (the plain-text email), with the images `leaveOut`
 * names already turned into their alt text, as `renderMarkdown` shows them.
 */
export function parseMarkdown(markdown: string, leaveOut?: MarkdownOptions['leaveOut']): Token[] {
  const tokens = markdownIt().parse(markdown, {});
  if (!leaveOut) return tokens;
  const visit = (list: Token[]) => {
    for (const t of list) {
      if (t.type === 'image' && leaveOut(String(t.attrGet('src') ?? ''))) asAltText(t);
      else if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  return tokens;
}
