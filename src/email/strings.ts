import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { ReleaseType } from '../content/types.js';
import { BUILTIN_EMAIL_TEMPLATES, readTemplateJson } from './templates.js';

/** Every text an email (and its preview) shows that does not come from the release. */
export interface EmailStrings {
  type: Record<ReleaseType, string>;
  readOnWeb: string;
  contactsHeading: string;
  aboutHeading: string;
  photoCredit: string;
  image: string;
  phone: string;
  links: string;
  reason: string;
  sentBy: string;
  sentTo: string;
  unsubscribe: string;
  unsubscribeText: string;
  /** The press office's mails (email/press.ts). */
  press: {
    embargoSubject: string;
    embargoBanner: string;
    correctionSubject: string;
    correctionBanner: string;
    embargoMovedSubject: string;
    embargoMoved: string;
    withdrawnSubject: string;
    withdrawn: string;
  };
  preview: {
    sampleName: string;
    title: string;
    phone: string;
    desktop: string;
    text: string;
    headers: string;
    size: string;
    sample: string;
    problems: string;
  };
}

type Json = { [key: string]: Json } | string | number | boolean | null | Json[];

/** Values from `over` replace those in `base`, key by key; keys unknown to `base` are ignored. */
function merge(base: Json, over: Json): Json {
  if (typeof base === 'string') return typeof over === 'string' ? over : base;
  if (
    !base ||
    typeof base !== 'object' ||
    Array.isArray(base) ||
    !over ||
    typeof over !== 'object' ||
    Array.isArray(over)
  )
    return base;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(base)) out[k] = k in over ? merge(v, over[k]!) : v;
  return out;
}

/**
 * The strings for a language: built-in Swedish or English (English for other languages), with any
 * keys a project sets in `<templates>/email/strings/<lang>.json` replacing them.
 */
export function loadEmailStrings(
  config: Config,
  lang: string,
): { strings: EmailStrings; diagnostics: Diagnostic[] } {
  const builtin = (l: string) => path.join(BUILTIN_EMAIL_TEMPLATES, 'strings', `${l}.json`);
  const base = readTemplateJson(existsSync(builtin(lang)) ? builtin(lang) : builtin('en')) as Json;
  const own = path.join(config.templatesDir, 'email', 'strings', `${lang}.json`);
  if (!existsSync(own)) return { strings: base as unknown as EmailStrings, diagnostics: [] };
  try {
    return {
      strings: merge(base, readTemplateJson(own) as Json) as unknown as EmailStrings,
      diagnostics: [],
    };
  } catch (e) {
    return {
      strings: base as unknown as EmailStrings,
      diagnostics: [
        report('email-strings-invalid', {
          reason: (e as Error).message,
          file: path.relative(config.root, own),
        }),
      ],
    };
  }
}

/** Fills "{name}" placeholders. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
