import type { DkimSigner } from './dkim.js';
import type { AlternativeFrame } from './mime.js';

/** The per-recipient parts of a message; everything else is rendered once per template. */
export type Slot = 'unsubscribe' | 'recipient';

/** A part or a whole message as pre-encoded bytes with holes for the recipient's values. */
export type Chunks = (Buffer | Slot)[];

/** Everything per recipient work needs, built once per release × language × list. */
export interface CompiledMessage {
  /** Complete header fields: From, Reply-To and Subject; the test variant has the "[TEST]" subject. */
  headTop: { normal: string[]; test: string[] };
  /** List-Id, List-Unsubscribe-Post, MIME-Version, Content-Language, Content-Type. */
  headBottom: string[];
  /** The multipart body: text part and HTML part, quoted-printable, canonical for DKIM. */
  text: Chunks;
  html: Chunks;
  /** Boundary lines and part headers around the two parts. */
  frame: AlternativeFrame;
}

/**
 * A release rendered as a newsletter for one list: MJML ran once; `personalize` only splices in
 * the recipient's values.
 */
export interface MessageTemplate {
  releaseId: string;
  lang: string;
  listId: string;
  /** The subject as shown (prefix + title), without the "[TEST]" mark. */
  subject: string;
  /** The rendered HTML and text, with the slot markers below where recipient values go. */
  html: string;
  text: string;
  /** The marker strings standing for each slot in `html` and `text` (unique per render). */
  markers: Record<Slot, string>;
  /** UTF-8 size of the HTML part with a typical recipient (what Gmail measures). */
  htmlBytes: number;
  textBytes: number;
  from: { name: string; email: string };
  replyTo?: string;
  /** `<listId>.<sender domain>` */
  listIdentifier: string;
  listName: string;
  /** The sender's domain, used for Message-IDs. */
  domain: string;
  /** For the List-Unsubscribe mailto: variant. */
  unsubscribeMailto?: string;
  /** The archive page ("read on the web"). */
  webUrl: string;
  compiled: CompiledMessage;
  dkim?: DkimSigner;
}

export interface EmailRecipient {
  email: string;
  name?: string | null;
  /** The recipient's own unsubscribe URL, carrying a signed token (https). */
  unsubscribeUrl: string;
}

export interface PersonalizedMessage {
  /** The complete RFC 5322 message, CRLF line ends. */
  raw: Buffer;
  /** With angle brackets. */
  messageId: string;
  /** The envelope sender (bounce address). */
  envelopeFrom: string;
  /** The recipient as written in To (an internationalised domain in its ASCII form): the envelope recipient. */
  envelopeTo: string;
}
