import { report } from '../core/catalogue/index.js';
import type { Diagnostic, Position } from '../core/diagnostic.js';
import { localDate, localDateTime, parseDateTime } from '../core/time.js';
import type { ParsedYaml } from '../core/yaml.js';
import { parseMarkdown } from '../render/markdown.js';
import type { Token } from 'markdown-it';
import type { Release } from './types.js';

/** One dated correction of a published release, as the page shows it and (later) a dispatch mails it. */
export interface Correction {
  /** When it was made: midnight in the configured zone for a date, or the instant written. */
  date: Date;
  /** `YYYY-MM-DD` in the configured zone: what the page shows, and what names its dispatch. */
  localDate: string;
  /** Inline Markdown in the release's language (sanitised when rendered). */
  text: string;
  /** Where its date is written. */
  at: Position;
}

/** What the frontmatter gives: a bad entry is null (the schema has reported it). */
export type CorrectionInput = { date: string; text: string } | null;

/** Anything markdown-it may take for raw HTML starts like this: most texts have none, and skip the parse. */
const MAYBE_HTML = /<[a-z!?/]/i;

/** The first piece of raw HTML in a Markdown text (shortened), or undefined when it has none. */
export function firstRawHtml(markdown: string): string | undefined {
  if (!MAYBE_HTML.test(markdown)) return undefined;
  const find = (tokens: readonly Token[]): string | undefined => {
    for (const t of tokens) {
      if (t.type === 'html_block' || t.type === 'html_inline') {
        const html = t.content.trim();
        return html.length > 40 ? `${html.slice(0, 40)}…` : html;
      }
      const inner = t.children && find(t.children);
      if (inner) return inner;
    }
    return undefined;
  };
  return find(parseMarkdown(markdown));
}

/**
 * The corrections of a release, oldest first, and what is wrong with them: a date that is not one, a
 * correction dated before the release (`releaseDate`, its calendar day) or on the day of another, HTML
 * in the text. Whether one is dated in the future depends on the clock: `correctionsInFuture`.
 */
export function parseCorrections(
  input: readonly CorrectionInput[],
  ctx: { file: string; locate: ParsedYaml['locate']; timeZone: string; releaseDate?: string },
): { corrections: Correction[]; diagnostics: Diagnostic[] } {
  const corrections: Correction[] = [];
  const diagnostics: Diagnostic[] = [];
  const days = new Set<string>();
  input.forEach((entry, i) => {
    if (!entry) return;
    const at = ctx.locate(['corrections', i, 'date']);
    const where = { file: ctx.file, ...at };
    const html = firstRawHtml(entry.text);
    if (html)
      diagnostics.push(
        report('inline-html', {
          field: 'correction',
          html,
          file: ctx.file,
          ...ctx.locate(['corrections', i, 'text']),
        }),
      );
    const parsed = parseDateTime(entry.date, ctx.timeZone);
    if (!parsed.ok) {
      diagnostics.push(
        report('correction-date-invalid', {
          date: entry.date,
          impossible: parsed.reason === 'impossible',
          ...where,
        }),
      );
      return;
    }
    const day = localDate(parsed.instant, ctx.timeZone);
    if (ctx.releaseDate && day < ctx.releaseDate)
      diagnostics.push(
        report('correction-before-release', { date: day, release: ctx.releaseDate, ...where }),
      );
    if (days.has(day)) diagnostics.push(report('correction-date-duplicate', { date: day, ...where }));
    days.add(day);
    corrections.push({ date: parsed.instant, localDate: day, text: entry.text, at });
  });
  corrections.sort((a, b) => a.date.getTime() - b.date.getTime());
  return { corrections, diagnostics };
}

/** A correction dated after `now` is an error: it says something happened that has not. */
export function correctionsInFuture(releases: readonly Release[], now: Date, timeZone: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of releases) {
    for (const c of r.corrections ?? []) {
      if (c.date.getTime() <= now.getTime()) continue;
      out.push(
        report('correction-in-future', {
          date: c.localDate,
          now: localDateTime(now, timeZone),
          file: r.file,
          ...c.at,
        }),
      );
    }
  }
  return out;
}

/**
 * When a release last changed: its latest correction, or its date. A correction given as a day alone
 * counts from midnight, so one made on the day of publication changes the content, not this date.
 */
export function lastModified(r: Pick<Release, 'date' | 'corrections'>): Date {
  const last = r.corrections?.at(-1)?.date;
  return last && last > r.date ? last : r.date;
}
