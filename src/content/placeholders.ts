import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { LineIndex } from '../core/source-map.js';

/** What `scs new` writes for the writer to replace, in one language. */
export interface Placeholders {
  lead: string;
  body: string;
  /** A whole heading line. */
  heading: string;
  quote: string;
  /** The quote's speaker, after "säger"/"says". */
  speaker: string;
}

/**
 * The scaffold's placeholder texts, per language: declared once, for `scs new` (and `scs init`) to
 * write and for the `placeholder-left` rule to find. Their keys are the languages scs scaffolds in.
 */
export const PLACEHOLDERS: Readonly<Record<'sv' | 'en', Placeholders>> = {
  sv: {
    lead: 'Skriv ingressen här: en eller två meningar som sammanfattar nyheten.',
    body: 'Brödtexten börjar här.',
    heading: '## Mellanrubrik',
    quote: 'Ett citat i pressmeddelandets stil',
    speaker: 'Förnamn Efternamn, roll',
  },
  en: {
    lead: 'Write the lead here: one or two sentences that sum up the news.',
    body: 'The body starts here.',
    heading: '## Sub-heading',
    quote: 'A quote in the style of a press release',
    speaker: 'First Last, role',
  },
};

/** The placeholders of a language (English for languages scs has no texts of). */
export const placeholdersFor = (lang: string): Placeholders =>
  PLACEHOLDERS[lang as keyof typeof PLACEHOLDERS] ?? PLACEHOLDERS.en;

let pattern: RegExp | undefined;

/** Every placeholder of every language (a release may have changed its `lang` since), across line wraps. */
function placeholderPattern(): RegExp {
  pattern ??= new RegExp(
    Object.values(PLACEHOLDERS)
      .flatMap((p) => Object.values(p) as string[])
      .map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
      .join('|'),
    'g',
  );
  return pattern;
}

/**
 * `placeholder-left`: scaffold text still in a release that is not a draft. `text` is the whole file,
 * so that positions are the file's own.
 */
export function placeholdersLeft(text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let lines: LineIndex | undefined;
  for (const m of text.matchAll(placeholderPattern())) {
    lines ??= new LineIndex(text);
    const found = m[0].replace(/\s+/g, ' ');
    out.push(report('placeholder-left', { text: found, file, ...lines.position(m.index) }));
  }
  return out;
}
