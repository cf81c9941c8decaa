/**
 * The one diagnostic type for every user mistake, in every command.
 * Library code returns these as data; only the CLI prints them. They are made by `report()`
 * (core/catalogue), from the catalogue entry of their code.
 * A note is neither a problem nor a warning: something worth knowing (how a value was read), shown
 * by `scs check --verbose` only.
 */
export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  /** Stable, documented code: a key of the catalogue (README "Diagnostic codes"). */
  code: string;
  severity: Severity;
  message: string;
  /** What to do about it. */
  hint?: string;
  /** Path relative to the project root (or as given). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export interface Position {
  line: number;
  column: number;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, then line, then column, then code. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

export interface DiagnosticSummary {
  errors: number;
  warnings: number;
  files: number;
}

export function summarize(diagnostics: readonly Diagnostic[]): DiagnosticSummary {
  const files = new Set<string>();
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'note') continue;
    if (d.severity === 'error') errors++;
    else warnings++;
    if (d.file) files.add(d.file);
  }
  return { errors, warnings, files: files.size };
}

/**
 * Thrown only for problems that stop a command as a whole (bad config, bad usage).
 * Carries diagnostics so the CLI can print them like any other.
 */
export class ScsError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Exit code the CLI should use: 1 for content errors, 2 for usage/configuration. */
  readonly exitCode: number;
  constructor(diagnostics: Diagnostic[], exitCode = 1) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'ScsError';
    this.diagnostics = diagnostics;
    this.exitCode = exitCode;
  }
}
