import type { FailureScope, SendResult } from './transport.js';

/** The parts of an SMTP client error (smtp/connection.ts) that say what went wrong. */
export interface SmtpError {
  message: string;
  /** The kind: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE, … */
  code?: string;
  /** The server's reply, when it gave one. */
  response?: string;
  responseCode?: number;
  /** The command being answered: "CONN", "EHLO", "AUTH PLAIN", "MAIL FROM", "RCPT TO", "DATA", … */
  command?: string;
}

// Enhanced status codes (RFC 3463) X.1.* (addressing) and X.2.* (mailbox) are about the recipient.
const RECIPIENT_STATUS = /^\d{3}[ -]\d\.[12]\.\d{1,3}\b/;
// Without an enhanced code, these replies to the message mean the mailbox, not the content.
const RECIPIENT_REPLIES = new Set([550, 551, 553]);
// No reply at all: the connection broke or nobody answered.
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'EPROTOCOL']);
// Problems with our own settings: every other message would fail the same way.
const SENDER_CODES = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'ECONFIG']);

function scopeOf(err: SmtpError, permanent: boolean): FailureScope {
  const command = (err.command ?? '').toUpperCase();
  if (!err.responseCode) {
    if (err.code && SENDER_CODES.has(err.code)) return 'sender';
    if (err.code === 'EENVELOPE') return 'recipient';
    if (err.code === 'EMESSAGE') return 'message';
    return 'connection';
  }
  if (err.responseCode === 421) return 'connection';
  if (command === 'RCPT TO') return 'recipient';
  if (command === 'DATA') {
    if (!permanent) return 'message';
    const text = err.response ?? '';
    if (RECIPIENT_STATUS.test(text)) return 'recipient';
    return /^\d{3}[ -]\d\.\d/.test(text) || !RECIPIENT_REPLIES.has(err.responseCode)
      ? 'message'
      : 'recipient';
  }
  // Refused at the greeting, EHLO, AUTH, STARTTLS or MAIL FROM: the server does not want our mail.
  return permanent ? 'sender' : 'connection';
}

/**
 * Turns an SMTP client error into a send result: 5xx replies are permanent, 4xx replies, dropped
 * connections and timeouts temporary; problems with credentials or TLS settings are permanent
 * sender failures even without a reply code.
 */
export function classifySmtpError(err: SmtpError): Extract<SendResult, { ok: false }> {
  const code = err.responseCode;
  const permanent = code
    ? code >= 500
    : !!err.code && (SENDER_CODES.has(err.code) || !CONNECTION_CODES.has(err.code));
  const response = (err.response ?? err.message).replace(/\s+/g, ' ').trim();
  return {
    ok: false,
    permanent,
    response,
    ...(code ? { code } : {}),
    scope: scopeOf(err, permanent),
  };
}
