import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import { SmtpClientError, SmtpConnection } from '../delivery/smtp/connection.js';
import { smtpDescription } from '../delivery/smtp-transport.js';
import { parseSmtpUrl, type SmtpServer } from '../delivery/smtp-url.js';
import { type DoctorCheck, failed, passed } from './types.js';

const TITLE = 'Mail server';

/** The step of the conversation the client was at when it failed, for people. */
function step(command: string | undefined): string {
  const c = (command ?? 'CONN').toUpperCase();
  if (c === 'CONN') return 'connecting';
  if (c.startsWith('AUTH')) return `logging in (${c})`;
  return c;
}

function problem(server: SmtpServer, err: SmtpClientError, timeoutMs: number): DoctorCheck {
  const where = smtpDescription(server);
  const at = `${where}: ${step(err.command)} failed`;
  const reason = (err.response ?? err.message).replace(/\s+/g, ' ').trim();
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    return failed('smtp', TITLE, report('doctor-smtp-auth', { at, user: server.auth?.user ?? '', reason }));
  }
  if (err.code === 'ETLS' || err.code === 'EREQUIRETLS') {
    return failed(
      'smtp',
      TITLE,
      // No step is named: TLS fails while connecting (smtps://) or at STARTTLS, which the mode shown says.
      report('doctor-smtp-tls', { server: where, reason }),
    );
  }
  return failed(
    'smtp',
    TITLE,
    report('doctor-smtp-connect', {
      at,
      reason: err.code === 'ETIMEDOUT' ? `no answer within ${timeoutMs / 1000} s` : reason,
    }),
  );
}

/** Connects to SCS_SMTP_URL and goes through EHLO, STARTTLS (when offered or required) and AUTH, sending nothing. */
export async function checkSmtp(config: Config, timeoutMs: number): Promise<DoctorCheck> {
  if (!config.env.smtpUrl) {
    return failed('smtp', TITLE, report('doctor-smtp-unset'));
  }
  let server: SmtpServer;
  try {
    server = parseSmtpUrl(config.env.smtpUrl);
  } catch (e) {
    if (e instanceof ScsError) return failed('smtp', TITLE, e.diagnostics[0]!);
    throw e;
  }
  try {
    const connection = await SmtpConnection.open(server, timeoutMs);
    connection.quit();
    return passed(
      'smtp',
      TITLE,
      `${smtpDescription(server)}: connected${server.auth ? `, logged in as "${server.auth.user}"` : ' (no user in SCS_SMTP_URL, so no login)'}.`,
    );
  } catch (e) {
    if (e instanceof SmtpClientError) return problem(server, e, timeoutMs);
    throw e;
  }
}
