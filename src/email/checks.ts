import { existsSync } from 'node:fs';
import { readReleaseBody } from '../content/body.js';
import type { Token } from 'markdown-it';
import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { parseMarkdown } from '../render/markdown.js';
import type { EmailContent } from './content.js';
import type { Locator, FilePosition } from '../content/locate.js';
import { hasControlCharacters } from '../core/text.js';
import { plainInline } from './text.js';
import { isHttpUrl, localImageFile, urlScheme } from './urls.js';

/** Longer subjects are cut off by every mail client, and some spam filters dislike them. */
const MAX_SUBJECT = 150;
/** Gmail clips HTML beyond 102 KB behind a "View entire message" link (and hides the footer). */
const HTML_LIMIT = 102 * 1024;
export const HTML_WARN = 90 * 1024;

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** Header fields and single-line texts: no line breaks may reach a header or break the layout. */
function checkFields(config: Config, release: Release, content: EmailContent, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const title = () => at.key(release.path, 'title');
  if (hasControlCharacters(content.subject)) {
    out.push(report('email-subject-line-break', title()));
  }
  if (content.subject.length > MAX_SUBJECT) {
    out.push(
      report('email-subject-too-long', { length: content.subject.length, max: MAX_SUBJECT, ...title() }),
    );
  }
  const configFile = config.file;
  const configured = (value: string, what: string) => {
    if (!hasControlCharacters(value)) return;
    out.push(report('email-header-line-break', { what, ...(configFile ? at.find(configFile, value) : {}) }));
  };
  configured(config.newsletter.from.name, 'newsletter.from.name');
  configured(content.listName, `The name of list "${content.list.id}"`);
  configured(content.organization.name, 'organization.name');
  const logo = config.organization.logo;
  if (logo && !isHttpUrl(logo)) {
    out.push(report('email-logo-local', { logo, ...(configFile ? at.find(configFile, logo) : {}) }));
  }
  release.contacts.forEach((c, i) => {
    const bad = [c.name, content.contacts[i]?.role, content.contacts[i]?.organization, c.email].find(
      (v) => v && hasControlCharacters(v),
    );
    if (!bad) return;
    const where = c.id && configFile ? at.find(configFile, bad) : at.find(release.path, bad);
    out.push(report('email-contact-line-break', { name: c.name.split(/\r?\n/)[0]!, ...where }));
  });
  return out;
}

interface Source {
  markdown: string;
  /** Absolute path of the file the Markdown comes from, and the line it starts on there. */
  file: string;
  /** Looked up only when there is something to report (it reads the file). */
  line: () => number;
}

/** Where each piece of Markdown in the email comes from. */
function sources(config: Config, release: Release, at: Locator): Source[] {
  const list: Source[] = [];
  const leadLine = () => {
    const key = at.key(release.path, 'lead');
    return (key.line ? key : at.find(release.path, release.lead.slice(0, 40))).line ?? 1;
  };
  list.push({ markdown: release.lead, file: release.path, line: leadLine });
  list.push({ markdown: readReleaseBody(release), file: release.path, line: () => release.bodyLine });
  const bp = release.boilerplate;
  if (bp) {
    const inConfig = bp.id !== undefined && config.file !== undefined;
    const file = inConfig ? config.file! : release.path;
    const line = () =>
      (inConfig
        ? at.find(file, `${bp.id}:`, at.find(file, 'boilerplates:').line)
        : at.key(file, 'boilerplate')
      ).line ?? 1;
    list.push({ markdown: bp.markdown, file, line });
  }
  return list;
}

/**
 * Links and images in the lead, body and boilerplate: images need alt text and a reachable
 * absolute URL; links must be http(s), mailto or tel; relative ones lead to
 * what content/links.ts resolves them to (the check reports those that lead nowhere).
 */
function checkLinks(config: Config, release: Release, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const src of sources(config, release, at)) {
    const visit = (tokens: readonly Token[], offset: number) => {
      for (const t of tokens) {
        const here = t.map ? t.map[0] : offset;
        const where = (needle: string): FilePosition => at.find(src.file, needle, src.line() + here);
        if (t.type === 'image')
          checkImage(
            String(t.attrGet('src') ?? ''),
            plainInline(t.children ?? []),
            where,
            out,
            config,
            release,
          );
        else if (t.type === 'link_open') checkLink(String(t.attrGet('href') ?? ''), where, out);
        else if (t.type === 'html_inline' || t.type === 'html_block') checkRawHtml(t.content, where, out);
        if (t.children) visit(t.children, here);
      }
    };
    visit(parseMarkdown(src.markdown), 0);
  }
  return out;
}

function checkImage(
  src: string,
  alt: string,
  where: (needle: string) => FilePosition,
  out: Diagnostic[],
  config: Config,
  release: Release,
) {
  if (!alt.trim()) {
    out.push(report('email-image-alt-missing', { src, ...where(src) }));
  }
  const scheme = urlScheme(src);
  if (scheme || src.startsWith('//')) {
    if (!isHttpUrl(src)) {
      out.push(report('email-image-url-invalid', { src: src.slice(0, 80), ...where(src.slice(0, 40)) }));
    }
  } else if (!existsSync(localImageFile(config, release.path, src))) {
    out.push(report('email-image-missing', { src, ...where(src) }));
  }
}

function checkLink(href: string, where: (needle: string) => FilePosition, out: Diagnostic[]) {
  const scheme = urlScheme(href);
  if (!href.trim()) {
    out.push(report('email-link-invalid', where(']()')));
  } else if (scheme && !LINK_SCHEMES.has(scheme)) {
    out.push(report('email-link-invalid', { href: href.slice(0, 80), scheme, ...where(href.slice(0, 40)) }));
  }
}

/** Raw HTML is not rewritten, so its URLs must already work in an inbox. */
function checkRawHtml(html: string, where: (needle: string) => FilePosition, out: Diagnostic[]) {
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) {
    if (!/\balt\s*=\s*("[^"]*\S[^"]*"|'[^']*\S[^']*'|[^\s"'>]+)/i.test(m[0])) {
      out.push(report('email-image-alt-missing', where(m[0].slice(0, 40))));
    }
  }
  for (const m of html.matchAll(/\b(href|src)\s*=\s*["']?([^"'\s>]*)/gi)) {
    const url = m[2]!;
    const scheme = urlScheme(url);
    if (isHttpUrl(url) || (m[1]!.toLowerCase() === 'href' && scheme && LINK_SCHEMES.has(scheme))) continue;
    out.push(report('email-raw-url-invalid', { url: url.slice(0, 80), ...where(url || m[0]) }));
  }
}

/**
 * The email's rules that need no MJML: header fields, links and images. `renderNewsletter` runs them
 * before it renders, and `scs check` for every release `scs publish` will mail.
 */
export function checkNewsletterContent(
  config: Config,
  release: Release,
  content: EmailContent,
  at: Locator,
): Diagnostic[] {
  return [...checkFields(config, release, content, at), ...checkLinks(config, release, at)];
}

/** Gmail clips big HTML parts: an error beyond the limit, a warning close to it. */
export function checkSize(release: Release, htmlBytes: number): Diagnostic[] {
  // Pointed at the start of the body, which is most of the email.
  const at = { file: release.file, line: release.bodyLine, column: 1 };
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (htmlBytes > HTML_LIMIT) {
    return [report('email-html-too-large', { size: kb(htmlBytes), limit: kb(HTML_LIMIT), ...at })];
  }
  if (htmlBytes > HTML_WARN) {
    return [report('email-html-large', { size: kb(htmlBytes), limit: kb(HTML_LIMIT), ...at })];
  }
  return [];
}
