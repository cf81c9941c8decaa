/**
 * The one catalogue of diagnostics: every code scs reports, with its severity, title, message and
 * hint. Each area declares its entries in its own file here; this module joins them, and `Code`
 * (the union of their keys) is the only thing `report()` accepts, so a call site cannot invent one.
 * The README's table of codes is generated from it (test/core/catalogue.test.ts fails when they differ).
 */
import { type Diagnostic, ScsError, type Severity } from '../diagnostic.js';
import { bouncesDiagnostics } from './bounces.js';
import { cliDiagnostics } from './cli.js';
import { configDiagnostics } from './config.js';
import { contentDiagnostics } from './content.js';
import { documentDiagnostics } from './core.js';
import { deliveryDiagnostics } from './delivery.js';
import { doctorDiagnostics } from './doctor.js';
import { emailDiagnostics } from './email.js';
import { imageDiagnostics } from './images.js';
import { publishDiagnostics } from './publish.js';
import { serveDiagnostics } from './subscription.js';
import { siteDiagnostics } from './site.js';
import { storeDiagnostics } from './store.js';
import { subscribersDiagnostics } from './subscribers.js';
import type { AnyEntry, MessageArgs } from './define.js';
import { pressDiagnostics } from './press.js';

export const catalogue = {
  ...documentDiagnostics,
  ...configDiagnostics,
  ...contentDiagnostics,
  ...imageDiagnostics,
  ...cliDiagnostics,
  ...doctorDiagnostics,
  ...emailDiagnostics,
  ...siteDiagnostics,
  ...publishDiagnostics,
  ...deliveryDiagnostics,
  ...storeDiagnostics,
  ...subscribersDiagnostics,
  ...serveDiagnostics,
  ...pressDiagnostics,
  ...bouncesDiagnostics,
} satisfies Record<string, AnyEntry>;

export type Catalogue = typeof catalogue;
export type Code = keyof Catalogue;

type ArgsOf<E> = E extends { message: infer M } ? MessageArgs<M> : never;

/** Where a diagnostic points, and the rare per-call overrides. */
export interface Where {
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Only for codes whose severity depends on the caller (a doctor check, an import option). */
  severity?: Severity;
  /** A " Did you mean …?" sentence (`didYouMean` in core/schema-diagnostics), put after the hint. */
  didYouMean?: string;
}

type ReportArgs<C extends Code> =
  Record<never, never> extends ArgsOf<Catalogue[C]>
    ? [args?: ArgsOf<Catalogue[C]> & Where]
    : [args: ArgsOf<Catalogue[C]> & Where];

/** The one way to make a diagnostic: a catalogue code, its arguments, and where it points. */
export function report<C extends Code>(code: C, ...[args]: ReportArgs<C>): Diagnostic {
  const entry: AnyEntry = (catalogue as Record<string, AnyEntry>)[code as string];
  const a = (args ?? {}) as Record<string, unknown> & Where;
  const d: Diagnostic = {
    code: code as string,
    severity: a.severity ?? entry.severity,
    message: entry.message(a),
  };
  const hint = (typeof entry.hint === 'function' ? entry.hint(a) : (entry.hint ?? '')) + (a.didYouMean ?? '');
  if (hint) d.hint = hint;
  if (a.file !== undefined) d.file = a.file;
  if (a.line !== undefined) d.line = a.line;
  if (a.column !== undefined) d.column = a.column;
  return d;
}

/** A mistake that stops the command: one diagnostic, and the exit code the CLI ends with. */
export const fatal = <C extends Code>(exitCode: number, code: C, ...args: ReportArgs<C>) =>
  new ScsError([report(code, ...args)], exitCode);

/** A wrong flag or argument: the command stops with this one diagnostic and exit code 2. */
export const usageError = (problem: string, fix: string, didYouMean?: string) =>
  fatal(2, 'usage', { problem, fix, ...(didYouMean ? { didYouMean } : {}) });
