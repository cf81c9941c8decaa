import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import type { BouncedDelivery } from '../store/bounce-types.js';
import type { Store } from '../store/types.js';
import { createGroupApply } from './group-apply.js';
import type { PlannedEvent } from './plan.js';
import { mailgun } from './webhooks/mailgun.js';
import { postmark } from './webhooks/postmark.js';
import type { RelayRequest, Verified } from './webhooks/relay.js';
import { createSendgrid, sendgridKey } from './webhooks/sendgrid.js';
import { isTopicArn, ses, sesTopics } from './webhooks/ses.js';
import { createSnsVerifier, type SnsTrust } from './webhooks/sns.js';

/** The relays whose bounce and complaint webhooks `scs serve` takes, at `<endpoint>webhooks/<relay>`. */
export const WEBHOOK_RELAYS = ['postmark', 'mailgun', 'ses', 'sendgrid'] as const;
export type WebhookRelay = (typeof WEBHOOK_RELAYS)[number];

/** Largest webhook body accepted (a relay may include the message's headers). */
export const WEBHOOK_MAX_BYTES = 256 * 1024;

/** The content types a relay posts: JSON, which SNS labels text/plain. */
const CONTENT_TYPES: Record<WebhookRelay, readonly string[]> = {
  postmark: ['application/json'],
  mailgun: ['application/json'],
  ses: ['text/plain', 'application/json'],
  sendgrid: ['application/json'],
};

export interface WebhookReply {
  status: number;
  body: string;
  /** For the access log: why it was refused, or what it applied. */
  note: string;
}

export interface WebhookOptions {
  /** Tests only: stands in for SNS's own host and its TLS trust. */
  sns?: SnsTrust;
}

/** One webhook request: the relay, the headers and the raw body. */
export type WebhookHandler = (
  relay: WebhookRelay,
  request: { headers: IncomingHttpHeaders; body: Buffer },
  now: Date,
) => Promise<WebhookReply>;

/** Refuses (before `scs serve` starts) a relay setting that no request could ever pass. */
function checkSettings(webhooks: Config['env']['webhooks']): void {
  const problems: { name: string; problem: string }[] = [];
  const badArn =
    webhooks?.ses === undefined ? undefined : sesTopics(webhooks.ses).find((a) => !isTopicArn(a));
  if (webhooks?.ses !== undefined && (badArn !== undefined || !sesTopics(webhooks.ses).length))
    problems.push({
      name: 'SCS_SES_TOPIC_ARN',
      problem: badArn ? `has "${badArn}", which is not the ARN of an SNS topic` : 'names no topic',
    });
  if (webhooks?.sendgrid !== undefined && !sendgridKey(webhooks.sendgrid))
    problems.push({
      name: 'SCS_SENDGRID_VERIFICATION_KEY',
      problem: 'is not a public key (base64 DER, as SendGrid shows it, or PEM)',
    });
  if (problems.length)
    throw new ScsError(
      problems.map((p) => report('bounce-webhook-setting-invalid', p)),
      2,
    );
}

/**
 * The webhooks of `scs serve`. Each request: checks the content type, verifies it (401 when that fails,
 * or when the relay is not set up), matches each event to its delivery (our Message-ID when the relay
 * passes it back, else the address's latest delivery) and applies the same policy as `scs bounces
 * fetch`, idempotently. Keeps what verification fetches (SNS's certificates) for the server's life.
 */
export function createWebhookHandler(
  config: Config,
  store: Pick<Store, 'bounces' | 'transaction'>,
  options: WebhookOptions = {},
): WebhookHandler {
  checkSettings(config.env.webhooks);
  const sns = createSnsVerifier(options.sns);
  const sendgrid = createSendgrid();
  const apply = createGroupApply(store, config.newsletter.bounce);
  const verify = (
    relay: WebhookRelay,
    request: RelayRequest,
    setting: string,
  ): Verified | Promise<Verified> => {
    switch (relay) {
      case 'postmark':
        return postmark(request, setting);
      case 'mailgun':
        return mailgun(request, setting);
      case 'ses':
        return ses(request, setting, sns);
      case 'sendgrid':
        return sendgrid(request, setting);
    }
  };
  return async (relay, request, now) => {
    const refuse = (status: number, note: string): WebhookReply => ({ status, body: `${note}\n`, note });
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!CONTENT_TYPES[relay].includes(type))
      return refuse(415, `${relay}: content type is not ${CONTENT_TYPES[relay].join(' or ')}`);
    const setting = config.env.webhooks?.[relay];
    if (!setting) return refuse(401, `${relay}: no secret set for this relay`);
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return refuse(400, `${relay}: the body is not JSON`);
    }
    const verified = await verify(relay, { headers: request.headers, raw: request.body, body, now }, setting);
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
    if (verified.note && !verified.events.length) return { status: 200, body: 'ok\n', note: verified.note };
    const applied = await apply(planned, now);
    const note = `${relay}: ${applied.recorded} recorded, ${applied.suppressed} suppressed, ${unmatched} unmatched`;
    return { status: 200, body: 'ok\n', note };
  };
}
