import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { didYouMean } from '../core/schema-diagnostics.js';
import { imageUrlPath, IMAGE_EXTENSIONS } from './body-images.js';
import { outsideProject } from './files.js';
import type { Release } from './types.js';

/**
 * Relative links in a release (`[the report](files/report.pdf)`, `[last time](../2025/x.sv.md)`,
 * `[news](sv/<slug>)`): found when a file is parsed, resolved against every release by one function,
 * `resolveLink`, which the check, the site, the feeds and the email all use.
 */

/** A relative link a release makes, where it is written. */
export interface BodyLink {
  /** As written. */
  url: string;
  /** 1-based position of the URL in the release file. */
  line: number;
  column: number;
}

/** Files a link may publish as an attachment, with the type shown next to it. */
const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'PDF',
  doc: 'DOC',
  docx: 'DOCX',
  odt: 'ODT',
  rtf: 'RTF',
  txt: 'TXT',
  xls: 'XLS',
  xlsx: 'XLSX',
  ods: 'ODS',
  csv: 'CSV',
  ppt: 'PPT',
  pptx: 'PPTX',
  odp: 'ODP',
  zip: 'ZIP',
};

/** Attachments above this size are published, with a warning: many readers are on a phone. */
const ATTACHMENT_WARN_BYTES = 20_000_000;

/** The type label of an attachment file ("PDF"), or undefined for a file that is not one. */
function attachmentType(file: string): string | undefined {
  return ATTACHMENT_TYPES[path.extname(file).slice(1).toLowerCase()];
}

const CHARACTER_REFERENCE = /&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const MD_LINK = /(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)/g;
const MD_REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/gm;

/** Not a relative link: a scheme, a protocol-relative URL, or an anchor on the same page. */
const NOT_RELATIVE = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;

/**
 * The relative links of some Markdown that starts at line `line` of the release file, found without
 * a full parse (as body-images.ts finds images). Images are left to the image rules; raw HTML (`<a href>`)
 * is published as written.
 */
export function findLinks(markdown: string, line: number): BodyLink[] {
  const out: BodyLink[] = [];
  if (!markdown.includes('](') && !markdown.includes(']:')) return out;
  for (const re of [MD_LINK, MD_REFERENCE]) {
    for (const m of markdown.matchAll(re)) {
      const url = m[1]!;
      if (NOT_RELATIVE.test(url) || IMAGE_EXTENSIONS.test(imageUrlPath(url))) continue;
      const at = m.index + m[0].lastIndexOf(url);
      const lineStart = markdown.lastIndexOf('\n', at - 1) + 1;
      const lines = markdown.slice(0, at).split('\n').length - 1;
      // Copied out of the body, which is not kept.
      out.push({
        url: ` ${url}`.slice(1),
        line: line + lines,
        column: 1 + at - lineStart,
      });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The relative links of a release file: in its Markdown after the frontmatter (`body`, from line
 * `bodyLine`: the lead too, when that is the first paragraph) and in a `lead:` of the frontmatter,
 * which YAML may quote or fold, so each of its links is looked up in the file from where the lead starts.
 */
export function releaseLinks(
  text: string,
  body: string,
  bodyLine: number,
  lead?: { markdown: string; at: { line: number; column: number } },
): BodyLink[] {
  const out = findLinks(body, bodyLine);
  if (!lead) return out;
  const lines = text.split('\n');
  let from = { line: lead.at.line, column: lead.at.column };
  for (const { url } of findLinks(lead.markdown, 1)) {
    let at = lead.at;
    for (let i = from.line - 1; i < lines.length; i++) {
      const col = lines[i]!.indexOf(url, i === from.line - 1 ? from.column - 1 : 0);
      if (col < 0) continue;
      at = { line: i + 1, column: col + 1 };
      from = { line: i + 1, column: col + 1 + url.length };
      break;
    }
    out.push({ url, ...at });
  }
  return out;
}

/** The releases a link may name, by file and by id (`<lang>/<slug>`). */
export interface LinkIndex {
  root: string;
  byPath: Map<string, Release>;
  byId: Map<string, Release>;
}

export function linkIndex(root: string, releases: readonly Release[]): LinkIndex {
  return {
    root,
    byPath: new Map(releases.map((r) => [r.path, r])),
    byId: new Map(releases.map((r) => [r.id, r])),
  };
}

export type LinkTarget =
  /** `fragment` is "" or "#…", kept on the rewritten link. */
  | { kind: 'release'; release: Release; fragment: string }
  | { kind: 'attachment'; file: string; type: string; size: number; fragment: string }
  | { kind: 'image'; file: string }
  | { kind: 'external' }
  | { kind: 'anchor' }
  | { kind: 'unresolved' | 'outside'; reason: string };

/**
 * What a link in the release file `from` points at. A path is relative to the release file, or to the
 * project root when it starts with "/"; `<lang>/<slug>` names a release as on the command line.
 */
export function resolveLink(href: string, from: string, index: LinkIndex): LinkTarget {
  if (href === '' || href.startsWith('#')) return { kind: 'anchor' };
  // markdown-it decodes character references ("&#106;avascript:"): such a destination is no file path,
  // and the sanitiser and the email's scheme check judge what it decodes to.
  if (NOT_RELATIVE.test(href) || CHARACTER_REFERENCE.test(href)) return { kind: 'external' };
  const hash = href.indexOf('#');
  const fragment = hash >= 0 ? href.slice(hash) : '';
  const decoded = imageUrlPath(href);
  const file = decoded.startsWith('/')
    ? path.join(index.root, decoded)
    : path.resolve(path.dirname(from), decoded);
  const release = index.byPath.get(file);
  if (release) return { kind: 'release', release, fragment };
  const st = outsideProject(index.root, file) ? undefined : statSync(file, { throwIfNoEntry: false });
  const byId = st ? undefined : index.byId.get(decoded.replace(/^\/+|\/+$/g, ''));
  if (byId) return { kind: 'release', release: byId, fragment };
  if (outsideProject(index.root, file))
    return { kind: 'outside', reason: `"${decoded}" lies outside the project folder` };
  if (!st) return { kind: 'unresolved', reason: `there is no file or release "${decoded}"` };
  if (!st.isFile()) return { kind: 'unresolved', reason: `"${decoded}" is a folder` };
  if (IMAGE_EXTENSIONS.test(file)) return { kind: 'image', file };
  const type = attachmentType(file);
  if (type) return { kind: 'attachment', file, type, size: st.size, fragment };
  return {
    kind: 'unresolved',
    reason: file.endsWith('.md')
      ? `"${decoded}" is not a release that passes the check`
      : `"${decoded}" is not a file type scs publishes`,
  };
}

/** Every relative link of every release resolves, inside the project (a rule across files). */
export function linkRules(config: Config, releases: readonly Release[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let index: LinkIndex | undefined;
  for (const r of releases) {
    for (const link of r.links) {
      index ??= linkIndex(config.root, releases);
      const target = resolveLink(link.url, r.path, index);
      const at = { file: r.file, line: link.line, column: link.column };
      if (target.kind === 'outside')
        out.push(report('link-outside-project', { url: link.url, reason: target.reason, ...at }));
      else if (target.kind === 'unresolved')
        out.push(
          report('link-unresolved', {
            url: link.url,
            reason: target.reason,
            types: Object.values(ATTACHMENT_TYPES).join(', '),
            ...at,
            didYouMean: didYouMean(link.url, [...index.byId.keys()]),
          }),
        );
      else if (target.kind === 'attachment' && target.size > ATTACHMENT_WARN_BYTES)
        out.push(
          report('attachment-large', {
            url: link.url,
            megabytes: Math.round(target.size / 1_000_000),
            ...at,
          }),
        );
    }
  }
  return out;
}

/**
 * Links that would show a release's address before it is out: a link becomes public when its release
 * does (or now, for one already out), so its target must be no draft and out by then. Depends on `now`,
 * so it is run by `scs check` and `scs publish`, not kept with each file's results.
 */
export function linkTimingRules(config: Config, releases: readonly Release[], now: Date): Diagnostic[] {
  const out: Diagnostic[] = [];
  let index: LinkIndex | undefined;
  for (const r of releases) {
    if (r.draft) continue;
    const visibleFrom = Math.max(now.getTime(), r.publishAt.getTime());
    for (const link of r.links) {
      index ??= linkIndex(config.root, releases);
      const target = resolveLink(link.url, r.path, index);
      if (target.kind !== 'release') continue;
      const to = target.release;
      if (!to.draft && to.publishAt.getTime() <= visibleFrom) continue;
      out.push(
        report('link-unpublished', {
          url: link.url,
          ...(to.draft ? {} : { until: to.publishAt.toISOString() }),
          file: r.file,
          line: link.line,
          column: link.column,
        }),
      );
    }
  }
  return out;
}

/**
 * Markdown with the destinations of its links replaced where `to` gives one: for a lead, which
 * templates render with `{{inline lead}}` on pages of every depth, and so must carry its final URLs.
 */
export function rewriteLinks(markdown: string, to: (url: string) => string | undefined): string {
  let out = markdown;
  for (const re of [MD_LINK, MD_REFERENCE])
    out = out.replace(re, (m: string, url: string) => {
      const target = to(url);
      return target === undefined
        ? m
        : m.slice(0, m.lastIndexOf(url)) + target + m.slice(m.lastIndexOf(url) + url.length);
    });
  return out;
}
