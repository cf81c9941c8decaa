import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { handlebars } from '../render/handlebars.js';

/** The templates shipped with scs; a project overrides any of them under `<templates>/email/`. */
export const BUILTIN_EMAIL_TEMPLATES = fileURLToPath(new URL('../../templates/email/', import.meta.url));

const MAIN = 'newsletter.mjml.hbs';
const PARTIAL_EXT = '.mjml.hbs';

export interface EmailTemplates {
  /** Renders the MJML source for a view. Throws on template runtime errors. */
  render(view: unknown): string;
  /** The files in use, project overrides first; for messages. */
  overridden: string[];
}

/** A project file wins over the built-in one of the same name. */
function pick(config: Config, rel: string): string {
  const own = path.join(config.templatesDir, 'email', rel);
  return existsSync(own) ? own : path.join(BUILTIN_EMAIL_TEMPLATES, rel);
}

function partialNames(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'partials')).filter((n) => n.endsWith(PARTIAL_EXT));
  } catch {
    return [];
  }
}

/** Files are re-read only when they change, so a warm render costs no parsing. */
const fileCache = new Map<string, { stamp: string; text: string }>();
/** The compiled templates of each project, with the file stamps they were compiled from. */
const compiledCache = new Map<string, { key: string; templates: EmailTemplates }>();

function readStamped(file: string): { stamp: string; text: string } {
  const st = statSync(file);
  const stamp = `${file}:${st.mtimeMs}:${st.size}`;
  const hit = fileCache.get(file);
  if (hit && hit.stamp === stamp) return hit;
  const entry = { stamp, text: readFileSync(file, 'utf8') };
  fileCache.set(file, entry);
  return entry;
}

/** Loads (or reuses) the compiled newsletter templates for a project. */
export function loadEmailTemplates(config: Config): {
  templates?: EmailTemplates;
  diagnostics: Diagnostic[];
} {
  const names = [
    ...new Set([
      ...partialNames(BUILTIN_EMAIL_TEMPLATES),
      ...partialNames(path.join(config.templatesDir, 'email')),
    ]),
  ];
  const files = [MAIN, ...names.map((n) => `partials/${n}`)].map((rel) => pick(config, rel));
  const shown = (f: string) => (f.startsWith(config.root) ? path.relative(config.root, f) : f);
  const diagnostics: Diagnostic[] = [];
  const sources: { file: string; stamp: string; text: string }[] = [];
  for (const file of files) {
    try {
      sources.push({ file, ...readStamped(file) });
    } catch (e) {
      diagnostics.push(
        report('email-template-unreadable', {
          reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
          file: shown(file),
        }),
      );
    }
  }
  if (diagnostics.length) return { diagnostics };
  const key = sources.map((s) => s.stamp).join('|');
  const cached = compiledCache.get(config.templatesDir);
  if (cached?.key === key) return { templates: cached.templates, diagnostics };

  const hb = handlebars().create();
  for (const s of sources) {
    try {
      hb.parse(s.text);
    } catch (e) {
      const message = (e as Error).message;
      const line = /line (\d+)/.exec(message)?.[1];
      diagnostics.push(
        report('email-template-invalid', {
          detail: message.split('\n')[0]!,
          file: shown(s.file),
          ...(line ? { line: Number(line) } : {}),
        }),
      );
    }
  }
  if (diagnostics.length) return { diagnostics };
  for (const s of sources.slice(1)) hb.registerPartial(path.basename(s.file, PARTIAL_EXT), s.text);
  const main = hb.compile(sources[0]!.text, { strict: false, preventIndent: true });
  const templates: EmailTemplates = {
    render: (view) => main(view),
    overridden: sources.filter((s) => !s.file.startsWith(BUILTIN_EMAIL_TEMPLATES)).map((s) => shown(s.file)),
  };
  compiledCache.set(config.templatesDir, { key, templates });
  return { templates, diagnostics };
}

/** Reads a template JSON file (the localised strings) through the same change-aware cache. */
export function readTemplateJson(file: string): unknown {
  return JSON.parse(readStamped(file).text);
}
