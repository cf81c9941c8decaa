import { fatal } from '../core/catalogue/index.js';
import type { Subscriber, SuppressionReason } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';

export interface UnsuppressResult {
  email: string;
  /** What the suppression was for. */
  was: SuppressionReason;
  /** The subscriber, confirmed again, when one is stored. */
  subscriber?: Subscriber;
}

/**
 * Lifts a bounce or complaint suppression (the mailbox works again, the complaint was a mistake), and
 * logs it with its reason in the person's history. A suppression for an unsubscribe or an erasure is
 * the person's own wish: it is never lifted here (they subscribe again, with fresh consent).
 */
export async function unsuppressAddress(
  store: Pick<Store, 'transaction'>,
  email: string,
  reason: string,
  now: Date,
): Promise<UnsuppressResult> {
  return store.transaction(async ({ subscribers }) => {
    const suppression = await subscribers.suppression(email);
    if (!suppression) throw fatal(1, 'bounce-not-suppressed', { email });
    if (suppression.reason !== 'bounced' && suppression.reason !== 'complained')
      throw fatal(1, 'bounce-unsuppress-refused', { email, reason: suppression.reason });
    await subscribers.unsuppress(email);
    const found = await subscribers.find(email);
    if (!found) return { email, was: suppression.reason };
    if (found.status === 'bounced' || found.status === 'complained')
      await subscribers.update(
        found.id,
        { status: 'confirmed', statusDetail: `unsuppressed: ${reason}` },
        now,
      );
    await subscribers.addEvent(
      found.id,
      { kind: 'unsuppressed', source: 'cli', detail: `${suppression.reason}; ${reason}` },
      now,
    );
    return { email, was: suppression.reason, subscriber: (await subscribers.get(found.id))! };
  });
}
