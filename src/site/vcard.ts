/**
 * vCard 4.0 (RFC 6350) for a press contact: CRLF line ends, text values escaped (§3.4), lines folded at
 * 75 octets without splitting a UTF-8 character (§3.2).
 */
export interface VCardContact {
  name: string;
  role?: string;
  organization?: string;
  email: string;
  /** E.164, e.g. +4690164531. */
  phone?: string;
  /** What the contact can speak about (topic names). */
  topics?: string[];
}

const LIMIT = 75;

/** A text value: backslash, comma, semicolon and line breaks escaped. */
function text(value: string): string {
  return value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** Splits a content line into lines of at most 75 octets, each after the first starting with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > LIMIT) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** The family name is taken to be the last word: a guess address books only use for sorting (FN is shown). */
function structuredName(name: string): string {
  const words = name.trim().split(/\s+/);
  const family = words.length > 1 ? words.pop()! : '';
  return `${text(family)};${text(words.join(' '))};;;`;
}

export function vCard(c: VCardContact): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'KIND:individual',
    `FN:${text(c.name)}`,
    `N:${structuredName(c.name)}`,
    ...(c.organization ? [`ORG:${text(c.organization)}`] : []),
    ...(c.role ? [`TITLE:${text(c.role)}`] : []),
    `EMAIL;TYPE=work:${text(c.email)}`,
    ...(c.phone ? [`TEL;VALUE=uri;TYPE="work,voice":tel:${c.phone}`] : []),
    ...(c.topics?.length ? [`CATEGORIES:${c.topics.map(text).join(',')}`] : []),
    'END:VCARD',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
