import type { IncomingMessage } from 'node:http';

/** A request the server refuses before looking at its meaning. */
export class BadRequest extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly reason: 'too-large' | 'unsupported-type' | 'malformed',
  ) {
    super(reason);
  }
}

/** Reads the whole body, refusing (413) more than `limit` bytes without buffering them. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(new BadRequest(413, 'too-large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BadRequest(413, 'too-large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // A client that goes away mid-body: settle, so nothing waits for a body that never comes.
    req.on('close', () => {
      if (!req.complete) reject(new BadRequest(400, 'malformed'));
    });
  });
}

/** Form fields: every value of every name, in order. */
export type FormFields = Map<string, string[]>;

/**
 * Parses `application/x-www-form-urlencoded` (browsers) or `multipart/form-data` (what RFC 8058 asks
 * mail clients to send for one-click unsubscription). File parts are ignored.
 */
export function parseForm(body: Buffer, contentType: string | undefined): FormFields {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || (type === '' && body.length === 0)) {
    const fields: FormFields = new Map();
    for (const [k, v] of new URLSearchParams(body.toString('utf8')))
      fields.set(k, [...(fields.get(k) ?? []), v]);
    return fields;
  }
  if (type === 'multipart/form-data') return parseMultipart(body, contentType!);
  throw new BadRequest(415, 'unsupported-type');
}

function parseMultipart(body: Buffer, contentType: string): FormFields {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new BadRequest(400, 'malformed');
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const fields: FormFields = new Map();
  const text = body.toString('utf8');
  const parts = text.split(delimiter);
  // parts[0] is the preamble; the part after the closing delimiter starts with "--".
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new BadRequest(400, 'malformed');
    const headers = part.slice(0, headerEnd);
    const disposition = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i.exec(headers);
    if (!disposition || /\bfilename=/i.test(headers)) continue;
    const value = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    fields.set(disposition[1]!, [...(fields.get(disposition[1]!) ?? []), value]);
  }
  return fields;
}
