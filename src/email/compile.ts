import { randomBytes } from 'node:crypto';
import { addressHeader, quotedPrintable, unstructuredHeader } from './mime.js';
import type { Chunks, CompiledMessage, Slot } from './types.js';

export interface CompileInput {
  from: { name: string; email: string };
  replyTo?: string;
  subject: string;
  lang: string;
  listName: string;
  listIdentifier: string;
  html: string;
  text: string;
  markers: Record<Slot, string>;
}

/** The "[TEST]" mark `scs send --test` puts in front of the subject. */
export const TEST_SUBJECT_MARK = '[TEST] ';

/**
 * Everything about a message that does not depend on the recipient, encoded once: header fields,
 * and both parts as quoted-printable pieces split around the recipient's slots.
 */
export function compileMessage(input: CompileInput): CompiledMessage {
  const boundary = `scs-alt-${randomBytes(12).toString('hex')}`;
  const top = (subject: string) => [
    addressHeader('From', input.from.email, input.from.name),
    ...(input.replyTo ? [addressHeader('Reply-To', input.replyTo)] : []),
    unstructuredHeader('Subject', subject),
  ];
  const listName = addressHeader('List-Id', input.listIdentifier, input.listName);
  const partHeader = (type: string) =>
    `--${boundary}\r\nContent-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  const bodyStart = Buffer.from(partHeader('plain'));
  const bodyMiddle = Buffer.from(`\r\n${partHeader('html')}`);
  const bodyEnd = Buffer.from(`\r\n--${boundary}--\r\n`);
  const text = splitAroundSlots(input.text, input.markers);
  const html = splitAroundSlots(input.html, input.markers);
  const size = (chunks: Chunks) => chunks.reduce((n, c) => n + (typeof c === 'string' ? 0 : c.length), 0);
  return {
    headTop: { normal: top(input.subject), test: top(TEST_SUBJECT_MARK + input.subject) },
    headBottom: [
      listName,
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n',
      'MIME-Version: 1.0\r\n',
      `Content-Language: ${input.lang}\r\n`,
      `Content-Type: multipart/alternative; boundary="${boundary}"\r\n`,
    ],
    text,
    html,
    bodyStart,
    bodyMiddle,
    bodyEnd,
    staticBytes: bodyStart.length + bodyMiddle.length + bodyEnd.length + size(text) + size(html),
  };
}

/** Encodes the text between slot markers; each encoded piece ends where the next can follow. */
function splitAroundSlots(content: string, markers: Record<Slot, string>): Chunks {
  const slotOf = new Map(Object.entries(markers).map(([slot, marker]) => [marker, slot as Slot]));
  const pattern = new RegExp([...slotOf.keys()].join('|'), 'g');
  const chunks: Chunks = [];
  let last = 0;
  for (const m of content.matchAll(pattern)) {
    if (m.index > last) chunks.push(quotedPrintable(content.slice(last, m.index), true));
    chunks.push(slotOf.get(m[0])!);
    last = m.index + m[0].length;
  }
  if (last < content.length) chunks.push(quotedPrintable(content.slice(last)));
  return chunks;
}
