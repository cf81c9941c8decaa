import { createHmac } from 'node:crypto';
import { bracket, fresh, obj, type RelayRequest, refused, safeEqual, str, type Verified } from './relay.js';

/** Mailgun: HMAC-SHA256 of timestamp and token with the webhook signing key (SCS_MAILGUN_SIGNING_KEY). */
export function mailgun(request: RelayRequest, key: string): Verified {
  const body = obj(request.body);
  const sig = obj(body.signature);
  const timestamp = str(sig.timestamp);
  const token = str(sig.token);
  const signature = str(sig.signature);
  if (!timestamp || !token || !signature) return refused(401, 'mailgun: no signature');
  const expected = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  if (!safeEqual(signature, expected)) return refused(401, 'mailgun: bad signature');
  if (!fresh(Number(timestamp) * 1000, request.now))
    return refused(401, 'mailgun: timestamp older than 5 minutes (replay)');
  const data = obj(body['event-data']);
  const id = str(data.id);
  const email = str(data.recipient);
  if (!id || !email) return refused(400, 'mailgun: no id or recipient');
  const status = obj(data['delivery-status']);
  const messageId = str(obj(obj(data.message).headers)['message-id']);
  const type =
    data.event === 'complained'
      ? 'complaint'
      : data.event === 'failed'
        ? data.severity === 'permanent'
          ? 'hard'
          : 'soft'
        : undefined;
  if (!type) return { ok: true, events: [] };
  return {
    ok: true,
    events: [
      {
        id,
        email,
        ...(messageId ? { messageId: bracket(messageId) } : {}),
        type,
        status: str(status['enhanced-code']) ?? null,
        detail: str(status.description) || str(status.message) || null,
      },
    ],
  };
}
