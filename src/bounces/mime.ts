/**
 * Just enough MIME to read a bounce: header fields, the parts of a multipart (a report's human text,
 * its machine-readable status and the returned message), and the two transfer encodings. The text is
 * kept as a latin1 string, byte for byte, so a broken encoding never throws; only what is shown to
 * people is decoded as UTF-8. Depth and part counts are bounded, so a hostile message cannot make it
 * work without end.
 */

export type Headers = Map<string, string[]>;

export interface MimePart {
  headers: Headers;
  /** `type/subtype`, lower case; `text/plain` when absent (RFC 2045). */
  type: string;
  params: Map<string, string>;
  /** The body, transfer-decoded, as a latin1 string (one character per byte). */
  body: string;
  parts: MimePart[];
}

const MAX_DEPTH = 4;
const MAX_PARTS = 64;

/** Splits a header block and body at the first empty line. */
function splitHead(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : [text, ''];
}

/** Header fields (names in lower case, folded lines joined), in order of appearance. */
function parseHeaders(block: string): Headers {
  const headers: Headers = new Map();
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = headers.get(name);
    const v = value.replace(/\s+/g, ' ').trim();
    if (list) list.push(v);
    else headers.set(name, [v]);
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name !== undefined) {
      value += ` ${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    flush();
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return headers;
}

export const header = (headers: Headers, name: string): string | undefined => headers.get(name)?.[0];

/** `type/subtype; a=b; c="d"` → the type and its parameters. */
function contentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (!value) return { type: 'text/plain', params };
  const [type = 'text/plain', ...rest] = value.split(';');
  for (const m of rest.join(';').matchAll(/([\w.*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/g))
    params.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
  return { type: type.trim().toLowerCase() || 'text/plain', params };
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
    case 'quoted-printable':
      return body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    default:
      return body;
  }
}

function parsePart(text: string, depth: number, budget: { parts: number }): MimePart {
  const [head, rawBody] = splitHead(text);
  const headers = parseHeaders(head);
  const { type, params } = contentType(header(headers, 'content-type'));
  const part: MimePart = { headers, type, params, body: '', parts: [] };
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const delimiter = `--${boundary}`;
    const chunks = rawBody.split(delimiter);
    // chunks[0] is the preamble; a chunk starting with "--" is the epilogue after the closing delimiter.
    for (const chunk of chunks.slice(1)) {
      if (chunk.startsWith('--')) break;
      if (budget.parts-- <= 0) break;
      part.parts.push(parsePart(chunk.replace(/^[ \t]*\r?\n/, ''), depth + 1, budget));
    }
    return part;
  }
  part.body = decodeBody(rawBody, header(headers, 'content-transfer-encoding'));
  if ((type === 'message/rfc822' || type === 'message/global') && depth < MAX_DEPTH)
    part.parts.push(parsePart(part.body, depth + 1, budget));
  return part;
}

/** The message's MIME tree. Never throws: what it cannot make sense of is simply a part without parts. */
export function parseMime(raw: Buffer | string): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  return parsePart(text, 0, { parts: MAX_PARTS });
}

/** Every part of the tree, depth first (the message itself first). */
export function* walk(part: MimePart): Generator<MimePart> {
  yield part;
  for (const p of part.parts) yield* walk(p);
}

/**
 * A report's groups of fields (message/delivery-status: one per message, then one per recipient;
 * message/feedback-report: one), separated by empty lines.
 */
export function fieldGroups(body: string): Headers[] {
  return body
    .split(/\r?\n[ \t]*\r?\n/)
    .map((block) => parseHeaders(block))
    .filter((h) => h.size > 0);
}

/** A latin1 (byte) string read as UTF-8, for people: bad bytes become U+FFFD, never an error. */
export const utf8 = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');
