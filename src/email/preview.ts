import mjml2html from 'mjml';
import type { Config } from '../config/types.js';
import { releaseUrl } from '../content/permalink.js';
import type { Release } from '../content/types.js';
import { renderMarkdown } from '../render/markdown.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A full HTML page: the email at phone and desktop widths, the text part and the headers. */
export async function renderEmailPreview(config: Config, release: Release, _options: { listId?: string } = {}): Promise<string> {
  const body = renderMarkdown(release.body).html;
  const mj = `<mjml><mj-body><mj-section><mj-column><mj-text><h1>${esc(release.title)}</h1></mj-text><mj-text>${body}</mj-text><mj-text><a href="${esc(releaseUrl(config, release))}">web</a></mj-text></mj-column></mj-section></mj-body></mjml>`;
  const { html } = await mjml2html(mj, { validationLevel: 'soft' });
  const frame = (w: number) => `<iframe title="${w}px" style="width:${w}px;height:900px;border:1px solid #ccc" srcdoc="${esc(html)}"></iframe>`;
  return `<!doctype html><html lang="${release.lang}"><head><meta charset="utf-8"><title>${esc(release.title)}</title></head><body>${frame(375)}${frame(800)}</body></html>`;
}
