/**
 * The delivery ledger: who was sent which newsletter, over which transport, and how it went.
 * Backend-neutral: SQLite implements it (sqlite/ledger.ts); another store implements the same interface.
 * Times are always passed in.
 */

/**
 * Where a message went. A dispatch to the file outbox is a rehearsal, never a delivery to people:
 * dispatches are keyed by transport, so switching to SMTP later sends to everyone again.
 */
export type TransportKind = 'smtp' | 'outbox';

/**
 * One recipient's progress: `pending → sending → sent | failed`, back to `pending` for a retry,
 * `uncertain` when a run died while the message was with the transport (it may or may not have left),
 * `skipped` when the subscriber was no longer deliverable (unsubscribed, suppressed) at sending time.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** `open` while recipients are pending, `paused` after too many failures, `done` when none is left. */
export type DispatchState = 'open' | 'paused' | 'done';

/**
 * What a dispatch mails: the public `newsletter`; an embargoed `briefing` of a press list; a
 * `correction` to those a release was sent to; a `notice` to the briefed (embargo moved, withdrawn).
 */
export const DISPATCH_KINDS = ['newsletter', 'briefing', 'correction', 'notice'] as const;
export type DispatchKind = (typeof DISPATCH_KINDS)[number];

/**
 * A dispatch is one release (which fixes the language) to one list over one kind of transport, of one
 * kind and variant (a correction's date, a notice's change; '' for a newsletter or a briefing).
 */
export interface DispatchKey {
  releaseId: string;
  listId: string;
  transport: TransportKind;
  /** Default `newsletter`. */
  kind?: DispatchKind;
  /** Default ''. */
  variant?: string;
}

export interface NewDispatch extends DispatchKey {
  lang: string;
  subject: string;
  /** The release file's hash when the dispatch was planned. */
  releaseHash: string;
  /** A correction's text; a briefing's embargo (ISO); a notice's new embargo (ISO). */
  detail?: string | null;
  /** The dates (YYYY-MM-DD) of the corrections the mailed release already carried. */
  covers?: readonly string[] | null;
}

export interface Dispatch extends NewDispatch {
  kind: DispatchKind;
  variant: string;
  detail: string | null;
  covers: readonly string[] | null;
  id: number;
  state: DispatchState;
  /** Why it is paused (the last failures), when it is. */
  pauseReason: string | null;
  /** Recipients snapshotted when it was planned. */
  total: number;
  plannedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

/** A snapshotted recipient, as handed to `createDispatch`. */
export interface LedgerRecipient {
  subscriberId: number;
  email: string;
  name: string | null;
}

/**
 * Who a dispatch goes to: the deliverable members of a list (as `SubscriberRepo.recipients` streams
 * them), exactly those another dispatch was sent to (a correction, a notice), or the recipients given.
 * The first two are planned inside the database (one `INSERT … SELECT`), never through the process.
 */
export type RecipientSource =
  | { list: string }
  | { sentIn: number }
  | { recipients: readonly LedgerRecipient[] };

/**
 * Each snapshotted recipient's Message-ID is `<random UUID@domain>`, assigned once, at planning: every
 * attempt (a retry, a `--resend-uncertain`) carries the same one, so a receiving server can tell a
 * repeat; and a claim then rewrites its row at the same size, which keeps the send's commits small.
 */
export type MessageIdDomain = string;

/** A recipient whose turn has come (pending, and past any retry delay). */
export interface DueDelivery extends LedgerRecipient {
  /** Attempts made so far. */
  attempts: number;
  /** The Message-ID every attempt carries, when one was assigned at planning. */
  messageId: string | null;
}

/** "About to hand this message to the transport": committed before it is. */
export interface DeliveryClaim {
  subscriberId: number;
  messageId: string;
}

/** What became of one recipient. `pending` with `retryAt` schedules another attempt. */
export interface DeliveryOutcome {
  subscriberId: number;
  status: 'sent' | 'failed' | 'pending' | 'skipped';
  /** Attempts made, including this one. */
  attempts: number;
  /** The server's last reply, or why nothing was sent. */
  reply: string | null;
  retryAt?: Date;
}

/** A recipient who did not (or may not) get the message, with the last reply. */
export interface DeliveryProblem {
  subscriberId: number;
  email: string;
  status: DeliveryStatus;
  attempts: number;
  reply: string | null;
  messageId: string | null;
  at: Date;
}

/**
 * Who is dispatching. On SQLite one run at a time holds the store's one dispatch lock; on PostgreSQL
 * each worker holds a lease of its own, and any number work the dispatches together.
 */
export interface LockHolder {
  /** Random, per run: only the holder's own heartbeat and release touch the lock. */
  token: string;
  pid: number;
  host: string;
  /** What the holder runs ("scs publish"). */
  command: string;
  startedAt: Date;
  heartbeatAt: Date;
  /**
   * PostgreSQL: when the lease ends unless a heartbeat extends it (each keeps its length); past it the
   * worker may claim and record nothing, and its reserved rows go to the others. SQLite: unused.
   */
  expiresAt?: Date;
}

export type LockAttempt =
  | {
      acquired: true;
      /** The holder this one replaced because it was gone (SQLite), or the first such lease (PostgreSQL). */
      tookOverFrom?: LockHolder;
    }
  | { acquired: false; holder: LockHolder };

export interface LedgerRepo {
  find(key: DispatchKey): Promise<Dispatch | undefined>;
  get(dispatchId: number): Promise<Dispatch | undefined>;
  /** Newest first; optionally only these releases' dispatches. */
  list(filter?: { releaseIds?: readonly string[] }): Promise<Dispatch[]>;
  /**
   * Plans a dispatch: the dispatch and a `pending` row per recipient, in one transaction (all or nothing).
   * When a dispatch with the same key was planned meanwhile (another runner won the race), returns that
   * one and plans nothing.
   */
  createDispatch(
    dispatch: NewDispatch,
    recipients: RecipientSource,
    now: Date,
    messageIdDomain?: MessageIdDomain,
  ): Promise<Dispatch>;
  /**
   * Adds recipients not in the dispatch yet (subscribed since it was planned) as `pending`, in one
   * transaction; anyone already in it, whatever their status, is left alone. Returns how many were added.
   */
  addRecipients(
    dispatchId: number,
    recipients: RecipientSource,
    now: Date,
    messageIdDomain?: MessageIdDomain,
  ): Promise<number>;
  /** The recipients of a dispatch whose message was sent (still with an address: not erased since). */
  sentRecipients(dispatchId: number): Promise<LedgerRecipient[]>;
  counts(dispatchId: number): Promise<DeliveryCounts>;
  /** The most recent failed, uncertain and retrying recipients, newest first. */
  problems(dispatchId: number, limit: number): Promise<DeliveryProblem[]>;

  /**
   * After a run died: every `sending` row (its message was with the transport) that no live holder claimed
   * becomes `uncertain`;
   * over the outbox, which rewrites the same file for the same Message-ID, `pending` again. Only call
   * this while holding the lock. Returns the uncertain count per dispatch.
   */
  markInterrupted(now: Date): Promise<Map<number, number>>;
  /** `uncertain → pending` (for `--resend-uncertain`); returns how many. */
  requeueUncertain(dispatchId: number, now: Date): Promise<number>;
  /**
   * Gives a Message-ID to the recipients still to be sent to who have none (planned before scs assigned
   * them at planning); returns how many.
   */
  assignMessageIds(dispatchId: number, messageIdDomain: MessageIdDomain): Promise<number>;

  /**
   * Up to `limit` pending recipients whose turn has come, in subscriber order. With `after`, only those
   * past that subscriber, and those waiting for a retry wherever they are: a send sweeps the dispatch,
   * passing the last subscriber it got, so that it never reads the rows it has finished with again.
   * On PostgreSQL the rows are reserved for this holder's lease (`FOR UPDATE SKIP LOCKED`), so that
   * other workers get others.
   */
  due(dispatchId: number, limit: number, now: Date, after?: number): Promise<DueDelivery[]>;
  /** When the earliest pending recipient waiting for a retry is due; undefined when none waits. */
  nextRetryAt(dispatchId: number): Promise<Date | undefined>;
  /**
   * One transaction: the outcomes of finished messages, then the claims (`pending → sending`) of the
   * messages about to be sent. Returns the subscriber ids actually claimed (only pending rows can be).
   * On PostgreSQL both are fenced by the holder's lease: after it was lost nothing is claimed or recorded.
   */
  record(
    dispatchId: number,
    outcomes: readonly DeliveryOutcome[],
    claims: readonly DeliveryClaim[],
    now: Date,
  ): Promise<number[]>;
  /** Moves the dispatch to a state; `startedAt` and `finishedAt` follow. */
  setState(dispatchId: number, state: DispatchState, reason: string | null, now: Date): Promise<void>;

  /**
   * SQLite: takes the one dispatch lock when it is free, or when `isStale` says its holder is gone.
   * PostgreSQL: takes a lease of this holder's own beside the other workers' (never refused), first
   * ending the leases `isStale` says are gone. Claims (`due`, `record`) are fenced by the lease.
   */
  acquireLock(holder: LockHolder, isStale: (current: LockHolder) => boolean): Promise<LockAttempt>;
  /** Refreshes the holder's heartbeat; false when the lock (lease) is no longer this holder's. */
  heartbeat(token: string, now: Date): Promise<boolean>;
  releaseLock(token: string): Promise<void>;
  /**
   * Who holds the lock (SQLite: at most one), or the leases (PostgreSQL), oldest first: a lease that ran
   * out stays listed (with its `expiresAt` past) until the next run to start ends it.
   */
  holders(): Promise<LockHolder[]>;
}
