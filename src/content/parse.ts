import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config, Contact } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { parsePhone } from '../core/phone.js';
import { hasControlCharacters } from '../core/text.js';
import { didYouMean, schemaDiagnostics, shapeKeys } from '../core/schema-diagnostics.js';
import { SLUG_RE, slugify } from '../core/slug.js';
import { localDate, parseDateTime } from '../core/time.js';
import { countNewlines } from '../core/source-map.js';
import { type ParsedYaml, parseYaml } from '../core/yaml.js';
import { sha256Hex } from '../core/sha256.js';
import { findBodyImages } from './body-images.js';
import { releaseLinks } from './links.js';
import { splitFrontmatter } from './frontmatter.js';
import { paragraphs, parseQuote, QUOTE_START } from './paragraphs.js';
import { placeholdersLeft } from './placeholders.js';
import { pressFields } from './press-fields.js';
import { type MarkdownSource, rawHtmlWarnings } from './raw-html.js';
import { frontmatterSchema, type Frontmatter } from './schema.js';
import type { Boilerplate, Release, ReleaseImage } from './types.js';
import { outsideProject } from './files.js';

/** Titles longer than this make poor email subjects (warning); the email checks stop at 150. */
const TITLE_WARN_LENGTH = 120;

export interface ParseResult {
  release?: Release;
  diagnostics: Diagnostic[];
}

export interface SourceFile {
  /** Shown path (relative to the project root). */
  file: string;
  /** Absolute path. */
  path: string;
  bytes: Buffer;
}

/** Validates one release file against the schema and the config. Never throws on user mistakes. */
export function parseRelease(
  srcFile: SourceFile,
  config: Config,
  fileExists: (p: string) => boolean = existsSync,
): ParseResult {
  const { file } = srcFile;
  const diagnostics: Diagnostic[] = [];
  if (!isUtf8(srcFile.bytes)) return { diagnostics: [encodingDiagnostic(srcFile.bytes, file)] };
  const text = srcFile.bytes.toString('utf8');
  if (text.trim() === '') {
    return {
      diagnostics: [report('file-empty', { file, line: 1, column: 1 })],
    };
  }
  const split = splitFrontmatter(text);
  if (!split.ok) {
    return {
      diagnostics: [
        report(split.reason === 'missing' ? 'frontmatter-missing' : 'frontmatter-unclosed', {
          file,
          line: 1,
          column: 1,
        }),
      ],
    };
  }
  // A copy of its own, so that values taken from the frontmatter do not keep the whole file alive.
  const yaml = parseYaml(detach(split.yaml), file, split.yamlLine);
  if (yaml.diagnostics.length) return { diagnostics: yaml.diagnostics };
  if (
    yaml.value === null ||
    yaml.value === undefined ||
    typeof yaml.value !== 'object' ||
    Array.isArray(yaml.value)
  ) {
    return {
      diagnostics: [report('frontmatter-not-mapping', { file, line: split.yamlLine, column: 1 })],
    };
  }
  const { fm, valid } = checkedFrontmatter(yaml, file, diagnostics);
  const title = fm.title ?? '';
  const at = (p: (string | number)[], part?: 'key' | 'value') => ({ file, ...yaml.locate(p, part) });
  const add = (d: Diagnostic) => diagnostics.push(d);
  const tz = config.timeZone;

  const date: ReturnType<typeof parseDateTime> =
    fm.date === undefined ? { ok: false, reason: 'missing' } : parseDateTime(fm.date, tz);
  if (!date.ok && date.reason !== 'missing') {
    add(
      report(date.reason === 'impossible' ? 'date-impossible' : 'date-invalid', {
        value: String(fm.date),
        ...at(['date']),
      }),
    );
  }
  let embargo: Date | undefined;
  if (fm.embargo !== undefined) {
    const e = parseDateTime(fm.embargo, tz);
    if (!e.ok) {
      add(
        report(e.reason === 'impossible' ? 'date-impossible' : 'date-invalid', {
          value: String(fm.embargo),
          embargo: true,
          ...at(['embargo']),
        }),
      );
    } else {
      embargo = e.instant;
      if (date.ok && embargo.getTime() < date.instant.getTime()) {
        add(
          report('embargo-before-date', {
            embargo: String(fm.embargo),
            date: String(fm.date),
            ...at(['embargo']),
          }),
        );
      }
    }
  }

  const lang = fm.lang ?? config.defaultLanguage;
  if (!config.languages.includes(lang)) {
    add(
      report('lang-unknown', {
        lang,
        languages: config.languages.join(', '),
        ...at(['lang']),
        didYouMean: didYouMean(lang, config.languages),
      }),
    );
  }

  let slug = fm.slug ?? slugify(title);
  if (fm.slug !== undefined && !SLUG_RE.test(fm.slug)) {
    add(
      report('slug-invalid', { slug: fm.slug, example: slugify(fm.slug) || 'my-release', ...at(['slug']) }),
    );
  } else if (!slug && title) {
    add(report('slug-invalid', at(['title'])));
    slug = 'release';
  }

  if (hasControlCharacters(title)) {
    add(report('title-line-break', at(['title'])));
  }
  if (title.length > TITLE_WARN_LENGTH) {
    add(report('title-too-long', { length: title.length, max: TITLE_WARN_LENGTH, ...at(['title']) }));
  }

  let image: ReleaseImage | undefined;
  if (fm.image) {
    const { src, alt, credit, focus, license, download } = fm.image;
    image = { src, alt: alt?.trim() ?? '', ...(credit ? { credit } : {}) };
    if (focus) image.focus = [focus[0]!, focus[1]!];
    if (license) image.license = license;
    if (download !== undefined) image.download = download;
    if (!alt?.trim()) {
      add(
        report('image-alt-missing', alt === undefined ? at(['image'], 'key') : at(['image', 'alt'], 'value')),
      );
    }
    if (/^https?:\/\//i.test(src)) image.url = src;
    else if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
      add(report('image-src-invalid', { src, ...at(['image', 'src']) }));
    } else {
      // "/images/x.jpg" is relative to the project root; anything else to the release file.
      const resolved = src.startsWith('/')
        ? path.join(config.root, src)
        : path.resolve(path.dirname(srcFile.path), src);
      image.file = resolved;
      if (outsideProject(config.root, resolved)) {
        add(report('image-outside-project', { src, ...at(['image', 'src']) }));
      } else if (!fileExists(resolved)) {
        add(
          report('image-missing', {
            src,
            path: path.relative(config.root, resolved),
            ...at(['image', 'src']),
          }),
        );
      }
    }
  }

  const contacts: Contact[] = [];
  fm.contacts.forEach((c, i) => {
    if (c === null) return;
    if (typeof c === 'string') {
      const known = config.contacts[c];
      if (known) contacts.push(known);
      else
        add(
          report('contact-unknown', {
            contact: c,
            ...at(['contacts', i]),
            didYouMean: didYouMean(c, Object.keys(config.contacts)),
          }),
        );
      return;
    }
    const contact: Contact = { name: c.name, email: c.email };
    if (c.role) contact.role = Object.fromEntries(config.languages.map((l) => [l, c.role!]));
    if (c.organization)
      contact.organization = Object.fromEntries(config.languages.map((l) => [l, c.organization!]));
    if (c.phone !== undefined) {
      const phone = parsePhone(String(c.phone), config.site.phoneRegion);
      if (phone) contact.phone = phone;
      else add(report('phone-invalid', { phone: String(c.phone), ...at(['contacts', i, 'phone']) }));
    }
    contacts.push(contact);
  });

  let boilerplate: Release['boilerplate'];
  if (fm.boilerplate !== undefined) {
    boilerplate = registryBoilerplate(config, fm.boilerplate, lang);
    if (!boilerplate && /^[a-z0-9][a-z0-9_-]*$/.test(fm.boilerplate)) {
      add(
        report('boilerplate-unknown', {
          boilerplate: fm.boilerplate,
          ...at(['boilerplate']),
          didYouMean: didYouMean(fm.boilerplate, Object.keys(config.boilerplates)),
        }),
      );
    } else boilerplate ??= { markdown: fm.boilerplate };
  }

  fm.topics.forEach((t, i) => {
    if (t !== null && !config.topics[t])
      add(
        report('topic-unknown', {
          topic: t,
          ...at(['topics', i]),
          didYouMean: didYouMean(t, Object.keys(config.topics)),
        }),
      );
  });

  // The lead defaults to the first paragraph, which then is not repeated in the body.
  const paras = paragraphs(split.body);
  let lead = fm.lead ?? '';
  let body = split.body;
  let bodyLine = split.bodyLine;
  const first = paras[0];
  if (
    fm.lead === undefined &&
    first &&
    !QUOTE_START.test(first.text) &&
    split.body.slice(0, first.offset).trim() === ''
  ) {
    lead = detach(first.text);
    const rest = split.body.slice(first.endOffset);
    body = rest.replace(/^\s*\n/, '');
    bodyLine = split.bodyLine + countNewlines(split.body, 0, split.body.length - body.length);
  }
  quoteWarnings(paras, split.bodyLine, (where) => add(report('quote-unattributed', { file, ...where })));
  if (!fm.draft) diagnostics.push(...placeholdersLeft(text, file));
  const press = pressFields(fm, {
    file,
    locate: yaml.locate,
    timeZone: tz,
    ...(date.ok ? { date: date.instant } : {}),
    ...(embargo ? { embargo } : {}),
  });
  diagnostics.push(...press.diagnostics);

  // Raw HTML the sanitiser will change, wherever Markdown is written.
  const markdown: MarkdownSource[] = [{ markdown: body, at: { line: bodyLine, column: 1 }, mapped: true }];
  if (fm.lead !== undefined) markdown.push({ markdown: fm.lead, at: yaml.locate(['lead']), mapped: false });
  else if (lead)
    markdown.push({ markdown: lead, at: { line: split.bodyLine + first!.line, column: 1 }, mapped: false });
  if (boilerplate && boilerplate.id === undefined)
    markdown.push({ markdown: boilerplate.markdown, at: yaml.locate(['boilerplate']), mapped: false });
  diagnostics.push(...rawHtmlWarnings(file, text, markdown));
  const bodyImages = findBodyImages(body, bodyLine, srcFile.path, config.root);
  for (const b of bodyImages) {
    if (!outsideProject(config.root, b.file)) continue;
    diagnostics.push(report('image-outside-project', { src: b.url, file, line: b.line }));
  }

  if (!valid || diagnostics.some((d) => d.severity === 'error') || !date.ok) return { diagnostics };
  const release: Release = {
    id: `${lang}/${slug}`,
    file,
    path: srcFile.path,
    title,
    date: date.instant,
    localDate: localDate(date.instant, tz),
    dateOnly: date.dateOnly,
    type: fm.type,
    lang,
    slug,
    lead,
    bodyLine,
    bodyImages,
    links: releaseLinks(
      text,
      split.body,
      split.bodyLine,
      fm.lead === undefined ? undefined : { markdown: fm.lead, at: yaml.locate(['lead']) },
    ),
    contacts,
    topics: fm.topics,
    draft: fm.draft,
    newsletter: fm.newsletter,
    publishAt: embargo && embargo > date.instant ? embargo : date.instant,
    hash: sha256Hex(srcFile.bytes),
  };
  if (image) release.image = image;
  if (boilerplate) release.boilerplate = boilerplate;
  if (fm.translationKey) release.translationKey = fm.translationKey;
  if (embargo) release.embargo = embargo;
  Object.assign(release, press.fields);
  return { release, diagnostics };
}

/** A boilerplate of the config's registry in a release's language; undefined for an unknown id. */
function registryBoilerplate(config: Config, id: string, lang: string): Boilerplate | undefined {
  const known = config.boilerplates[id];
  return known ? { id, markdown: known[lang] ?? known[config.defaultLanguage]! } : undefined;
}

/**
 * A flat copy of a string. Slices share their parent's memory in V8, so a short value cut from a
 * release file would otherwise keep the whole file in memory for as long as the model lives.
 */
function detach(s: string): string {
  return ` ${s}`.slice(1);
}

/** Points at the first byte that is not UTF-8. */
function encodingDiagnostic(bytes: Buffer, file: string): Diagnostic {
  const loose = bytes.toString('utf8');
  const bad = loose.indexOf('\uFFFD');
  const before = loose.slice(0, Math.max(bad, 0));
  return report('file-encoding', {
    file,
    line: before.split('\n').length,
    column: bad - before.lastIndexOf('\n'),
  });
}

function arrayElement(schema: unknown): SafeParser | undefined {
  let def = (schema as { _zod: { def: { type: string; innerType?: unknown; element?: SafeParser } } })._zod
    .def;
  while ((def.type === 'default' || def.type === 'optional') && def.innerType) {
    def = (def.innerType as typeof schema as { _zod: { def: typeof def } })._zod.def;
  }
  return def.type === 'array' ? def.element : undefined;
}

type SafeParser = { safeParse(v: unknown): { success: boolean; data?: unknown } };

/**
 * The frontmatter as the schema judges it, its problems added to `diagnostics`. When it is not valid,
 * the fields that are fine, so that one run reports every problem in the file.
 */
function checkedFrontmatter(yaml: ParsedYaml, file: string, diagnostics: Diagnostic[]) {
  const schema = frontmatterSchema();
  const parsed = schema.safeParse(yaml.value);
  if (parsed.success) return { fm: parsed.data, valid: true };
  diagnostics.push(...schemaDiagnostics(parsed.error.issues, yaml, file, (p) => shapeKeys(schema, p)));
  return { fm: validFields(yaml.value as Record<string, unknown>), valid: false };
}

/** The frontmatter with each invalid field replaced by its default (or left out). */
function validFields(
  raw: Record<string, unknown>,
): Partial<Frontmatter> & Omit<Frontmatter, 'title' | 'date'> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(frontmatterSchema().shape) as [string, SafeParser][]) {
    const r = schema.safeParse(raw[key]);
    const item = arrayElement(schema);
    if (!r.success && item && Array.isArray(raw[key])) {
      // Keep the good items of a list in place (bad ones become null), so their own checks still run.
      out[key] = raw[key].map((v) => {
        const parsedItem = item.safeParse(v);
        return parsedItem.success ? parsedItem.data : null;
      });
      continue;
    }
    const value = r.success ? r : schema.safeParse(undefined);
    if (value.success && value.data !== undefined) out[key] = value.data;
  }
  return out as Partial<Frontmatter> & Omit<Frontmatter, 'title' | 'date'>;
}

/** A run of adjacent quote paragraphs needs an attribution by its end. */
function quoteWarnings(
  paras: ReturnType<typeof paragraphs>,
  bodyLine: number,
  report: (where: { line: number; column: number }) => void,
) {
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    if (!QUOTE_START.test(p.text)) continue;
    let j = i;
    while (!parseQuote(paras[j]!.text)?.attribution && paras[j + 1] && QUOTE_START.test(paras[j + 1]!.text))
      j++;
    if (!parseQuote(paras[j]!.text)?.attribution) report({ line: bodyLine + p.line, column: p.column });
    i = j;
  }
}
