import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { BouncedDelivery, BounceEvent, BounceRepo } from '../store/bounce-types.js';
import { classify, type ParsedMessage, type ReportedRecipient } from './parse.js';
import { readVerp } from './verp.js';

/**
 * What becomes of a message in the bounce mailbox. `applied` and `duplicate` (applied before) are moved
 * out of the way; everything else is left where it is, and counted.
 */
export type Disposition =
  | 'applied'
  | 'duplicate'
  | 'auto-reply'
  | 'unrelated'
  | 'malformed'
  | 'too-large'
  | 'forged'
  | 'unknown'
  | 'unmatched';

export const DISPOSITIONS: readonly Disposition[] = [
  'applied',
  'duplicate',
  'auto-reply',
  'unrelated',
  'malformed',
  'too-large',
  'forged',
  'unknown',
  'unmatched',
];

/** An event to record, with the delivery it is about. */
export interface PlannedEvent {
  event: BounceEvent;
  delivery: BouncedDelivery;
}

export interface MessagePlan {
  disposition: Disposition;
  events: PlannedEvent[];
  diagnostic?: Diagnostic;
}

export interface MessagePlanContext {
  secret: string;
  bounces: Pick<BounceRepo, 'delivery' | 'deliveryByMessageId' | 'seen'>;
  /** Where the message came from ("maildir", "imap", …). */
  source: string;
  /** Where exactly, for diagnostics: a file, "mbox:120", "imap INBOX uid 12". */
  where: string;
  now: Date;
}

const same = (a: string | null, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

/**
 * Ties each reported recipient to its delivery: by the VERP token when the report carries one, else by
 * the returned Message-ID together with Final-Recipient (then Original-Recipient). A forged token, or one
 * naming no delivery, makes the whole message count as such: nothing of it is applied. Reads only.
 */
export async function planMessage(parsed: ParsedMessage, ctx: MessagePlanContext): Promise<MessagePlan> {
  const at = { file: ctx.where };
  if (parsed.kind === 'malformed')
    return {
      disposition: 'malformed',
      events: [],
      diagnostic: report('bounce-malformed', { reason: parsed.reason ?? 'unreadable', ...at }),
    };
  if (parsed.kind === 'auto-reply' || parsed.kind === 'unrelated')
    return { disposition: parsed.kind, events: [] };

  let tokened: BouncedDelivery | undefined;
  let forged: string | undefined;
  let signed = false;
  for (const address of parsed.tokenAddresses) {
    const check = readVerp(ctx.secret, address);
    if (check.ok) {
      signed = true;
      tokened = await ctx.bounces.delivery(check.ref.dispatchId, check.ref.subscriberId);
      if (tokened) break;
    } else if (check.reason === 'forged') forged ??= address;
  }
  if (!signed && forged)
    return {
      disposition: 'forged',
      events: [],
      diagnostic: report('bounce-token-forged', {
        address: forged.replace(/^.*</, '').replace(/>.*$/, ''),
        ...at,
      }),
    };
  if (signed && !tokened) return { disposition: 'unknown', events: [] };

  const byMessageId = async (r: ReportedRecipient) => {
    const id = parsed.originalMessageId;
    if (!id) return undefined;
    if (!r.address && !r.originalAddress) return ctx.bounces.deliveryByMessageId(id);
    for (const address of [r.address, r.originalAddress])
      if (address) {
        const found = await ctx.bounces.deliveryByMessageId(id, address);
        if (found) return found;
      }
    return undefined;
  };
  const events: PlannedEvent[] = [];
  let unmatched = 0;
  for (const [i, r] of parsed.recipients.entries()) {
    const type = classify(r);
    if (type === 'none') continue;
    // A VERP message has one recipient: the token's delivery is the report's only one, or the one it names.
    const delivery =
      tokened &&
      (parsed.recipients.length === 1 ||
        same(r.address, tokened.email) ||
        same(r.originalAddress, tokened.email))
        ? tokened
        : await byMessageId(r);
    if (!delivery) {
      unmatched++;
      continue;
    }
    events.push({
      delivery,
      event: {
        key: `${parsed.key}:${i}`,
        dispatchId: delivery.dispatchId,
        subscriberId: delivery.subscriberId,
        type,
        status: r.status,
        detail: r.diagnostic,
        source: ctx.source,
        at: ctx.now,
      },
    });
  }
  if (!events.length) return { disposition: unmatched ? 'unmatched' : 'applied', events };
  let seen = 0;
  for (const e of events) if (await ctx.bounces.seen(e.event.key)) seen++;
  if (seen === events.length) return { disposition: 'duplicate', events: [] };
  return { disposition: 'applied', events };
}
