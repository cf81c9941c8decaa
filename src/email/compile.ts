import { addressHeader, alternativeFrame, quotedPrintable, unstructuredHeader } from './mime.js';
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
const TEST_SUBJECT_MARK = '[TEST] ';

/**
 * Everything about a message that does not depend on the recipient, encoded once: header fields,
 * and both parts as quoted-printable pieces split around the recipient's slots.
 */
export function compileMessage(input: CompileInput): CompiledMessage {
  const top = (subject: string) => [
    addressHeader('From', input.from.email, input.from.name),
    ...(input.replyTo ? [addressHeader('Reply-To', input.replyTo)] : []),
    unstructuredHeader('Subject', subject),
  ];
  const frame = alternativeFrame();
  return {
    headTop: { normal: top(input.subject), test: top(TEST_SUBJECT_MARK + input.subject) },
    headBottom: [
      addressHeader('List-Id', input.listIdentifier, input.listName),
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n',
      'MIME-Version: 1.0\r\n',
      `Content-Language: ${input.lang}\r\n`,
      frame.contentType,
    ],
    text: splitAroundSlots(input.text, input.markers),
    html: splitAroundSlots(input.html, input.markers),
    frame,
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
