import type { BounceSettings } from '../config/types.js';
import type { Store } from '../store/types.js';
import type { PlannedEvent } from './plan.js';
import { verdict } from './policy.js';

export interface AppliedCounts {
  /** Events recorded (not seen before). */
  recorded: number;
  /** Addresses suppressed by them. */
  suppressed: number;
}

/**
 * Records planned events and applies the policy, in one transaction: an event seen before (same key)
 * changes nothing, so applying the same report twice is harmless. The only place bounces write.
 */
export async function applyEvents(
  store: Pick<Store, 'transaction'>,
  planned: readonly PlannedEvent[],
  settings: Pick<BounceSettings, 'softLimit' | 'softWindowMs'>,
  now: Date,
): Promise<AppliedCounts> {
  const counts: AppliedCounts = { recorded: 0, suppressed: 0 };
  await store.transaction(async (tx) => {
    for (const { event, delivery } of planned) {
      if (!(await tx.bounces.record(event))) continue;
      counts.recorded++;
      // Erased since: nothing left to suppress (the erasure did).
      if (!delivery.email) continue;
      const soft =
        event.type === 'soft'
          ? await tx.bounces.countSince(
              event.subscriberId,
              'soft',
              new Date(now.getTime() - settings.softWindowMs),
            )
          : 0;
      const v = verdict(event.type, soft, settings);
      if (!v || (await tx.subscribers.suppression(delivery.email))) continue;
      const detail = [
        `${v.why}${event.status ? ` ${event.status}` : ''} to ${delivery.releaseId} (dispatch ${delivery.dispatchId}, via ${event.source})`,
        event.detail,
      ]
        .filter(Boolean)
        .join(': ');
      if (v.suppress === 'complained') await tx.subscribers.markComplained(delivery.email, detail, now);
      else await tx.subscribers.markBounced(delivery.email, detail, now);
      counts.suppressed++;
    }
  });
  return counts;
}
