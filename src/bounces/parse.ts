import { createHash } from 'node:crypto';
import { fieldGroups, header, type Headers, type MimePart, parseMime, utf8, walk } from './mime.js';

/**
 * What a message in the bounce mailbox is. `dsn` (RFC 3464) and `arf` (RFC 5965) are reports about our
 * mail; `auto-reply` (RFC 3834, vacation notices) and `unrelated` are left alone and never counted;
 * `malformed` claims to be a report but cannot be read.
 */
export type MessageKind = 'dsn' | 'arf' | 'auto-reply' | 'unrelated' | 'malformed';

/** One recipient a report is about. */
export interface ReportedRecipient {
  /** Final-Recipient (DSN) or Original-Rcpt-To (ARF), without its `rfc822;` type. */
  address: string | null;
  originalAddress: string | null;
  /** DSN `Action` (failed, delayed, delivered, relayed, expanded); `complaint` for ARF. */
  action: string;
  /** Enhanced status code (RFC 3463) "5.1.1", when given. */
  status: string | null;
  /** The remote server's words (Diagnostic-Code) or the ARF feedback type, for people. */
  diagnostic: string | null;
}

export interface ParsedMessage {
  kind: MessageKind;
  /** Why it is `malformed` or `unrelated`, for the report. */
  reason?: string;
  /** The bounce message's own Message-ID, with brackets, when it has one. */
  messageId: string | null;
  /** Identifies the message whatever mailbox it comes from: its Message-ID and a hash of the report. */
  key: string;
  subject: string;
  /** Addresses that may carry our VERP token: the bounce's recipients, the returned message's Return-Path. */
  tokenAddresses: string[];
  /** The Message-ID of the message that bounced, from the returned message or its headers. */
  originalMessageId: string | null;
  recipients: ReportedRecipient[];
}

const addressOf = (value: string | undefined): string | null => {
  if (!value) return null;
  const typed = /^\s*[\w-]+\s*;\s*(.+)$/.exec(value);
  const bare = (typed ? typed[1]! : value).trim().replace(/^<|>$/g, '');
  return bare || null;
};

const STATUS = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
const STATUS_IN_TEXT = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** RFC 3834 and the vacation programs that predate it. */
function isAutoReply(headers: Headers): boolean {
  const submitted = header(headers, 'auto-submitted')?.toLowerCase();
  if (submitted && !submitted.startsWith('no')) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponse'))
    return true;
  const precedence = header(headers, 'precedence')?.toLowerCase();
  if (precedence === 'auto_reply') return true;
  const subject = header(headers, 'subject') ?? '';
  return /^(auto(matic)?[ -]?(reply|response|antwort|svar)|out of (the )?office|abwesenheit|frånvaro|autosvar|vacation)\b/i.test(
    subject,
  );
}

function messageKey(messageId: string | null, report: string): string {
  return createHash('sha256')
    .update(messageId ?? '')
    .update('\n')
    .update(report)
    .digest('base64url')
    .slice(0, 32);
}

/** The headers of the message a report returns (message/rfc822 or text/rfc822-headers), if any. */
function returnedHeaders(report: MimePart): Headers | undefined {
  for (const p of report.parts) {
    if ((p.type === 'message/rfc822' || p.type === 'message/global') && p.parts[0]) return p.parts[0].headers;
    if (p.type === 'text/rfc822-headers' || p.type === 'message/rfc822-headers' || p.type === 'text/rfc822')
      return parseMime(`${p.body.replace(/\r?\n\r?\n[\s\S]*$/, '')}\r\n\r\n`).headers;
  }
  return undefined;
}

/** Reads one message from the bounce mailbox. Never throws. */
export function parseMessage(raw: Buffer | string): ParsedMessage {
  const root = parseMime(raw);
  const h = root.headers;
  const messageId = header(h, 'message-id') ?? null;
  const subject = utf8(header(h, 'subject') ?? '');
  const tokenAddresses = ['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to']
    .flatMap((name) => h.get(name) ?? [])
    .filter((a) => a.includes('+'));
  const base = { messageId, subject, tokenAddresses, originalMessageId: null, recipients: [] };

  const report = [...walk(root)].find((p) => p.type === 'multipart/report');
  const reportType = report?.params.get('report-type')?.toLowerCase();
  if (report && (reportType === 'delivery-status' || reportType === 'feedback-report')) {
    const returned = returnedHeaders(report);
    const originalMessageId = (returned && header(returned, 'message-id')) ?? null;
    const returnPath = returned && header(returned, 'return-path');
    if (returnPath) tokenAddresses.push(returnPath);
    const found = { ...base, originalMessageId };
    if (reportType === 'delivery-status') {
      const part = report.parts.find(
        (p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status',
      );
      if (!part)
        return {
          ...found,
          kind: 'malformed',
          reason: 'no delivery-status part',
          key: messageKey(messageId, ''),
        };
      const groups = fieldGroups(part.body);
      const recipients = groups
        .filter((g) => g.has('action') || g.has('final-recipient'))
        .map((g): ReportedRecipient => {
          const status = header(g, 'status')?.match(STATUS_IN_TEXT)?.[0] ?? null;
          return {
            address: addressOf(header(g, 'final-recipient')),
            originalAddress: addressOf(header(g, 'original-recipient')),
            action: (header(g, 'action') ?? '').toLowerCase(),
            status,
            diagnostic: header(g, 'diagnostic-code') ? utf8(addressOf(header(g, 'diagnostic-code'))!) : null,
          };
        });
      const key = messageKey(messageId, part.body);
      if (!recipients.length || recipients.some((r) => !r.action || (r.action === 'failed' && !r.status)))
        return { ...found, kind: 'malformed', reason: 'a recipient without Action or Status', key };
      return { ...found, kind: 'dsn', recipients, key };
    }
    const part = report.parts.find((p) => p.type === 'message/feedback-report');
    if (!part)
      return {
        ...found,
        kind: 'malformed',
        reason: 'no feedback-report part',
        key: messageKey(messageId, ''),
      };
    const fields = fieldGroups(part.body)[0] ?? new Map();
    const feedbackType = header(fields, 'feedback-type')?.toLowerCase();
    const key = messageKey(messageId, part.body);
    if (!feedbackType) return { ...found, kind: 'malformed', reason: 'no Feedback-Type', key };
    // Only complaints about the message itself count; other feedback types (fraud, virus, not-spam) do not.
    if (feedbackType !== 'abuse')
      return { ...found, kind: 'unrelated', reason: `feedback type "${feedbackType}"`, key };
    const address =
      addressOf(header(fields, 'original-rcpt-to')) ?? addressOf(returned && header(returned, 'to')) ?? null;
    return {
      ...found,
      kind: 'arf',
      key,
      recipients: [
        {
          address,
          originalAddress: null,
          action: 'complaint',
          status: null,
          diagnostic: `feedback: ${feedbackType}`,
        },
      ],
    };
  }
  const key = messageKey(messageId, typeof raw === 'string' ? raw : raw.toString('latin1'));
  if (isAutoReply(h)) return { ...base, kind: 'auto-reply', key };
  return { ...base, kind: 'unrelated', reason: 'not a delivery or feedback report', key };
}

/** What a reported recipient means for the address. */
export type BounceType = 'hard' | 'soft' | 'complaint' | 'delayed' | 'none';

/**
 * Hard: a permanent failure (5.x.x), except a full mailbox (x.2.2), which may empty; soft: a temporary
 * one (4.x.x); delayed: still being tried (not counted); none: delivered, relayed or expanded.
 */
export function classify(r: ReportedRecipient): BounceType {
  if (r.action === 'complaint') return 'complaint';
  if (r.action === 'delayed') return 'delayed';
  if (r.action !== 'failed') return 'none';
  const m = STATUS.exec(r.status ?? '');
  if (!m) return 'soft';
  if (m[2] === '2' && m[3] === '2') return 'soft';
  return m[1] === '5' ? 'hard' : 'soft';
}
