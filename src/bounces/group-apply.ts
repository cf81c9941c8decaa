import type { BounceSettings } from '../config/types.js';
import type { Store } from '../store/types.js';
import { type AppliedCounts, applyEvents } from './apply.js';
import type { PlannedEvent } from './plan.js';

interface Waiting {
  planned: readonly PlannedEvent[];
  now: Date;
  resolve(counts: AppliedCounts): void;
  reject(error: unknown): void;
}

/**
 * `applyEvents` for requests that arrive together (the webhooks of `scs serve`): what is asked for in
 * one turn of the event loop is applied in one transaction, each request's events in a savepoint of
 * their own. A commit costs about three times the events' own writes, so one commit for many requests
 * is most of the server's throughput. Each caller's promise settles after the commit: an event is
 * acknowledged only once it is stored, as before, and applying it twice is still a no-op.
 */
export function createGroupApply(
  store: Pick<Store, 'transaction'>,
  settings: Pick<BounceSettings, 'softLimit' | 'softWindowMs'>,
): (planned: readonly PlannedEvent[], now: Date) => Promise<AppliedCounts> {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const group = waiting;
    waiting = [];
    let outcomes: ({ counts: AppliedCounts } | { error: unknown })[];
    try {
      outcomes = await store.transaction(async (tx) => {
        const out: typeof outcomes = [];
        for (const w of group) {
          // applyEvents' transaction on `tx` is a savepoint: a failing request undoes only itself.
          try {
            out.push({ counts: await applyEvents(tx, w.planned, settings, w.now) });
          } catch (error) {
            out.push({ error });
          }
        }
        return out;
      });
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if ('counts' in outcome) w.resolve(outcome.counts);
      else w.reject(outcome.error);
    });
  };
  return (planned, now) =>
    new Promise((resolve, reject) => {
      // flush settles every waiting promise itself and never rejects.
      if (!waiting.length) setImmediate(() => void flush());
      waiting.push({ planned, now, resolve, reject });
    });
}
