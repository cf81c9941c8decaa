import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';

/**
 * DKIM signing (RFC 6376), rsa-sha256 with relaxed/relaxed canonicalisation. The message builder
 * writes bodies that are already canonical (see mime.ts), so only headers are canonicalised here.
 */
export interface DkimSigner {
  domain: string;
  selector: string;
  key: KeyObject;
}

/** The key may be the PEM itself or a path to a PEM file (relative to the project root). */
export function loadDkimSigner(config: Config): { signer?: DkimSigner; diagnostics: Diagnostic[] } {
  const dkim = config.env.dkim;
  if (!dkim) return { diagnostics: [] };
  const cached = signers.get(dkim.privateKey);
  if (cached) return { signer: { ...cached, domain: dkim.domain, selector: dkim.selector }, diagnostics: [] };
  let pem = dkim.privateKey;
  const isPem = pem.includes('-----BEGIN');
  if (!isPem) {
    const file = path.resolve(config.root, pem);
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      return {
        diagnostics: [
          report('email-dkim-key-unreadable', {
            path: file,
            reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
          }),
        ],
      };
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    return {
      diagnostics: [report('email-dkim-key-invalid', { reason: (e as Error).message })],
    };
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return {
      diagnostics: [report('email-dkim-key-invalid', { type: String(key.asymmetricKeyType) })],
    };
  }
  const signer = { domain: dkim.domain, selector: dkim.selector, key };
  signers.set(dkim.privateKey, signer);
  return { signer, diagnostics: [] };
}

const signers = new Map<string, DkimSigner>();

/** Relaxed header canonicalisation of one complete header field ("Name: value\r\n", maybe folded). */
function canonicalHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/\r\n$/, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

/** The name of a header field, lower-cased, as listed in the signature's h= tag. */
const headerName = (field: string) => field.slice(0, field.indexOf(':')).toLowerCase();

/**
 * The DKIM-Signature header for a message with these header fields (all signed, in order) and these
 * body chunks (already canonical).
 */
export function dkimHeader(
  signer: DkimSigner,
  fields: readonly string[],
  body: readonly Buffer[],
  now: Date,
): string {
  const bodyHash = createHash('sha256');
  for (const chunk of body) bodyHash.update(chunk);
  const bh = bodyHash.digest('base64');
  const head =
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${signer.domain}; s=${signer.selector};\r\n` +
    ` t=${Math.floor(now.getTime() / 1000)}; h=${fields.map(headerName).join(':')};\r\n bh=${bh};\r\n b=`;
  let data = '';
  for (const field of fields) data += canonicalHeader(field);
  data += canonicalHeader(head).replace(/\r\n$/, '');
  const b = sign('sha256', Buffer.from(data, 'utf8'), signer.key).toString('base64');
  return `${head}${b.replace(/.{1,72}/g, (part, offset) => (offset ? `\r\n ${part}` : part))}\r\n`;
}
