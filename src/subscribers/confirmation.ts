import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import type { OutgoingMessage, SendResult, Transport } from '../delivery/transport.js';
import { loadDkimSigner } from '../email/dkim.js';
import {
  addressHeader,
  alternativeFrame,
  formatDate,
  quotedPrintable,
  unstructuredHeader,
  writeMessage,
} from '../email/mime.js';
import { escapeHtml } from '../core/text.js';
import { newMessageId, recipientAddress } from '../email/personalize.js';
import { CONFIRMATION_SENT, type SubscriberRepo } from '../store/subscriber-types.js';
import { fill } from '../email/strings.js';
import { confirmUrl } from './tokens.js';

interface ConfirmationTexts {
  locale: string;
  subject: string;
  greeting: string;
  intro: string;
  button: string;
  expires: string;
  notYou: string;
}

// Other configured languages fall back to English.
const TEXTS: Record<string, ConfirmationTexts> = {
  sv: {
    locale: 'sv-SE',
    subject: 'Bekräfta din prenumeration – {organization}',
    greeting: 'Hej!',
    intro:
      'Tack för att du vill prenumerera på {lists}. Bekräfta att {email} är din adress genom att öppna länken:',
    button: 'Bekräfta prenumerationen',
    expires: 'Länken gäller till {expires}.',
    notYou:
      'Om det inte var du som anmälde adressen behöver du inte göra något: du får inga utskick förrän prenumerationen är bekräftad.',
  },
  en: {
    locale: 'en-GB',
    subject: 'Confirm your subscription – {organization}',
    greeting: 'Hello,',
    intro:
      'Thank you for subscribing to {lists}. Please confirm that {email} is your address by opening this link:',
    button: 'Confirm the subscription',
    expires: 'The link is valid until {expires}.',
    notYou:
      'If you did not sign up, you need not do anything: nothing is sent to you until the subscription is confirmed.',
  },
};

/**
 * Everything in the mail is the organisation's own text but the address: anyone can type into the form,
 * and what they type (a name such as "URGENT: verify at http://…") must never go out DKIM-signed.
 */
export interface ConfirmationRequest {
  subscriberId: number;
  email: string;
  lang: string;
  /** The lists waiting for confirmation. */
  lists: string[];
}

/**
 * The double opt-in mail, in the subscriber's language, as a complete (DKIM-signed when configured)
 * message, written by the same MIME writer as the newsletter (email/mime.ts).
 */
export function composeConfirmation(
  config: Config,
  secret: string,
  request: ConfirmationRequest,
  now: Date,
): OutgoingMessage {
  const t = TEXTS[request.lang] ?? TEXTS.en!;
  const to = recipientAddress(request.email);
  const url = confirmUrl(config, secret, request.subscriberId, request.lists, now);
  const listNames = request.lists.map((id) => config.newsletter.lists[id]?.name[request.lang] ?? id);
  const values = {
    organization: config.organization.names[request.lang] ?? config.organization.name,
    lists: new Intl.ListFormat(t.locale, { type: 'conjunction' }).format(listNames),
    email: request.email,
    expires: new Intl.DateTimeFormat(t.locale, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: config.timeZone,
    }).format(new Date(now.getTime() + config.newsletter.confirmTokenTtlMs)),
  };
  const subject = fill(t.subject, values);
  const paragraphs = [t.greeting, fill(t.intro, values)];
  const closing = [fill(t.expires, values), t.notYou];
  const text = [...paragraphs, url, ...closing].join('\n\n') + '\n';
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html =
    `<!doctype html><html lang="${escapeHtml(request.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">` +
    paragraphs.map(p).join('') +
    `<p style="margin:24px 0"><a href="${escapeHtml(url)}" style="background:#0b5cad;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(t.button)}</a></p>` +
    `<p style="margin:0 0 16px;font-size:14px;word-break:break-all"><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` +
    closing.map(p).join('') +
    '</body></html>';

  const from = config.newsletter.from;
  const messageId = newMessageId(from.email.split('@')[1]!);
  const dkim = loadDkimSigner(config);
  if (dkim.diagnostics.length) throw new ScsError(dkim.diagnostics, 2);
  const frame = alternativeFrame();
  const fields = [
    addressHeader('From', from.email, from.name),
    addressHeader('To', to),
    ...(config.newsletter.replyTo ? [addressHeader('Reply-To', config.newsletter.replyTo)] : []),
    unstructuredHeader('Subject', subject),
    `Date: ${formatDate(now)}\r\n`,
    `Message-ID: ${messageId}\r\n`,
    // RFC 3834: an automatic message, so that vacation responders stay quiet.
    'Auto-Submitted: auto-generated\r\n',
    'MIME-Version: 1.0\r\n',
    `Content-Language: ${request.lang}\r\n`,
    frame.contentType,
  ];
  const body = [frame.start, quotedPrintable(text), frame.middle, quotedPrintable(html), frame.end];
  return { from: from.email, to, raw: writeMessage(fields, body, { dkim: dkim.signer, now }), messageId };
}

/** Composes and sends the confirmation mail through the newsletter's own transport. */
export async function sendConfirmation(
  config: Config,
  secret: string,
  transport: Transport,
  request: ConfirmationRequest,
  now: Date,
): Promise<SendResult> {
  return transport.send(composeConfirmation(config, secret, request, now));
}

/**
 * Notes in the person's history that a confirmation mail about these lists went out at `now` (the time
 * its link's lifetime starts from), so that `scs subscribers reconfirm` leaves them alone until it ends.
 * Call it in a transaction (`tx.subscribers`): one event per list, all or none.
 */
export async function recordConfirmationSent(
  repo: SubscriberRepo,
  request: Pick<ConfirmationRequest, 'subscriberId' | 'lists'>,
  source: string,
  now: Date,
): Promise<void> {
  for (const listId of request.lists)
    await repo.addEvent(request.subscriberId, { kind: CONFIRMATION_SENT, listId, source }, now);
}
