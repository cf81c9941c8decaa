import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LedgerRepo, LockHolder } from '../store/ledger-types.js';
import { processAlive } from '../core/process.js';

/** A live holder refreshes its heartbeat this often (a third of its lease at most)… */
const HEARTBEAT_MS = 5_000;
/**
 * …so one silent for this long is gone (a machine that died, a process frozen for good): the default
 * lease, `newsletter.delivery.leaseMs`.
 */
export const STALE_AFTER_MS = 60_000;

export interface HeldLock {
  holder: LockHolder;
  /** The holder this run replaced because it was gone. */
  tookOverFrom?: LockHolder;
  /** Aborted when the lock (lease) was lost: this run was silent past it, and others may have taken over. */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export type LockResult = { ok: true; lock: HeldLock } | { ok: false; holder: LockHolder };

/**
 * A holder is gone when it ran on this machine and its process no longer exists, or when its
 * heartbeat is older than its lease (a holder on another machine, or a frozen one).
 */
export function isStale(holder: LockHolder, now: Date, host = hostname(), leaseMs = STALE_AFTER_MS): boolean {
  if (holder.host === host && !processAlive(holder.pid)) return true;
  return now.getTime() - holder.heartbeatAt.getTime() > leaseMs;
}

/**
 * Takes the one dispatch lock of the store (SQLite), or a lease of this run's own beside the other
 * workers' (PostgreSQL), or says who holds the lock. While held, a heartbeat renews it every few seconds
 * (a third of the lease at most); `clock` gives the time for the heartbeat. A run silent for longer than
 * `leaseMs` loses it: its signal aborts.
 */
export async function acquireDispatchLock(
  ledger: LedgerRepo,
  command: string,
  clock: () => Date,
  leaseMs = STALE_AFTER_MS,
): Promise<LockResult> {
  const now = clock();
  const holder: LockHolder = {
    token: randomBytes(12).toString('hex'),
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: now,
    heartbeatAt: now,
    expiresAt: new Date(now.getTime() + leaseMs),
  };
  const attempt = await ledger.acquireLock(holder, (current) => isStale(current, now, holder.host, leaseMs));
  if (!attempt.acquired) return { ok: false, holder: attempt.holder };
  const lost = new AbortController();
  const timer = setInterval(
    () => {
      ledger.heartbeat(holder.token, clock()).then(
        (mine) => {
          if (mine || lost.signal.aborted) return;
          clearInterval(timer);
          lost.abort(
            `this run was silent for longer than its lease (${leaseMs / 1000} s), so other runs may have taken over its recipients`,
          );
        },
        // The database was busy or out of reach: try again at the next beat, within the lease.
        () => {},
      );
    },
    Math.min(HEARTBEAT_MS, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    ok: true,
    lock: {
      holder,
      ...(attempt.tookOverFrom ? { tookOverFrom: attempt.tookOverFrom } : {}),
      signal: lost.signal,
      async release() {
        clearInterval(timer);
        if (!lost.signal.aborted) await ledger.releaseLock(holder.token);
      },
    },
  };
}
