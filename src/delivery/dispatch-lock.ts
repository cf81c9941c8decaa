import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LedgerRepo, LockHolder } from '../store/ledger-types.js';
import { processAlive } from '../core/process.js';

/** A live holder refreshes its heartbeat this often… */
export const HEARTBEAT_MS = 5_000;
/** …so one silent for this long is gone (a machine that died, a process frozen for good). */
export const STALE_AFTER_MS = 60_000;

export interface HeldLock {
  holder: LockHolder;
  /** The holder this run replaced because it was gone. */
  tookOverFrom?: LockHolder;
  /** Aborted when another run took the lock over (this one was silent too long): stop sending. */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export type LockResult = { ok: true; lock: HeldLock } | { ok: false; holder: LockHolder };

/**
 * A holder is gone when it ran on this machine and its process no longer exists, or when its
 * heartbeat is older than `STALE_AFTER_MS` (a holder on another machine, or a frozen one).
 */
export function isStale(holder: LockHolder, now: Date, host = hostname()): boolean {
  if (holder.host === host && !processAlive(holder.pid)) return true;
  return now.getTime() - holder.heartbeatAt.getTime() > STALE_AFTER_MS;
}

/**
 * Takes the one dispatch lock of the store, or says who holds it. While held, a heartbeat refreshes it
 * every few seconds; `clock` gives the time for the heartbeat.
 */
export async function acquireDispatchLock(
  ledger: LedgerRepo,
  command: string,
  clock: () => Date,
): Promise<LockResult> {
  const now = clock();
  const holder: LockHolder = {
    token: randomBytes(12).toString('hex'),
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: now,
    heartbeatAt: now,
  };
  const attempt = await ledger.acquireLock(holder, (current) => isStale(current, now, holder.host));
  if (!attempt.acquired) return { ok: false, holder: attempt.holder };
  const lost = new AbortController();
  const timer = setInterval(() => {
    ledger.heartbeat(holder.token, clock()).then(
      (mine) => {
        if (mine || lost.signal.aborted) return;
        clearInterval(timer);
        lost.abort('another run took over the dispatch lock after this one was silent for over a minute');
      },
      // The database was busy past its timeout: try again at the next beat; a minute of margin remains.
      () => {},
    );
  }, HEARTBEAT_MS);
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
