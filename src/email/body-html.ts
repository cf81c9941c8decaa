import { type MarkdownOptions, renderMarkdown } from '../render/markdown.js';

/**
 * Release Markdown as email HTML: absolute URLs, and inline styles on each element, because many
 * mail clients drop <style> blocks. (Cheaper than running a CSS inliner over the whole email.)
 */
const STYLES: Record<string, string> = {
  h2: 'margin:28px 0 8px;font-size:21px;line-height:1.3;font-weight:700;color:#12355b',
  h3: 'margin:24px 0 8px;font-size:18px;line-height:1.35;font-weight:700;color:#12355b',
  h4: 'margin:20px 0 6px;font-size:16px;line-height:1.4;font-weight:700',
  h5: 'margin:20px 0 6px;font-size:16px;line-height:1.4;font-weight:700',
  h6: 'margin:20px 0 6px;font-size:16px;line-height:1.4;font-weight:700',
  p: 'margin:0 0 16px',
  blockquote: 'margin:0 0 16px;padding:2px 0 2px 16px;border-left:3px solid #c5ced8;color:#3e4c59',
  ul: 'margin:0 0 16px;padding:0 0 0 24px',
  ol: 'margin:0 0 16px;padding:0 0 0 24px',
  li: 'margin:0 0 6px',
  a: 'color:#0b5cad;text-decoration:underline',
  img: 'display:block;max-width:100%;height:auto;border:0;margin:0 0 8px',
  table: 'width:100%;border-collapse:collapse;margin:0 0 16px;font-size:15px',
  th: 'border:1px solid #d9e2ec;padding:6px 8px;text-align:left;vertical-align:top;background:#f5f7fa',
  td: 'border:1px solid #d9e2ec;padding:6px 8px;text-align:left;vertical-align:top',
  pre: 'margin:0 0 16px;padding:12px;background:#f5f7fa;white-space:pre-wrap;word-break:break-word;font-size:14px',
  code: 'font-family:Menlo,Consolas,monospace;font-size:14px',
  hr: 'border:0;border-top:1px solid #d9e2ec;margin:24px 0',
  figure: 'margin:0 0 16px',
  figcaption: 'font-size:14px;color:#52606d',
};
const QUOTE = 'margin:0 0 16px;padding:0 0 0 14px;border-left:3px solid #0b5cad;font-style:italic';
const ATTRIBUTION = 'font-style:normal;color:#52606d';

const TAG =
  /<(h[2-6]|p|blockquote|ul|ol|li|a|img|table|th|td|pre|code|hr|figure|figcaption|span)(\s[^>]*)?>/g;

function styleHtml(html: string): string {
  return html.replace(TAG, (whole, tag: string, attrs = '') => {
    let style: string | undefined = STYLES[tag];
    if (tag === 'p' && attrs.includes('class="quote"')) style = QUOTE;
    else if (tag === 'span') style = attrs.includes('quote__attribution') ? ATTRIBUTION : undefined;
    if (!style) return whole;
    // markdown-it writes table alignment as style="text-align:…"; keep it after ours so it wins.
    const own = /\sstyle="([^"]*)"/.exec(attrs);
    const rest = own ? attrs.replace(own[0], '') : attrs;
    return `<${tag} style="${style}${own ? `;${own[1]}` : ''}"${rest}>`;
  });
}

/** `options`: the content's `resolveUrl`, and its `leaveOut` (images the pipeline could not use). */
export function emailBodyHtml(
  markdown: string,
  options: Required<Pick<MarkdownOptions, 'resolveUrl'>> & Pick<MarkdownOptions, 'leaveOut'>,
): string {
  const { resolveUrl, leaveOut } = options;
  return styleHtml(renderMarkdown(markdown, { resolveUrl, ...(leaveOut ? { leaveOut } : {}) }).html);
}
