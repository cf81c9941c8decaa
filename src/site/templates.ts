import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { handlebars } from '../render/handlebars.js';

/** The templates shipped with scs; a project overrides any file by giving its own at the same path. */
export const BUILTIN_SITE_TEMPLATES = fileURLToPath(new URL('../../templates/site/', import.meta.url));

/** The page templates a build uses (files `pages/<name>.hbs`). */
export const PAGE_TEMPLATES = [
  'release',
  'list',
  'home',
  'topics',
  'search',
  'images',
  'not-found',
  'root',
  'feed-item',
  'contacts',
  'withdrawn',
  'redirect',
] as const;
export type PageTemplate = (typeof PAGE_TEMPLATES)[number];

/** How templates are compiled: only scs's helpers exist, so every other {{name}} is a plain value. */
export const COMPILE_OPTIONS = {
  strict: false,
  preventIndent: true,
  knownHelpers: { t: true, inline: true, eq: true },
  knownHelpersOnly: true,
} as const;

/** What a renderer needs: plain data, so it can be handed to worker threads. */
export interface RenderSources {
  layout: string;
  pages: Record<string, string>;
  partials: Record<string, string>;
  /** Per configured language: built-in strings, with the project's keys on top. */
  strings: Record<string, Record<string, string>>;
}

export interface SiteAsset {
  /** Path below `assets/` (forward slashes). */
  name: string;
  /** Absolute source file. */
  file: string;
  bytes: Buffer;
}

export interface SiteTemplates {
  sources: RenderSources;
  assets: SiteAsset[];
  /** Changes whenever any template, string or asset in use changes. */
  hash: string;
  /** Project files that replace or add to the built-in ones (shown paths). */
  overridden: string[];
}

/** Files below `dir`, as paths relative to it; none when the folder does not exist. */
function listFiles(dir: string, rel = ''): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

const shownPath = (config: Config, file: string) =>
  file.startsWith(config.root + path.sep) ? path.relative(config.root, file).split(path.sep).join('/') : file;

/**
 * Reads the built-in templates and the project's overrides, and checks that each override parses (the
 * built-in ones are tested with scs).
 */
export function loadSiteTemplates(config: Config): { templates?: SiteTemplates; diagnostics: Diagnostic[] } {
  const ownDir = path.join(config.templatesDir, 'site');
  const builtin = listFiles(BUILTIN_SITE_TEMPLATES);
  const own = new Set(listFiles(ownDir));
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, { file: string; bytes: Buffer }>();
  for (const rel of [...new Set([...builtin, ...own])].sort()) {
    const file = path.join(own.has(rel) ? ownDir : BUILTIN_SITE_TEMPLATES, rel);
    try {
      files.set(rel, { file, bytes: readFileSync(file) });
    } catch (e) {
      diagnostics.push(
        report('site-template-unreadable', {
          reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
          file: shownPath(config, file),
        }),
      );
    }
  }
  const hash = createHash('sha256');
  const text = (rel: string) => files.get(rel)!.bytes.toString('utf8');
  const pages: Record<string, string> = {};
  const partials: Record<string, string> = {};
  let layout = '';
  for (const [rel, { file, bytes }] of files) {
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
    if (!rel.endsWith('.hbs')) continue;
    const source = text(rel);
    try {
      if (own.has(rel)) handlebars().parse(source);
    } catch (e) {
      const message = (e as Error).message;
      const line = /line (\d+)/.exec(message)?.[1];
      diagnostics.push(
        report('site-template-invalid', {
          detail: message.split('\n')[0]!,
          file: shownPath(config, file),
          ...(line ? { line: Number(line) } : {}),
        }),
      );
      continue;
    }
    const name = rel.slice(0, -'.hbs'.length);
    if (name === 'layouts/base') layout = source;
    else if (name.startsWith('pages/')) pages[name.slice('pages/'.length)] = source;
    else if (name.startsWith('partials/')) partials[name.slice('partials/'.length)] = source;
  }
  const strings = loadStrings(config, ownDir, diagnostics);
  if (diagnostics.length) return { diagnostics };
  const assets = [...files]
    .filter(([rel]) => rel.startsWith('assets/'))
    .map(([rel, f]) => ({ name: rel.slice('assets/'.length), file: f.file, bytes: f.bytes }));
  return {
    templates: {
      sources: { layout, pages, partials, strings },
      assets,
      hash: hash.update(JSON.stringify(strings)).digest('hex'),
      overridden: [...own].sort().map((rel) => shownPath(config, path.join(ownDir, rel))),
    },
    diagnostics,
  };
}

function readStrings(file: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const value = JSON.parse(text) as unknown;
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  )
    throw new Error('it must be a JSON object of strings, like the built-in one');
  return value as Record<string, string>;
}

/**
 * Per language: the built-in strings of that language (English for languages scs has none for), then
 * any keys the project sets in `<templates>/site/strings/<lang>.json`.
 */
function loadStrings(
  config: Config,
  ownDir: string,
  diagnostics: Diagnostic[],
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const builtin = (lang: string) => readStrings(path.join(BUILTIN_SITE_TEMPLATES, 'strings', `${lang}.json`));
  const english = builtin('en') ?? {};
  for (const lang of config.languages) {
    const file = path.join(ownDir, 'strings', `${lang}.json`);
    try {
      out[lang] = { ...english, ...builtin(lang), ...readStrings(file) };
    } catch (e) {
      diagnostics.push(
        report('site-strings-invalid', {
          reason: (e as Error).message,
          builtIn: lang === 'sv' ? 'sv' : 'en',
          file: shownPath(config, file),
        }),
      );
    }
  }
  return out;
}
