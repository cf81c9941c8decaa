import type MarkdownItType from 'markdown-it';
import type { Token } from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { lazy, lazyRequire } from '../core/lazy-require.js';
import { ATTRIBUTION_START, QUOTE_START } from '../content/paragraphs.js';

/**
 * Markdown → safe HTML, shared by the site and the email. Raw HTML is allowed but sanitised
 * (no script, no event handlers, no javascript: URLs); quotes in the Swedish press style get their
 * attribution marked up.
 */
export interface MarkdownOptions {
  /** Rewrites link and image URLs (e.g. to absolute ones for email, or to copied assets). */
  resolveUrl?: (url: string, kind: 'link' | 'image') => string;
}

export interface RenderedMarkdown {
  html: string;
  /** Image URLs as written in the Markdown (before resolveUrl), for asset copying and checks. */
  images: string[];
  /** Link URLs as written. */
  links: string[];
}

// Only Markdown with raw HTML in it needs the sanitizer.
const sanitizer = lazyRequire<typeof sanitizeHtml>('sanitize-html');

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'small',
    'mark',
    'abbr',
    'cite',
    'q',
    'code',
    'pre',
    'a',
    'img',
    'figure',
    'figcaption',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'caption',
    'span',
    'div',
    'dl',
    'dt',
    'dd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align', 'scope', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    ol: ['start'],
    abbr: ['title'],
    '*': ['class', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

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
  for (let j = children.length - 1; j >= 0; j--) {
    const child = children[j]!;
    if (child.type !== 'text') continue;
    const m = ATTRIBUTION_START.exec(child.content);
    if (!m) continue;
    const before = new TokenClass('text', '', 0);
    before.content = child.content.slice(0, m.index + 1);
    const span = new TokenClass('html_inline', '', 0);
    span.content = '<span class="quote__attribution">';
    const after = new TokenClass('text', '', 0);
    after.content = child.content.slice(m.index + 1).replace(/^\s+/, ' ');
    const close = new TokenClass('html_inline', '', 0);
    close.content = '</span>';
    children.splice(j, 1, before, span, after);
    children.push(close);
    return;
  }
}

/** Renders a Markdown document. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const env = {};
  const md = markdownIt();
  const tokens = md.parse(markdown, env);
  const images: string[] = [];
  const links: string[] = [];
  let rawHtml = false;
  const visit = (list: Token[]) => {
    for (const t of list) {
      if (t.type === 'html_block' || t.type === 'html_inline') {
        if (!t.content.startsWith('<span class="quote__attribution">') && t.content !== '</span>')
          rawHtml = true;
      } else if (t.type === 'image') {
        const src = String(t.attrGet('src') ?? '');
        images.push(src);
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
  let html = md.renderer.render(tokens, md.options, env);
  // Sanitising is only needed where the author wrote raw HTML; plain Markdown is escaped by the renderer.
  if (rawHtml) html = sanitizer()(html, SANITIZE);
  return { html, images, links };
}

/** Renders one line of inline Markdown (a lead, a boilerplate sentence) without a wrapping paragraph. */
export function renderInline(markdown: string): string {
  const html = markdownIt().renderInline(markdown);
  return /<[a-z!/]/i.test(markdown) ? sanitizer()(html, SANITIZE) : html;
}

/** The token stream, for renderers of other formats (the plain-text email). */
export function parseMarkdown(markdown: string): Token[] {
  return markdownIt().parse(markdown, {});
}
