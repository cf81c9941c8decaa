import { domainToASCII } from 'node:url';

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

// RFC 5321/5322 dot-atom local part, plus the letters of any script (RFC 6531 internationalised mail).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Validates an address and returns its one stored form: trimmed, Unicode-normalised (NFC), domain
 * lower-cased. The local part keeps its case, since the receiving server may tell them apart.
 */
export function normalizeEmail(input: string): EmailCheck {
  const text = input.trim().normalize('NFC');
  if (text === '') return { ok: false, reason: 'the address is empty' };
  if (/[\r\n]/.test(text)) return { ok: false, reason: 'the address contains a line break' };
  if (/[\s<>"(),;:\\[\]]/.test(text) || /\p{Cc}/u.test(text))
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
  if (!LOCAL_PART.test(local)) return { ok: false, reason: `"${local}" is not a valid part before the "@"` };
  if (domain === '') return { ok: false, reason: 'nothing after the "@"' };
  const ascii = domainToASCII(domain);
  const labels = ascii.split('.');
  if (
    !ascii ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    !/^(xn--[a-z0-9-]+|[a-z]{2,63})$/.test(labels.at(-1)!)
  )
    return { ok: false, reason: `"${domain}" is not a valid mail domain` };
  const email = `${local}@${domain}`;
  if (email.length > 254) return { ok: false, reason: 'the address is longer than 254 characters' };
  return { ok: true, email };
}
