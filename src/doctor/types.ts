import type { Diagnostic } from '../core/diagnostic.js';

export type CheckStatus = 'ok' | 'warning' | 'error' | 'skipped';

/** One thing `scs doctor` looked at, and what it found. */
export interface DoctorCheck {
  /** Stable: smtp, dkim-key, dkim-dns, spf, dmarc, site, serve. */
  id: string;
  /** What was checked, for people ("SMTP", "DKIM key in DNS", …). */
  title: string;
  status: CheckStatus;
  /** What was found; never a password or a private key. */
  detail: string;
  /** The diagnostic code, when the status is a warning or an error. */
  code?: string;
  /** What to do about it. */
  hint?: string;
}

export const passed = (id: string, title: string, detail: string): DoctorCheck => ({
  id,
  title,
  status: 'ok',
  detail,
});

export const skipped = (id: string, title: string, detail: string): DoctorCheck => ({
  id,
  title,
  status: 'skipped',
  detail,
});

/** The diagnostic each failed check was told from. */
const diagnostics = new WeakMap<DoctorCheck, Diagnostic>();

/** A check that found a problem, told as the diagnostic that names it. */
export function failed(id: string, title: string, d: Diagnostic): DoctorCheck {
  const check: DoctorCheck = {
    id,
    title,
    status: d.severity === 'error' ? 'error' : 'warning',
    detail: d.message,
    code: d.code,
    ...(d.hint ? { hint: d.hint } : {}),
  };
  diagnostics.set(check, d);
  return check;
}

/** The diagnostic of a check that found a problem. */
export const checkDiagnostic = (check: DoctorCheck): Diagnostic | undefined => diagnostics.get(check);
