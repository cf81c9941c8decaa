import { domainToASCII } from 'node:url';

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

// RFC 5321/5322 dot-atom local part, plus the letters of any script (RFC 6531 internationalised mail).
// The ASCII pattern is tried first: it is what nearly every address needs, and much faster.
const ASCII_LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LABEL = /^(xn--[a-z0-9-]+|[a-z]{2,63})$/;
// Spaces, the specials of RFC 5322 and control characters (Unicode Cc).
const FORBIDDEN = /[\s<>"(),;:\\[\]\x00-\x1f\x7f-\x9f]/;

// An import repeats the same few domains thousands of times; converting each to ASCII is the slow part.
const domains = new Map<string, boolean>();
/** The ASCII form of each domain, for addressKey (same reason). */
const asciiDomains = new Map<string, string>();

function validDomain(domain: string): boolean {
  let valid = domains.get(domain);
  if (valid === undefined) {
    const labels = domainToASCII(domain).split('.');
    valid = labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TOP_LABEL.test(labels.at(-1)!);
    if (domains.size >= 10_000) domains.clear();
    domains.set(domain, valid);
  }
  return valid;
}

/**
 * Validates an address and returns its one stored form: trimmed, Unicode-normalised (NFC), domain
 * lower-cased. The local part keeps its case, since the receiving server may tell them apart.
 */
export function normalizeEmail(input: string): EmailCheck {
  const trimmed = input.trim();
  const text = /^[\x20-\x7e]*$/.test(trimmed) ? trimmed : trimmed.normalize('NFC');
  if (text === '') return { ok: false, reason: 'the address is empty' };
  if (/[\r\n]/.test(text)) return { ok: false, reason: 'the address contains a line break' };
  if (FORBIDDEN.test(text))
    return { ok: false, reason: 'the address contains a space or a character not allowed in addresses' };
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: 'the address has no "@"' };
  const local = text.slice(0, at);
  const domain = text
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  if (local === '') return { ok: false, reason: 'nothing before the "@"' };
  if (local.length > 64) return { ok: false, reason: 'the part before the "@" is longer than 64 characters' };
  if (!ASCII_LOCAL_PART.test(local) && !LOCAL_PART.test(local))
    return { ok: false, reason: `"${local}" is not a valid part before the "@"` };
  if (domain === '') return { ok: false, reason: 'nothing after the "@"' };
  if (!validDomain(domain)) return { ok: false, reason: `"${domain}" is not a valid mail domain` };
  const email = `${local}@${domain}`;
  if (email.length > 254) return { ok: false, reason: 'the address is longer than 254 characters' };
  return { ok: true, email };
}

/**
 * The one identity of an address: trimmed, NFC, the whole address lower-cased and the domain in its
 * ASCII (IDNA) form. Uniqueness, suppression hashes and rate limits key on this, so that
 * "Bob@X.se" and "bob@x.se" are one person; the address as typed is kept for display and sending.
 */
export function addressKey(email: string): string {
  const trimmed = email.trim();
  // ASCII is already NFC: skip the (slower) normalisation, as normalizeEmail does.
  const text = /^[\x20-\x7e]*$/.test(trimmed) ? trimmed : trimmed.normalize('NFC');
  const at = text.lastIndexOf('@');
  if (at < 0) return text.toLowerCase();
  const domain = text
    .slice(at + 1)
    .replace(/\.$/, '')
    .toLowerCase();
  let ascii = asciiDomains.get(domain);
  if (ascii === undefined) {
    ascii = domainToASCII(domain) || domain;
    if (asciiDomains.size >= 10_000) asciiDomains.clear();
    asciiDomains.set(domain, ascii);
  }
  return `${text.slice(0, at).toLowerCase()}@${ascii}`;
}
