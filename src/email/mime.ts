import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { type DkimSigner, dkimHeader } from './dkim.js';
import { singleLine } from '../core/text.js';

/**
 * The MIME writer of every mail scs sends (newsletters and confirmation mails alike): the encodings,
 * written for speed (they run per recipient) and so that their output is already in DKIM "relaxed"
 * canonical form (no runs of white space, no white space at line ends), the multipart frame, and
 * `writeMessage`, which puts a message together and signs it.
 */

const HEX = '0123456789ABCDEF';
const HEX_BYTES = Buffer.from(HEX, 'latin1');
const MAX_LINE = 76;

/** True when a byte may stand for itself in quoted-printable text (printable ASCII except "="). */
function qpLiteral(b: number): boolean {
  return (b >= 33 && b <= 60) || (b >= 62 && b <= 126);
}

/**
 * Quoted-printable (RFC 2045) with CRLF line ends. Line breaks in `text` become hard breaks; long
 * lines get soft breaks. A space is written as "=20" where it would end a line or follow another
 * space, so relaxed canonicalisation leaves the body untouched.
 * With `open`, the result ends in a soft break so that another encoded piece can follow directly.
 */
export function quotedPrintable(text: string, open = false): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  // Worst case: every byte as "=XX", and a soft break after every 24 bytes or fewer.
  const out = Buffer.allocUnsafe(bytes.length * 3 + (Math.ceil(bytes.length / 20) + 2) * 3);
  let o = 0;
  let lineStart = 0;
  const softBreak = () => {
    out[o++] = 0x3d;
    out[o++] = 0x0d;
    out[o++] = 0x0a;
    lineStart = o;
  };
  const escapeByte = (b: number) => {
    if (o - lineStart + 3 > MAX_LINE - 1) softBreak();
    out[o++] = 0x3d;
    out[o++] = HEX_BYTES[b >> 4]!;
    out[o++] = HEX_BYTES[b & 15]!;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] === 0x0a)) {
      if (b === 0x0d) i++;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      lineStart = o;
    } else if (b === 0x20) {
      const next = bytes[i + 1];
      const endsLine = next === undefined || next === 0x0a || next === 0x0d;
      const afterSpace = o > lineStart && out[o - 1] === 0x20;
      // A literal space may not be the last character of a line, soft breaks included.
      if (!endsLine && !afterSpace && o - lineStart < MAX_LINE - 2) out[o++] = 0x20;
      else escapeByte(b);
    } else if (qpLiteral(b)) {
      if (o - lineStart + 1 > MAX_LINE - 1) softBreak();
      out[o++] = b;
    } else escapeByte(b);
  }
  if (open && o > lineStart) softBreak();
  return out.subarray(0, o);
}

/** Characters that may appear unencoded in a "Q" encoded-word in any header position (RFC 2047 §5). */
function qWordLiteral(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 33 ||
    c === 42 ||
    c === 43 ||
    c === 45 ||
    c === 47
  );
}

/**
 * RFC 2047 encoded-words ("=?UTF-8?Q?…?="), each at most 75 characters (the first at most
 * `firstMax`, to fit after the header name), never splitting a character.
 */
export function encodeWords(text: string, firstMax = 75): string[] {
  const words: string[] = [];
  let payload = '';
  const overhead = '=?UTF-8?Q??='.length;
  let limit = Math.min(firstMax, 75) - overhead;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    let enc: string;
    if (c === 0x20) enc = '_';
    else if (qWordLiteral(c)) enc = ch;
    else {
      enc = '';
      for (const b of c < 0x80 ? [c] : Buffer.from(ch, 'utf8')) enc += `=${HEX[b >> 4]}${HEX[b & 15]}`;
    }
    if (payload.length + enc.length > limit && (payload || words.length)) {
      words.push(`=?UTF-8?Q?${payload}?=`);
      payload = '';
      limit = 75 - overhead;
    }
    payload += enc;
  }
  if (payload || !words.length) words.push(`=?UTF-8?Q?${payload}?=`);
  return words;
}

const needsEncoding = (text: string) => /[^\x20-\x7e]/.test(text) || text.includes('=?');

/**
 * An unstructured header field (Subject), folded at spaces to lines of at most 78 characters;
 * non-ASCII text becomes encoded-words.
 */
export function unstructuredHeader(name: string, value: string): string {
  const clean = singleLine(value);
  const words = needsEncoding(clean) ? encodeWords(clean, 78 - name.length - 2) : clean.split(' ');
  return fold(`${name}:`, words);
}

function fold(start: string, words: string[]): string {
  let out = start;
  let lineLength = start.length;
  for (const w of words) {
    if (lineLength + 1 + w.length > 78 && lineLength > start.length) {
      out += `\r\n ${w}`;
      lineLength = 1 + w.length;
    } else {
      out += ` ${w}`;
      lineLength += 1 + w.length;
    }
  }
  return `${out}\r\n`;
}

/** A display name as a quoted string, or as encoded-words when it is not plain ASCII. */
function displayName(name: string, firstMax = 75): string[] {
  const clean = singleLine(name);
  if (needsEncoding(clean)) return encodeWords(clean, firstMax);
  return [`"${clean.replace(/[\\"]/g, '\\$&')}"`];
}

/** `Name: "Display" <address>` (folded), or `Name: <address>` without a display name. */
export function addressHeader(name: string, address: string, display?: string | null): string {
  const phrase = display ? displayName(display, 78 - name.length - 2) : [];
  return fold(`${name}:`, [...phrase, `<${address}>`]);
}

/**
 * Addresses we put in headers: a conservative subset of RFC 5322 addr-spec (no quoted local parts,
 * no comments), which also guarantees that nothing can break out of the header.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * The address as it can go into a header: internationalised domains become their ASCII (punycode)
 * form; undefined when the address is not a plain one (non-ASCII local parts need SMTPUTF8, which
 * scs does not use).
 */
export function headerAddress(address: string): string | undefined {
  let candidate = address;
  if (/[^\x00-\x7f]/.test(address)) {
    const at = address.lastIndexOf('@');
    const domain = at > 0 ? domainToASCII(address.slice(at + 1)) : '';
    if (!domain) return undefined;
    candidate = `${address.slice(0, at)}@${domain}`;
  }
  return candidate.length <= 254 && ADDRESS.test(candidate) ? candidate : undefined;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** RFC 5322 date-time in UTC: "Wed, 14 Oct 2026 07:00:00 +0000". */
export function formatDate(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/**
 * A multipart/alternative body of a text part and an HTML part, each UTF-8 and quoted-printable (as
 * `quotedPrintable` writes it): the bytes before, between and after the two encoded parts, and the
 * Content-Type header field naming the boundary.
 */
export interface AlternativeFrame {
  contentType: string;
  start: Buffer;
  middle: Buffer;
  end: Buffer;
}

export function alternativeFrame(): AlternativeFrame {
  const boundary = `scs-alt-${randomBytes(12).toString('hex')}`;
  const partHeader = (type: string) =>
    `--${boundary}\r\nContent-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  return {
    contentType: `Content-Type: multipart/alternative; boundary="${boundary}"\r\n`,
    start: Buffer.from(partHeader('plain')),
    middle: Buffer.from(`\r\n${partHeader('html')}`),
    end: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

/**
 * A complete message: the header fields (each whole and folded, as the functions above write them),
 * preceded by a DKIM-Signature over all of them when there is a signer, a blank line, and the body,
 * whose chunks are already canonical (see above).
 */
export function writeMessage(
  fields: readonly string[],
  body: readonly Buffer[],
  options: { dkim?: DkimSigner; now: Date },
): Buffer {
  const signature = options.dkim ? dkimHeader(options.dkim, fields, body, options.now) : '';
  return Buffer.concat([Buffer.from(`${signature}${fields.join('')}\r\n`, 'latin1'), ...body]);
}
