import type { Config } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { checkDkim, checkSenderPolicies, dnsResolver, type TxtResolver } from './dns.js';
import { checkUrls } from './http.js';
import { checkSmtp } from './smtp.js';
import { checkDiagnostic, type DoctorCheck } from './types.js';

export { dnsResolver, type TxtResolver } from './dns.js';
export type { CheckStatus, DoctorCheck } from './types.js';

export interface DoctorOptions {
  /** When the checks ran (reported, never read from the clock here). */
  now: Date;
  /** Where TXT records are looked up; default a resolver asking `dnsServer`. */
  resolver?: TxtResolver;
  /** "127.0.0.1:5353": the DNS server to ask; default the system's. */
  dnsServer?: string;
  /** For each connection, HTTP request and DNS query; default 10 s (DNS 3 s per try). */
  timeoutMs?: number;
}

export interface DoctorResult {
  checkedAt: Date;
  /** In a fixed order: smtp, dkim-key, dkim-dns, spf, dmarc, site, serve. */
  checks: DoctorCheck[];
  /** One per check that warned or failed. */
  diagnostics: Diagnostic[];
  /** No check failed (warnings allowed). */
  ok: boolean;
}

/**
 * Checks a newsroom's setup before the first real send: the SMTP server and login, the DKIM key and
 * its DNS record, SPF and DMARC for the sender's domain, and that the archive and `scs serve` answer.
 * Sends no mail and writes nothing; a failed DNS lookup is a warning, never a crash.
 */
export async function doctor(config: Config, options: DoctorOptions): Promise<DoctorResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const resolver = options.resolver ?? dnsResolver(options.dnsServer, Math.min(timeoutMs, 3000));
  const [smtp, dkim, policies, urls] = await Promise.all([
    checkSmtp(config, timeoutMs),
    checkDkim(config, resolver),
    Promise.all(checkSenderPolicies(config, resolver)),
    Promise.all(checkUrls(config, timeoutMs)),
  ]);
  const checks = [smtp, ...dkim, ...policies, ...urls];
  const diagnostics = checks.map(checkDiagnostic).filter((d): d is Diagnostic => d !== undefined);
  return {
    checkedAt: options.now,
    checks,
    diagnostics,
    ok: !checks.some((c) => c.status === 'error'),
  };
}
