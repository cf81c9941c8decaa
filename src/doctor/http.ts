import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Severity } from '../core/diagnostic.js';
import { type DoctorCheck, failed, passed } from './types.js';

interface UrlSpec {
  id: 'site' | 'serve';
  title: string;
  url: string;
  /** How bad it is when the URL does not answer with success. */
  severity: Severity;
}

/** GETs the URL (following redirects) and wants a 2xx answer within the timeout. */
async function checkUrl(spec: UrlSpec, timeoutMs: number): Promise<DoctorCheck> {
  let response: Response;
  try {
    response = await fetch(spec.url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const reason =
      err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return failed(
      spec.id,
      spec.title,
      report('doctor-url-unreachable', { url: spec.url, reason, id: spec.id, severity: spec.severity }),
    );
  }
  await response.body?.cancel();
  if (response.ok) return passed(spec.id, spec.title, `${spec.url} answers ${response.status}.`);
  return failed(
    spec.id,
    spec.title,
    report('doctor-url-status', {
      url: spec.url,
      status: `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      id: spec.id,
      severity: spec.severity,
    }),
  );
}

/**
 * The press archive at site.baseUrl (a warning: before the first deploy it cannot answer yet) and
 * `scs serve` at newsletter.endpoint (an error: every archive page links to its subscribe form and
 * every newsletter to its unsubscribe page).
 */
export function checkUrls(config: Config, timeoutMs: number): Promise<DoctorCheck>[] {
  return [
    checkUrl(
      {
        id: 'site',
        title: 'Press archive',
        url: config.site.baseUrl,
        severity: 'warning',
      },
      timeoutMs,
    ),
    checkUrl(
      {
        id: 'serve',
        title: 'scs serve',
        url: new URL('healthz', config.newsletter.endpoint).href,
        severity: 'error',
      },
      timeoutMs,
    ),
  ];
}
