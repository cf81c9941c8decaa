import type { Config } from '../config/types.js';
import { diag, type Severity } from '../core/diagnostic.js';
import { type DoctorCheck, failed, passed } from './types.js';

interface UrlSpec {
  id: string;
  title: string;
  url: string;
  /** How bad it is when the URL does not answer with success. */
  severity: Severity;
  hint: string;
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
      diag('doctor-url-unreachable', spec.severity, `${spec.url} does not answer (${reason}).`, {
        hint: spec.hint,
      }),
    );
  }
  await response.body?.cancel();
  if (response.ok) return passed(spec.id, spec.title, `${spec.url} answers ${response.status}.`);
  return failed(
    spec.id,
    spec.title,
    diag(
      'doctor-url-status',
      spec.severity,
      `${spec.url} answers ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      { hint: spec.hint },
    ),
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
        hint: 'Deploy the archive (scs build, then copy the output folder to the web server at site.baseUrl) before the first send: every newsletter links to it.',
      },
      timeoutMs,
    ),
    checkUrl(
      {
        id: 'serve',
        title: 'scs serve',
        url: new URL('healthz', config.newsletter.endpoint).href,
        severity: 'error',
        hint: 'Run scs serve behind your HTTPS proxy so that newsletter.endpoint reaches it: the archive links to its subscribe form, every newsletter to its unsubscribe page.',
      },
      timeoutMs,
    ),
  ];
}
