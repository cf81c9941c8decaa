import { randomUUID } from 'node:crypto';
import { report } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import { addressHeader, formatDate, headerAddress, quotedPrintable, writeMessage } from './mime.js';
import { escapeHtml, singleLine } from '../core/text.js';
import type { Chunks, EmailRecipient, MessageTemplate, PersonalizedMessage, Slot } from './types.js';

export type { EmailRecipient } from './types.js';

/** Longer names are cut: a name is a courtesy in the footer and To, never worth a huge header. */
const MAX_NAME = 200;
/** https or http (for local test servers); printable ASCII without anything that ends a header or attribute. */
const SAFE_URL = /^https?:\/\/[!#-;=?-~]+$/;

/** A printable-ASCII `<left@right>` with nothing that could end or fold a header. */
const SAFE_MESSAGE_ID = /^<[!-;=?-~]+@[!-;=?-~]+>$/;

/** A new, globally unique Message-ID in the sender's domain. */
export const newMessageId = (domain: string) => `<${randomUUID()}@${domain}>`;

/**
 * The recipient's address as it goes into To and the envelope (see `headerAddress`). Throws ScsError
 * (`email-recipient-invalid`) for an address that could not go into a header safely.
 */
export function recipientAddress(address: string): string {
  const email = headerAddress(address);
  if (email) return email;
  throw new ScsError([report('email-recipient-invalid', { address: JSON.stringify(address) })]);
}

/**
 * One recipient's copy of a rendered newsletter: splices the recipient's address, name and
 * unsubscribe URL into the pre-encoded template and assembles the MIME message (signed with DKIM
 * when the template carries a key). No rendering happens here.
 *
 * Throws ScsError (`email-recipient-invalid`) for an address or unsubscribe URL that could not go
 * into a header safely; a subscriber's name is cleaned of line breaks and control characters instead.
 */
export function personalize(
  template: MessageTemplate,
  recipient: EmailRecipient,
  options: { now: Date; test?: boolean; messageId?: string | null },
): PersonalizedMessage {
  const { unsubscribeUrl } = recipient;
  const email = recipientAddress(recipient.email);
  if (!SAFE_URL.test(unsubscribeUrl)) {
    throw new ScsError([report('email-recipient-invalid', { url: JSON.stringify(unsubscribeUrl) })]);
  }
  const name = recipient.name ? singleLine(recipient.name).slice(0, MAX_NAME) : '';
  const label = name ? `${name} <${email}>` : email;
  const { compiled } = template;

  const textValues: Record<Slot, Buffer> = {
    unsubscribe: quotedPrintable(unsubscribeUrl, true),
    recipient: quotedPrintable(label, true),
  };
  const htmlValues: Record<Slot, Buffer> = {
    unsubscribe: quotedPrintable(escapeHtml(unsubscribeUrl), true),
    recipient: quotedPrintable(escapeHtml(label), true),
  };
  const body: Buffer[] = [compiled.frame.start];
  const fill = (chunks: Chunks, values: Record<Slot, Buffer>) => {
    for (const c of chunks) body.push(typeof c === 'string' ? values[c] : c);
  };
  fill(compiled.text, textValues);
  body.push(compiled.frame.middle);
  fill(compiled.html, htmlValues);
  body.push(compiled.frame.end);

  // The ledger's Message-ID (the same for every attempt) when it has a sound one.
  const messageId =
    options.messageId && SAFE_MESSAGE_ID.test(options.messageId)
      ? options.messageId
      : newMessageId(template.domain);
  const fields = [
    ...(options.test ? compiled.headTop.test : compiled.headTop.normal),
    addressHeader('To', email, name),
    `Date: ${formatDate(options.now)}\r\n`,
    `Message-ID: ${messageId}\r\n`,
    template.unsubscribeMailto
      ? `List-Unsubscribe: <${unsubscribeUrl}>,\r\n <mailto:${template.unsubscribeMailto}?subject=unsubscribe>\r\n`
      : `List-Unsubscribe: <${unsubscribeUrl}>\r\n`,
    ...compiled.headBottom,
  ];
  return {
    raw: writeMessage(fields, body, { dkim: template.dkim, now: options.now }),
    messageId,
    envelopeFrom: template.from.email,
    envelopeTo: email,
  };
}
