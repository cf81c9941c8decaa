import type { Config } from '../config/types.js';
import { diag, ScsError } from '../core/diagnostic.js';
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
    return failed(
      'smtp',
      TITLE,
      diag(
        'doctor-smtp-auth',
        'error',
        `${at}: the server refused user "${server.auth?.user ?? ''}" (${reason}).`,
        {
          hint: 'Check the user name and password in SCS_SMTP_URL (percent-encode special characters).',
        },
      ),
    );
  }
  if (err.code === 'ETLS' || err.code === 'EREQUIRETLS') {
    return failed(
      'smtp',
      TITLE,
      // No step is named: TLS fails while connecting (smtps://) or at STARTTLS, which the mode shown says.
      diag('doctor-smtp-tls', 'error', `${where}: TLS failed (${reason}).`, {
        hint: 'Use smtps:// with port 465 for TLS from the start, smtp:// with 587 for STARTTLS; the server needs a valid certificate for the host name in SCS_SMTP_URL.',
      }),
    );
  }
  return failed(
    'smtp',
    TITLE,
    diag(
      'doctor-smtp-connect',
      'error',
      `${at} (${err.code === 'ETIMEDOUT' ? `no answer within ${timeoutMs / 1000} s` : reason}).`,
      {
        hint: 'Check the host and port in SCS_SMTP_URL, and that this machine may reach the server (firewalls often block port 25; use 587 or 465).',
      },
    ),
  );
}

/** Connects to SCS_SMTP_URL and goes through EHLO, STARTTLS (when offered or required) and AUTH, sending nothing. */
export async function checkSmtp(config: Config, timeoutMs: number): Promise<DoctorCheck> {
  if (!config.env.smtpUrl) {
    return failed(
      'smtp',
      TITLE,
      diag(
        'doctor-smtp-unset',
        'error',
        'SCS_SMTP_URL is not set: messages go to the outbox .scs/outbox/ and nobody is mailed.',
        {
          hint: 'Set SCS_SMTP_URL to your mail server, e.g. smtp://user:password@mail.example.org:587.',
        },
      ),
    );
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
