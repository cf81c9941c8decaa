import type { Config } from '../config/types.js';
import { createTransport } from '../delivery/create-transport.js';
import { acquireDispatchLock, type HeldLock } from '../delivery/dispatch-lock.js';
import type { Transport } from '../delivery/transport.js';
import type { LockHolder } from '../store/ledger-types.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import type { RecoveredDispatch } from './types.js';

/** Everything a sending run holds: the store, the transport and the dispatch lock. */
export interface SendingRun {
  store: Store;
  transport: Transport;
  lock: HeldLock;
  /** Aborted by the caller's signal or when the lock is lost. */
  signal: AbortSignal;
  /** Recipients a dead run left `sending`, now marked uncertain. */
  recovered: RecoveredDispatch[];
  close(): Promise<void>;
}

export type OpenedSendingRun =
  | { ok: true; run: SendingRun }
  | { ok: false; holder: LockHolder; transport: Transport };

/**
 * Opens the store and the transport and takes the dispatch lock (on PostgreSQL, a lease of its own
 * beside the other workers'), or reports who holds it. Having it, it first marks what a dead run left in
 * flight as uncertain (on PostgreSQL, only what dead leases left).
 */
export async function openSendingRun(
  config: Config,
  options: { command: string; clock?: () => Date; concurrency?: number; signal?: AbortSignal },
): Promise<OpenedSendingRun> {
  const clock = options.clock ?? (() => new Date());
  const transport = createTransport(config, options.concurrency ? { concurrency: options.concurrency } : {});
  const store = await openStore(config);
  let lock: HeldLock | undefined;
  try {
    const taken = await acquireDispatchLock(
      store.ledger,
      options.command,
      clock,
      config.newsletter.delivery.leaseMs,
    );
    if (!taken.ok) {
      await store.close();
      return { ok: false, holder: taken.holder, transport };
    }
    lock = taken.lock;
    const recovered: RecoveredDispatch[] = [];
    for (const [dispatchId, uncertain] of await store.ledger.markInterrupted(clock())) {
      const d = (await store.ledger.get(dispatchId))!;
      recovered.push({ dispatchId, releaseId: d.releaseId, listId: d.listId, uncertain });
    }
    return {
      ok: true,
      run: {
        store,
        transport,
        lock: taken.lock,
        signal: options.signal ? AbortSignal.any([options.signal, taken.lock.signal]) : taken.lock.signal,
        recovered,
        async close() {
          await transport.close();
          await taken.lock.release();
          await store.close();
        },
      },
    };
  } catch (e) {
    await lock?.release();
    await store.close();
    throw e;
  }
}
