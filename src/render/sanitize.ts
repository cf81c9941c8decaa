import type sanitizeHtml from 'sanitize-html';
import { lazyRequire } from '../core/lazy-require.js';

/**
 * The one sanitiser configuration, for pages, feeds and emails alike: the HTML a release may carry.
 * No scripts, frames, forms, SVG or MathML, no event handlers, no URLs other than http(s), mailto and
 * tel (images: http(s) only).
 */
const sanitizer = lazyRequire<typeof sanitizeHtml>('sanitize-html');

const URL_SCHEMES = ['http', 'https', 'mailto', 'tel'];
const IMAGE_SCHEMES = ['http', 'https'];

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
    // markdown-it writes a table column's alignment as style="text-align:…".
    th: ['align', 'scope', 'colspan', 'rowspan', 'style'],
    td: ['align', 'colspan', 'rowspan', 'style'],
    ol: ['start'],
    abbr: ['title'],
    '*': ['class', 'lang'],
  },
  allowedStyles: { '*': { 'text-align': [/^(?:left|right|center)$/] } },
  allowedSchemes: URL_SCHEMES,
  allowedSchemesByTag: { img: IMAGE_SCHEMES },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/** Every tag and attribute kept as it is: the same parser and serialiser, nothing removed. */
const KEEP_ALL: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  allowedSchemesAppliedToAttributes: [],
  allowProtocolRelative: true,
};

export function sanitize(html: string): string {
  return sanitizer()(html, SANITIZE);
}

/** Whether the sanitiser keeps a URL on a link or an image: relative, or of an allowed scheme. */
export function keepsUrl(url: string, kind: 'link' | 'image'): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme) return (kind === 'image' ? IMAGE_SCHEMES : URL_SCHEMES).includes(scheme);
  return !url.startsWith('//');
}

/** The elements and attributes of an HTML fragment, as the sanitiser's parser reads them. */
function inventory(html: string): Set<string> {
  const seen = new Set<string>();
  sanitizer()(html, {
    ...KEEP_ALL,
    onOpenTag(name, attribs) {
      seen.add(`<${name}>`);
      for (const [attr, value] of Object.entries(attribs)) seen.add(`${attr}="${value}" on <${name}>`);
    },
  });
  return seen;
}

/**
 * What the sanitiser removes from an HTML fragment ("<script>", `onerror="…" on <img>`), in the order
 * written; empty when it keeps everything.
 */
export function removedBySanitiser(html: string): string[] {
  const kept = inventory(sanitize(html));
  const removed = [...inventory(html)].filter((item) => !kept.has(item));
  // The attributes of an element removed as a whole go without saying.
  return removed.filter(
    (item) => item.startsWith('<') || !removed.includes(item.slice(item.lastIndexOf(' on ') + 4)),
  );
}
