import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  bracket,
  fresh,
  obj,
  type RelayEvent,
  type RelayRequest,
  refused,
  signatureValid,
  str,
  type Verified,
} from './relay.js';

const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';

/** The verification key as SendGrid shows it (base64 DER), or as PEM; undefined when it is neither. */
export function sendgridKey(setting: string): KeyObject | undefined {
  try {
    return setting.includes('-----BEGIN')
      ? createPublicKey(setting)
      : createPublicKey({ key: Buffer.from(setting, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** A SendGrid event as a bounce, a complaint, or nothing. */
function sendgridEvent(e: Record<string, unknown>): RelayEvent | undefined {
  const id = str(e.sg_event_id);
  const email = str(e.email);
  if (!id || !email) return undefined;
  const reason = str(e.reason) ?? '';
  const type =
    e.event === 'spamreport'
      ? 'complaint'
      : e.event === 'bounce'
        ? // "blocked": the receiving server refused this message (reputation, content), not the address.
          e.type === 'blocked'
          ? 'soft'
          : 'hard'
        : e.event === 'dropped'
          ? // Dropped before sending, for what SendGrid already knows of the address.
            /spam reporting/i.test(reason)
            ? 'complaint'
            : /bounced address|invalid/i.test(reason)
              ? 'hard'
              : 'soft'
          : undefined;
  if (!type) return undefined;
  const messageId = str(e['smtp-id']);
  const status = str(e.status);
  return {
    id,
    email,
    ...(messageId ? { messageId: bracket(messageId) } : {}),
    type,
    status: status && /^\d\.\d{1,3}\.\d{1,3}$/.test(status) ? status : null,
    detail: reason || null,
  };
}

/**
 * SendGrid's signed event webhook: ECDSA (P-256, SHA-256) over the timestamp header and the raw body,
 * checked with the verification key (SCS_SENDGRID_VERIFICATION_KEY); the body is an array of events,
 * of which bounces, blocks, drops and spam reports count.
 */
export function createSendgrid(): (request: RelayRequest, setting: string) => Verified {
  // The key is parsed once per value, not once per request.
  let parsed: { setting: string; key: KeyObject | undefined } | undefined;
  return (request, setting) => {
    if (parsed?.setting !== setting) parsed = { setting, key: sendgridKey(setting) };
    const key = parsed.key;
    if (!key) return refused(401, 'sendgrid: SCS_SENDGRID_VERIFICATION_KEY is not a public key');
    const signature = request.headers[SIGNATURE];
    const timestamp = request.headers[TIMESTAMP];
    if (typeof signature !== 'string' || typeof timestamp !== 'string')
      return refused(401, 'sendgrid: no signature');
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.raw]);
    if (!signatureValid('sha256', signed, key, signature)) return refused(401, 'sendgrid: bad signature');
    if (!/^\d+$/.test(timestamp) || !fresh(Number(timestamp) * 1000, request.now))
      return refused(401, 'sendgrid: timestamp older than 5 minutes (replay)');
    if (!Array.isArray(request.body)) return refused(400, 'sendgrid: the body is not an array of events');
    return { ok: true, events: request.body.map(obj).flatMap((e) => sendgridEvent(e) ?? []) };
  };
}
