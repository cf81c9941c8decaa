import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP envelope senders: each message's Return-Path is `<local>+<token>@<domain>`, the token naming its
 * delivery row (dispatch and subscriber, base 36) and signed with the secret, so a bounce names the exact
 * delivery and a forged one is recognised. Lower case only: some servers change the case of local parts.
 */
export interface DeliveryRef {
  dispatchId: number;
  subscriberId: number;
}

// Domain separation: a MAC made for another use of the same secret never verifies as a VERP token.
const MAC_CONTEXT = 'scs-verp-v1\n';
// 60 bits: a forger needs the secret, and a local part stays short (RFC 5321 allows 64 characters).
const MAC_LENGTH = 15;

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(MAC_CONTEXT).update(payload).digest('hex').slice(0, MAC_LENGTH);

export function verpToken(secret: string, ref: DeliveryRef): string {
  const payload = `${ref.dispatchId.toString(36)}-${ref.subscriberId.toString(36)}`;
  return `${payload}-${mac(secret, payload)}`;
}

/** The envelope sender for one delivery, from the bounce mailbox `bounces@press.example`. */
export function verpAddress(mailbox: string, secret: string, ref: DeliveryRef): string {
  const at = mailbox.lastIndexOf('@');
  return `${mailbox.slice(0, at)}+${verpToken(secret, ref)}${mailbox.slice(at)}`;
}

export type VerpCheck = { ok: true; ref: DeliveryRef } | { ok: false; reason: 'absent' | 'forged' };

const TOKEN = /\+([0-9a-z]{1,11})-([0-9a-z]{1,11})-([0-9a-f]{15})@/i;

/**
 * The delivery an address (a bounce's To or Delivered-To, `bounces+…@…`) names, checked in constant time.
 * `absent` when it carries no token at all, `forged` when the signature does not hold.
 */
export function readVerp(secret: string, address: string): VerpCheck {
  const m = TOKEN.exec(address);
  if (!m) return { ok: false, reason: 'absent' };
  const dispatch = m[1]!.toLowerCase();
  const subscriber = m[2]!.toLowerCase();
  const expected = Buffer.from(mac(secret, `${dispatch}-${subscriber}`));
  const given = Buffer.from(m[3]!.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  const ref = { dispatchId: Number.parseInt(dispatch, 36), subscriberId: Number.parseInt(subscriber, 36) };
  if (!Number.isSafeInteger(ref.dispatchId) || !Number.isSafeInteger(ref.subscriberId))
    return { ok: false, reason: 'forged' };
  return { ok: true, ref };
}
