import type { Subscriber, SubscriberRepo } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';

/** Who acted and from where, for the history. */
export interface ActionContext {
  now: Date;
  /** "one-click", "form", "cli", "import". */
  source: string;
  ip?: string | null;
  detail?: string | null;
}

export interface UnsubscribeResult {
  /** Undefined when the subscriber no longer exists (erased): there is nothing left to unsubscribe. */
  subscriber: Subscriber | undefined;
  /** Lists left by this call; empty when it was already done (the call is idempotent). */
  left: string[];
}

/**
 * Takes a subscriber off lists (or all of them). Leaving the last list makes the person unsubscribed
 * and puts the address on the suppression list.
 */
export function unsubscribe(
  store: Pick<Store, 'transaction'>,
  subscriberId: number,
  lists: readonly string[] | 'all',
  ctx: ActionContext,
): Promise<UnsubscribeResult> {
  return store.transaction((tx) => leaveLists(tx.subscribers, subscriberId, lists, ctx));
}

/** `unsubscribe` inside a transaction the caller holds (`tx.subscribers`). */
export async function leaveLists(
  repo: SubscriberRepo,
  subscriberId: number,
  lists: readonly string[] | 'all',
  ctx: ActionContext,
): Promise<UnsubscribeResult> {
  const subscriber = await repo.get(subscriberId);
  if (!subscriber) return { subscriber, left: [] };
  const on = subscriber.subscriptions.filter((s) => s.status !== 'unsubscribed').map((s) => s.listId);
  const left = lists === 'all' ? on : on.filter((l) => lists.includes(l));
  const event = { source: ctx.source, ip: ctx.ip ?? null, detail: ctx.detail ?? null };
  for (const listId of left) {
    await repo.setSubscription(subscriberId, listId, 'unsubscribed', ctx.now);
    await repo.addEvent(subscriberId, { kind: 'unsubscribed', listId, ...event }, ctx.now);
  }
  if (on.length === left.length && left.length > 0) {
    if (subscriber.status === 'pending' || subscriber.status === 'confirmed') {
      // The detail says how; the status already says what (shown together as "unsubscribed (via form)").
      await repo.update(subscriberId, { status: 'unsubscribed', statusDetail: `via ${ctx.source}` }, ctx.now);
    }
    await repo.suppress(subscriber.email, 'unsubscribed', ctx.now);
  }
  return { subscriber: await repo.get(subscriberId), left };
}

export type ConfirmResult =
  | { kind: 'confirmed'; subscriber: Subscriber; lists: string[] }
  /** Nothing was waiting: confirmed before, or unsubscribed since. */
  | { kind: 'nothing'; subscriber: Subscriber }
  /** The subscriber was erased. */
  | { kind: 'gone' };

/**
 * The double opt-in: the lists the signed link names that still wait for confirmation become active, and
 * the person's new consent lifts any earlier suppression of the address.
 */
export async function confirmSubscription(
  store: Pick<Store, 'transaction'>,
  subscriberId: number,
  lists: readonly string[],
  ctx: ActionContext,
): Promise<ConfirmResult> {
  return store.transaction(async ({ subscribers: repo }): Promise<ConfirmResult> => {
    const subscriber = await repo.get(subscriberId);
    if (!subscriber) return { kind: 'gone' } as const;
    const waiting = subscriber.subscriptions
      .filter((s) => s.status === 'pending' && lists.includes(s.listId))
      .map((s) => s.listId);
    if (waiting.length === 0) return { kind: 'nothing', subscriber } as const;
    const ip = ctx.ip ?? null;
    for (const listId of waiting) {
      await repo.setSubscription(subscriberId, listId, 'active', ctx.now);
      await repo.addEvent(
        subscriberId,
        { kind: 'confirmed', listId, source: ctx.source, ip, detail: ctx.detail ?? null },
        ctx.now,
      );
    }
    if (subscriber.status === 'pending') {
      await repo.update(
        subscriberId,
        { status: 'confirmed', statusDetail: null, confirmedAt: ctx.now },
        ctx.now,
      );
    } else if (subscriber.status !== 'confirmed') {
      // Coming back after leaving: this confirmation is the new consent.
      const consent = { source: 'form' as const, at: ctx.now, ip, detail: null, confirmedAt: ctx.now };
      await repo.update(subscriberId, { status: 'confirmed', statusDetail: null, consent }, ctx.now);
    }
    await repo.unsuppress(subscriber.email);
    return { kind: 'confirmed', subscriber: (await repo.get(subscriberId))!, lists: waiting } as const;
  });
}
