import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/types.js';
import type { BouncedDelivery, BounceEventType } from '../store/bounce-types.js';
import type { Store } from '../store/types.js';
import { applyEvents } from './apply.js';
import type { PlannedEvent } from './plan.js';

/** The relays whose bounce and complaint webhooks `scs serve` takes, at `<endpoint>webhooks/<relay>`. */
export const WEBHOOK_RELAYS = ['postmark', 'mailgun'] as const;
export type WebhookRelay = (typeof WEBHOOK_RELAYS)[number];

/** A signed request older than this is a replay, and refused. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;
/** Largest webhook body accepted (a relay may include the message's headers). */
export const WEBHOOK_MAX_BYTES = 256 * 1024;

export interface WebhookReply {
  status: number;
  body: string;
  /** For the access log: why it was refused, or what it applied. */
  note: string;
}

/** One bounce or complaint a relay reports. */
interface RelayEvent {
  /** The relay's id of the event: applying it twice is a no-op. */
  id: string;
  email: string;
  /** Our Message-ID, with brackets, when the relay passes it back. */
  messageId?: string;
  type: Exclude<BounceEventType, 'delayed'>;
  status: string | null;
  detail: string | null;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const bracket = (id: string) => (id.startsWith('<') ? id : `<${id}>`);

type Verified = { ok: true; events: RelayEvent[] } | { ok: false; status: number; note: string };

/** Postmark: HTTP basic auth (SCS_WEBHOOK_POSTMARK_AUTH, "user:password"); bounce and spam-complaint records. */
function postmark(headers: IncomingHttpHeaders, body: Record<string, unknown>, auth: string): Verified {
  const given = /^Basic (.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (!given || !safeEqual(Buffer.from(given, 'base64').toString('utf8'), auth))
    return { ok: false, status: 401, note: 'postmark: wrong or missing basic auth' };
  const kind = str(body.RecordType);
  const id = str(body.ID);
  const email = str(body.Email);
  if (!id || !email) return { ok: false, status: 400, note: 'postmark: no ID or Email' };
  const type =
    kind === 'SpamComplaint'
      ? 'complaint'
      : kind === 'Bounce' && body.Type === 'HardBounce'
        ? 'hard'
        : kind === 'Bounce' && body.Type === 'SoftBounce'
          ? 'soft'
          : undefined;
  // Other records (auto-responders, transient delays, opens) are not bounces.
  if (!type) return { ok: true, events: [] };
  return {
    ok: true,
    events: [{ id, email, type, status: null, detail: str(body.Details) ?? str(body.Description) ?? null }],
  };
}

/** Mailgun: HMAC-SHA256 of timestamp and token with the webhook signing key (SCS_MAILGUN_SIGNING_KEY). */
function mailgun(body: Record<string, unknown>, key: string, now: Date): Verified {
  const sig = obj(body.signature);
  const timestamp = str(sig.timestamp);
  const token = str(sig.token);
  const signature = str(sig.signature);
  if (!timestamp || !token || !signature) return { ok: false, status: 401, note: 'mailgun: no signature' };
  const expected = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  if (!safeEqual(signature, expected)) return { ok: false, status: 401, note: 'mailgun: bad signature' };
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > REPLAY_WINDOW_MS)
    return { ok: false, status: 401, note: 'mailgun: timestamp older than 5 minutes (replay)' };
  const data = obj(body['event-data']);
  const id = str(data.id);
  const email = str(data.recipient);
  if (!id || !email) return { ok: false, status: 400, note: 'mailgun: no id or recipient' };
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

/**
 * One webhook request: checks the content type, verifies it (401 when that fails, or when the relay's
 * secret is not set), matches each event to its delivery (our Message-ID when the relay passes it back,
 * else the address's latest delivery) and applies the same policy as `scs bounces fetch`, idempotently.
 */
export async function handleWebhook(
  config: Config,
  store: Pick<Store, 'bounces' | 'transaction'>,
  relay: WebhookRelay,
  request: { headers: IncomingHttpHeaders; body: Buffer },
  now: Date,
): Promise<WebhookReply> {
  const refuse = (status: number, note: string): WebhookReply => ({ status, body: `${note}\n`, note });
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
    return refuse(415, `${relay}: content type is not application/json`);
  const secret = config.env.webhooks?.[relay];
  if (!secret) return refuse(401, `${relay}: no secret set for this relay`);
  let body: Record<string, unknown>;
  try {
    body = obj(JSON.parse(request.body.toString('utf8')));
  } catch {
    return refuse(400, `${relay}: the body is not JSON`);
  }
  const verified =
    relay === 'postmark' ? postmark(request.headers, body, secret) : mailgun(body, secret, now);
  if (!verified.ok) return refuse(verified.status, verified.note);
  const planned: PlannedEvent[] = [];
  let unmatched = 0;
  for (const e of verified.events) {
    const delivery: BouncedDelivery | undefined =
      (e.messageId && (await store.bounces.deliveryByMessageId(e.messageId, e.email))) ||
      (await store.bounces.latestDelivery(e.email));
    if (!delivery) {
      unmatched++;
      continue;
    }
    planned.push({
      delivery,
      event: {
        key: `${relay}:${e.id}`,
        dispatchId: delivery.dispatchId,
        subscriberId: delivery.subscriberId,
        type: e.type,
        status: e.status,
        detail: e.detail,
        source: relay,
        at: now,
      },
    });
  }
  const applied = await applyEvents(store, planned, config.newsletter.bounce, now);
  const note = `${relay}: ${applied.recorded} recorded, ${applied.suppressed} suppressed, ${unmatched} unmatched`;
  return { status: 200, body: 'ok\n', note };
}
