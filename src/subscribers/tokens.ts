import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/types.js';

/**
 * Signed links for confirming and unsubscribing. A token is `<payload>.<mac>`, both base64url; the
 * payload names the purpose, the subscriber, the lists and (for confirmations) an expiry, and the MAC is
 * HMAC-SHA256 over it with the secret. Nothing is stored: the signature is the proof.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe';

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: number;
  /** List ids the link acts on. */
  lists: string[];
  /** Seconds since the epoch after which the token is refused; absent means it never expires. */
  expiresAt?: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'wrong-purpose' | 'expired' };

const PURPOSE_CODE: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u' };
const LIST_ID = /^[a-z0-9][a-z0-9_-]*$/;
// Domain separation: a MAC made for another use of the same secret never verifies as a token.
const MAC_CONTEXT = 'scs-token-v1\n';

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(MAC_CONTEXT).update(payload).digest();

export function signToken(secret: string, claims: TokenClaims): string {
  const fields = [
    PURPOSE_CODE[claims.purpose],
    String(claims.subscriberId),
    claims.lists.join(','),
    claims.expiresAt === undefined ? '' : String(claims.expiresAt),
  ];
  const payload = Buffer.from(fields.join('.')).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** Checks the signature in constant time, then the purpose and expiry (against `now`). */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  const fields = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (fields.length !== 4) return { ok: false, reason: 'malformed' };
  const [code, id, lists, expires] = fields as [string, string, string, string];
  const claimed = (Object.keys(PURPOSE_CODE) as TokenPurpose[]).find((p) => PURPOSE_CODE[p] === code);
  const listIds = lists ? lists.split(',') : [];
  if (
    !claimed ||
    !/^[1-9]\d{0,15}$/.test(id) ||
    !/^\d*$/.test(expires) ||
    !listIds.every((l) => LIST_ID.test(l))
  )
    return { ok: false, reason: 'malformed' };
  if (claimed !== purpose) return { ok: false, reason: 'wrong-purpose' };
  const claims: TokenClaims = { purpose: claimed, subscriberId: Number(id), lists: listIds };
  if (expires) {
    claims.expiresAt = Number(expires);
    if (now.getTime() >= claims.expiresAt * 1000) return { ok: false, reason: 'expired' };
  }
  return { ok: true, claims };
}

/** The List-Unsubscribe (RFC 8058) and footer link of one subscriber on one list; it never expires. */
export function unsubscribeUrl(config: Config, secret: string, subscriberId: number, listId: string): string {
  const token = signToken(secret, { purpose: 'unsubscribe', subscriberId, lists: [listId] });
  return `${config.newsletter.endpoint}unsubscribe?token=${token}`;
}

/** The double opt-in link for the lists a subscriber asked for; valid for `newsletter.confirmTokenTtl`. */
export function confirmUrl(
  config: Config,
  secret: string,
  subscriberId: number,
  lists: readonly string[],
  now: Date,
): string {
  const expiresAt = Math.floor((now.getTime() + config.newsletter.confirmTokenTtlMs) / 1000);
  const token = signToken(secret, { purpose: 'confirm', subscriberId, lists: [...lists], expiresAt });
  return `${config.newsletter.endpoint}confirm?token=${token}`;
}
