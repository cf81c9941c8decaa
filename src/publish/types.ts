import type { Diagnostic } from '../core/diagnostic.js';
import type { DispatchProgress } from '../delivery/run-dispatch.js';
import type { DeliveryCounts, DispatchKind, LockHolder, TransportKind } from '../store/ledger-types.js';

/** What happened to one dispatch (release × list) in a run, or would happen in a dry run. */
export interface DispatchReport {
  releaseId: string;
  listId: string;
  /** Absent for the newsletter: a briefing, a correction or a notice (publish/plan.ts). */
  kind?: DispatchKind;
  /** A correction's date, a notice's change. */
  variant?: string;
  lang: string;
  transport: TransportKind;
  subject?: string;
  dispatchId?: number;
  /** `new`: planned by this run; `resumed`: unfinished before; `finished`: was already done. */
  start: 'new' | 'resumed' | 'finished';
  /**
   * `done`: nobody pending; `paused`: too many failures, resumes next run; `stopped`: interrupted,
   * resumes next run; `not-started`: could not render, or waits for the next run after an earlier
   * dispatch paused; `planned`: a dry run.
   */
  state: 'done' | 'paused' | 'stopped' | 'not-started' | 'planned';
  reason?: string;
  /** Paused: when a run can resume it (its first retry; else `delivery.retryBaseMs` from now). */
  retryAt?: Date;
  /** Recipients in the dispatch (for a new dispatch in a dry run: those it would snapshot). */
  total: number;
  counts: DeliveryCounts;
  /** What this run did. */
  run: { sent: number; failed: number; skipped: number; retried: number; bounced: number };
  /** Uncertain recipients put back in the queue (`--resend-uncertain`). */
  requeued: number;
  /** Subscribers who joined the list after the dispatch was planned, added to it by `scs send`. */
  added: number;
  elapsedMs: number;
  /** Where the time went, for the benchmark. */
  timings?: { ledgerMs: number; storeMs: number; buildMs: number };
  diagnostics: Diagnostic[];
}

/** Recipients found `sending` from a run that died: now `uncertain`, reported, not re-sent by default. */
export interface RecoveredDispatch {
  dispatchId: number;
  releaseId: string;
  listId: string;
  uncertain: number;
}

export interface TransportInfo {
  kind: TransportKind;
  description: string;
}

export interface DeliveryRunOptions {
  /** The clock for the ledger's times, retries and the messages' Date header; default the real one. */
  clock?: () => Date;
  /** Aborting stops after the messages in flight; unfinished dispatches resume next run. */
  signal?: AbortSignal;
  onProgress?: (progress: DispatchProgress) => void;
}

export type { DispatchProgress, LockHolder };
