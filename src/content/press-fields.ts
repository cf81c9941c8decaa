import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { localDate, localDateTime, parseDateTime, parseDuration } from '../core/time.js';
import type { ParsedYaml } from '../core/yaml.js';
import { type CorrectionInput, firstRawHtml, parseCorrections } from './corrections.js';
import type { Frontmatter } from './schema.js';
import type { Release } from './types.js';

/** An offset at the end of a date-time: "Z", "+01:00", "-0500". */
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})\s*$/i;

export type PressFields = Pick<Release, 'embargoLocal' | 'prebrief' | 'corrections' | 'withdrawn'>;

/**
 * The frontmatter of the press office's workflow, validated: corrections, `prebrief` (only with an
 * embargo), `withdrawn` with its reason, and whether the embargo was written without an offset.
 */
export function pressFields(
  fm: Partial<Pick<Frontmatter, 'embargo' | 'prebrief' | 'withdrawn' | 'withdrawnReason'>> & {
    corrections?: readonly CorrectionInput[];
  },
  ctx: {
    file: string;
    locate: ParsedYaml['locate'];
    timeZone: string;
    /** The release's date, when it is valid. */
    date?: Date;
    /** The embargo, when it is given and valid. */
    embargo?: Date;
  },
): { fields: PressFields; diagnostics: Diagnostic[] } {
  const { file, locate, timeZone } = ctx;
  const fields: PressFields = {};
  const diagnostics: Diagnostic[] = [];

  if (ctx.embargo && fm.embargo !== undefined && !HAS_OFFSET.test(fm.embargo))
    fields.embargoLocal = locate(['embargo']);

  if (typeof fm.prebrief === 'string') {
    const ms = parseDuration(fm.prebrief);
    if (ms === undefined)
      diagnostics.push(report('prebrief-invalid', { value: fm.prebrief, file, ...locate(['prebrief']) }));
    else fields.prebrief = ms;
  } else if (fm.prebrief === true) fields.prebrief = true;
  if (fm.prebrief !== undefined && fm.prebrief !== false && fm.embargo === undefined)
    diagnostics.push(report('prebrief-without-embargo', { file, ...locate(['prebrief'], 'key') }));

  if (fm.withdrawn !== undefined && fm.withdrawn !== false) {
    const withdrawn: NonNullable<PressFields['withdrawn']> = {};
    if (typeof fm.withdrawn === 'string') {
      const parsed = parseDateTime(fm.withdrawn, timeZone);
      if (parsed.ok) {
        withdrawn.date = parsed.instant;
        withdrawn.localDate = localDate(parsed.instant, timeZone);
      } else
        diagnostics.push(
          report('withdrawn-date-invalid', { value: fm.withdrawn, file, ...locate(['withdrawn']) }),
        );
    }
    if (fm.withdrawnReason !== undefined) withdrawn.reason = fm.withdrawnReason;
    fields.withdrawn = withdrawn;
  } else if (fm.withdrawnReason !== undefined) {
    diagnostics.push(report('withdrawn-reason-alone', { file, ...locate(['withdrawnReason'], 'key') }));
  }
  const reasonHtml = fm.withdrawnReason === undefined ? undefined : firstRawHtml(fm.withdrawnReason);
  if (reasonHtml)
    diagnostics.push(
      report('inline-html', {
        field: 'withdrawal reason',
        html: reasonHtml,
        file,
        ...locate(['withdrawnReason']),
      }),
    );

  if (fm.corrections?.length) {
    const parsed = parseCorrections(fm.corrections, {
      file,
      locate,
      timeZone,
      ...(ctx.date ? { releaseDate: localDate(ctx.date, timeZone) } : {}),
    });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.corrections.length) fields.corrections = parsed.corrections;
  }
  return { fields, diagnostics };
}

/** `scs check --verbose`: how an embargo without an offset is read. */
export function embargoNotes(releases: readonly Release[], timeZone: string): Diagnostic[] {
  return releases
    .filter((r) => r.embargoLocal && r.embargo)
    .map((r) =>
      report('embargo-local-time', {
        embargo: localDateTime(r.embargo!, timeZone).slice(0, 16),
        zone: timeZone,
        read: localDateTime(r.embargo!, timeZone),
        file: r.file,
        ...r.embargoLocal,
      }),
    );
}
