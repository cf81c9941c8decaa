import { existsSync } from 'node:fs';
import { readReleaseBody } from '../content/body.js';
import type { Token } from 'markdown-it';
import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { diag, type Diagnostic } from '../core/diagnostic.js';
import { parseMarkdown } from '../render/markdown.js';
import type { EmailContent } from './content.js';
import type { Locator, Where } from './locate.js';
import { hasControlCharacters } from './mime.js';
import { plainInline } from './text.js';
import { isHttpUrl, localImageFile, urlScheme } from './urls.js';

/** Longer subjects are cut off by every mail client, and some spam filters dislike them. */
export const MAX_SUBJECT = 150;
/** Gmail clips HTML beyond 102 KB behind a "View entire message" link (and hides the footer). */
export const HTML_LIMIT = 102 * 1024;
export const HTML_WARN = 90 * 1024;

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** Header fields and single-line texts: no line breaks may reach a header or break the layout. */
export function checkFields(
  config: Config,
  release: Release,
  content: EmailContent,
  at: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const title = () => at.key(release.path, 'title');
  if (hasControlCharacters(content.subject)) {
    out.push(
      diag(
        'email-subject-line-break',
        'error',
        'The subject (the title) contains a line break or control character.',
        {
          ...title(),
          hint: 'Write the title on one line; for a long title, do not use "|" or ">" block style in YAML.',
        },
      ),
    );
  }
  if (content.subject.length > MAX_SUBJECT) {
    out.push(
      diag(
        'email-subject-too-long',
        'error',
        `The subject is ${content.subject.length} characters long; at most ${MAX_SUBJECT} are allowed.`,
        {
          ...title(),
          hint: 'Shorten the title (mail clients show about 60 characters); put details in the lead.',
        },
      ),
    );
  }
  const configFile = config.file;
  const configured = (value: string, what: string) => {
    if (!hasControlCharacters(value)) return;
    out.push(
      diag('email-header-line-break', 'error', `${what} contains a line break or control character.`, {
        ...(configFile ? at.find(configFile, value) : {}),
        hint: 'Write it on one line in the configuration.',
      }),
    );
  };
  configured(config.newsletter.from.name, 'newsletter.from.name');
  configured(content.listName, `The name of list "${content.list.id}"`);
  configured(content.organization.name, 'organization.name');
  const logo = config.organization.logo;
  if (logo && !isHttpUrl(logo)) {
    out.push(
      diag(
        'email-logo-local',
        'warning',
        `organization.logo "${logo}" is not an http(s) URL, so emails show the organisation's name instead.`,
        {
          ...(configFile ? at.find(configFile, logo) : {}),
          hint: 'Give the logo as an https:// URL of an image (about 360 px wide) to show it in emails.',
        },
      ),
    );
  }
  release.contacts.forEach((c, i) => {
    const bad = [c.name, content.contacts[i]?.role, content.contacts[i]?.organization, c.email].find(
      (v) => v && hasControlCharacters(v),
    );
    if (!bad) return;
    const where = c.id && configFile ? at.find(configFile, bad) : at.find(release.path, bad);
    out.push(
      diag(
        'email-contact-line-break',
        'error',
        `The contact "${c.name.split(/\r?\n/)[0]}" has a line break in a field.`,
        {
          ...where,
          hint: 'Write the name, role, organisation and email of a contact on one line each.',
        },
      ),
    );
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
export function checkLinks(config: Config, release: Release, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const src of sources(config, release, at)) {
    const visit = (tokens: readonly Token[], offset: number) => {
      for (const t of tokens) {
        const here = t.map ? t.map[0] : offset;
        const where = (needle: string): Where => at.find(src.file, needle, src.line() + here);
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
  where: (needle: string) => Where,
  out: Diagnostic[],
  config: Config,
  release: Release,
) {
  if (!alt.trim()) {
    out.push(
      diag('email-image-alt-missing', 'error', `The image "${src}" has no alt text.`, {
        ...where(src),
        hint: 'Describe the image between the brackets: ![What the image shows](…). Many readers see emails without images.',
      }),
    );
  }
  const scheme = urlScheme(src);
  if (scheme || src.startsWith('//')) {
    if (!isHttpUrl(src)) {
      out.push(
        diag(
          'email-image-url-invalid',
          'error',
          `The image "${src.slice(0, 80)}" is neither a local file nor an http(s) URL.`,
          {
            ...where(src.slice(0, 40)),
            hint: 'Use a path relative to the release file, or an https:// URL.',
          },
        ),
      );
    }
  } else if (!existsSync(localImageFile(config, release.path, src))) {
    out.push(
      diag('email-image-missing', 'error', `The image file "${src}" does not exist.`, {
        ...where(src),
        hint: 'Fix the path (relative to the release file) or add the file; the email shows the copy the site publishes.',
      }),
    );
  }
}

function checkLink(href: string, where: (needle: string) => Where, out: Diagnostic[]) {
  const scheme = urlScheme(href);
  if (!href.trim()) {
    out.push(
      diag('email-link-invalid', 'error', 'A link has no address.', {
        ...where(']()'),
        hint: 'Write the full address between the parentheses: [text](https://…).',
      }),
    );
  } else if (scheme && !LINK_SCHEMES.has(scheme)) {
    out.push(
      diag(
        'email-link-invalid',
        'error',
        `The link "${href.slice(0, 80)}" uses "${scheme}:", which mail clients do not open.`,
        {
          ...where(href.slice(0, 40)),
          hint: 'Link to an https:// address (or mailto:/tel:).',
        },
      ),
    );
  }
}

/** Raw HTML is not rewritten, so its URLs must already work in an inbox. */
function checkRawHtml(html: string, where: (needle: string) => Where, out: Diagnostic[]) {
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) {
    if (!/\balt\s*=\s*("[^"]*\S[^"]*"|'[^']*\S[^']*'|[^\s"'>]+)/i.test(m[0])) {
      out.push(
        diag('email-image-alt-missing', 'error', 'An <img> in raw HTML has no alt text.', {
          ...where(m[0].slice(0, 40)),
          hint: 'Add alt="…" describing the image.',
        }),
      );
    }
  }
  for (const m of html.matchAll(/\b(href|src)\s*=\s*["']?([^"'\s>]*)/gi)) {
    const url = m[2]!;
    const scheme = urlScheme(url);
    if (isHttpUrl(url) || (m[1]!.toLowerCase() === 'href' && scheme && LINK_SCHEMES.has(scheme))) continue;
    out.push(
      diag(
        'email-raw-url-invalid',
        'error',
        `The URL "${url.slice(0, 80)}" in raw HTML is not an absolute http(s) address.`,
        {
          ...where(url || m[0]),
          hint: 'URLs in raw HTML are used as written: give the full https:// address.',
        },
      ),
    );
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
    return [
      diag(
        'email-html-too-large',
        'error',
        `The email's HTML is ${kb(htmlBytes)}; Gmail clips anything over ${kb(HTML_LIMIT)}, hiding the end and the unsubscribe link.`,
        {
          ...at,
          hint: 'Shorten the body or move details to the web page: the email links to it.',
        },
      ),
    ];
  }
  if (htmlBytes > HTML_WARN) {
    return [
      diag(
        'email-html-large',
        'warning',
        `The email's HTML is ${kb(htmlBytes)}, close to Gmail's clipping limit of ${kb(HTML_LIMIT)}.`,
        {
          ...at,
          hint: 'Consider shortening the body.',
        },
      ),
    ];
  }
  return [];
}
