import type Database from 'better-sqlite3';
import {
  DELIVERY_STATUSES,
  type DeliveryCounts,
  type DeliveryProblem,
  type DeliveryStatus,
  type Dispatch,
  type DispatchState,
  type LedgerRecipient,
  type LedgerRepo,
  type LockHolder,
  type NewDispatch,
} from '../ledger-types.js';

/** Page cache while holding the dispatch lock (negative: KiB). */
const SENDER_CACHE_KIB = -4096;

interface DispatchRow {
  id: number;
  release_id: string;
  lang: string;
  list_id: string;
  transport: Dispatch['transport'];
  subject: string;
  release_hash: string;
  state: DispatchState;
  pause_reason: string | null;
  total: number;
  planned_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface LockRow {
  token: string;
  pid: number;
  host: string;
  command: string;
  started_at: number;
  heartbeat_at: number;
}

const optionalDate = (ms: number | null) => (ms === null ? null : new Date(ms));

function toDispatch(row: DispatchRow): Dispatch {
  return {
    id: row.id,
    releaseId: row.release_id,
    lang: row.lang,
    listId: row.list_id,
    transport: row.transport,
    subject: row.subject,
    releaseHash: row.release_hash,
    state: row.state,
    pauseReason: row.pause_reason,
    total: row.total,
    plannedAt: new Date(row.planned_at),
    startedAt: optionalDate(row.started_at),
    finishedAt: optionalDate(row.finished_at),
  };
}

const toHolder = (row: LockRow): LockHolder => ({
  token: row.token,
  pid: row.pid,
  host: row.host,
  command: row.command,
  startedAt: new Date(row.started_at),
  heartbeatAt: new Date(row.heartbeat_at),
});

/** The ledger on SQLite, in the same database (and so the same transactions) as the subscribers. */
export function createSqliteLedger(db: Database.Database): LedgerRepo {
  // Sending commits a small transaction every few messages, touching the same few pages again and
  // again; checkpointing every 1,000 pages (the default) would write them back over and over.
  db.pragma('wal_autocheckpoint = 10000');
  let senderCache: number | undefined;
  const q = {
    find: db.prepare('SELECT * FROM dispatches WHERE release_id = ? AND list_id = ? AND transport = ?'),
    get: db.prepare('SELECT * FROM dispatches WHERE id = ?'),
    listAll: db.prepare('SELECT * FROM dispatches ORDER BY planned_at DESC, id DESC'),
    insertDispatch: db.prepare(`
      INSERT INTO dispatches (release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
      VALUES (?, ?, ?, ?, ?, ?, 'open', 0, ?)`),
    insertDelivery: db.prepare(`
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, name, status, updated_at)
      VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING`),
    addTotal: db.prepare('UPDATE dispatches SET total = total + ? WHERE id = ?'),
    counts: db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE dispatch_id = ? GROUP BY status'),
    problems: db.prepare(`
      SELECT subscriber_id, email, status, attempts, last_reply, message_id, updated_at FROM deliveries
      WHERE dispatch_id = ? AND (status IN ('failed', 'uncertain') OR (status = 'pending' AND attempts > 0))
      ORDER BY updated_at DESC, subscriber_id LIMIT ?`),
    // Only an unfinished dispatch can have rows in flight: no need to look at the others.
    unfinished: db.prepare("SELECT id FROM dispatches WHERE state <> 'done'").pluck(),
    markUncertain: db.prepare(`
      UPDATE deliveries SET status = 'uncertain', updated_at = ?,
        last_reply = 'interrupted while the message was with the transport: it may or may not have been sent'
      WHERE dispatch_id = ? AND status = 'sending'`),
    requeue: db.prepare(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = 0, updated_at = ? WHERE dispatch_id = ? AND status = 'uncertain'",
    ),
    // The primary key would serve the order too, but walks every row already sent: the partial index
    // holds only the pending ones.
    due: db.prepare(`
      SELECT subscriber_id AS subscriberId, email, name, attempts FROM deliveries INDEXED BY deliveries_pending
      WHERE dispatch_id = ? AND status = 'pending' AND next_attempt_at <= ?
      ORDER BY subscriber_id LIMIT ?`),
    nextRetry: db
      .prepare(
        "SELECT min(next_attempt_at) FROM deliveries INDEXED BY deliveries_pending WHERE dispatch_id = ? AND status = 'pending'",
      )
      .pluck(),
    claim: db.prepare(`
      UPDATE deliveries SET status = 'sending', message_id = ?, updated_at = ?
      WHERE dispatch_id = ? AND subscriber_id = ? AND status = 'pending'`),
    outcome: db.prepare(`
      UPDATE deliveries SET status = ?, attempts = ?, last_reply = ?, next_attempt_at = ?, updated_at = ?, sent_at = ?
      WHERE dispatch_id = ? AND subscriber_id = ? AND status IN ('pending', 'sending')`),
    setState: db.prepare(`
      UPDATE dispatches SET state = @state, pause_reason = @reason,
        started_at = CASE WHEN @state = 'open' THEN coalesce(started_at, @at) ELSE started_at END,
        finished_at = CASE WHEN @state = 'done' THEN @at ELSE NULL END
      WHERE id = @dispatchId`),
    lock: db.prepare('SELECT * FROM dispatch_lock WHERE id = 1'),
    writeLock: db.prepare(`
      INSERT INTO dispatch_lock (id, token, pid, host, command, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
        command = excluded.command, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`),
    heartbeat: db.prepare('UPDATE dispatch_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?'),
    release: db.prepare('DELETE FROM dispatch_lock WHERE id = 1 AND token = ?'),
  };

  const insertRecipients = (id: number, recipients: Iterable<LedgerRecipient>, at: number) => {
    let added = 0;
    for (const r of recipients)
      added += q.insertDelivery.run(id, r.subscriberId, r.email, r.name, at).changes;
    q.addTotal.run(added, id);
    return added;
  };

  // The recipients usually stream from a SELECT on this same connection while the rows are inserted.
  // better-sqlite3 forbids that by default; it is safe here because the SELECT reads other tables.
  const streaming = <T>(fn: () => T): T => {
    db.unsafeMode(true);
    try {
      return fn();
    } finally {
      db.unsafeMode(false);
    }
  };

  const createDispatch = db.transaction(
    (dispatch: NewDispatch, recipients: Iterable<LedgerRecipient>, at: number) => {
      const id = Number(
        q.insertDispatch.run(
          dispatch.releaseId,
          dispatch.lang,
          dispatch.listId,
          dispatch.transport,
          dispatch.subject,
          dispatch.releaseHash,
          at,
        ).lastInsertRowid,
      );
      insertRecipients(id, recipients, at);
      return id;
    },
  );
  const addRecipients = db.transaction(insertRecipients);

  const record = db.transaction(
    (
      dispatchId: number,
      outcomes: Parameters<LedgerRepo['record']>[1],
      claims: Parameters<LedgerRepo['record']>[2],
      at: number,
    ) => {
      for (const o of outcomes) {
        const sentAt = o.status === 'sent' ? at : null;
        q.outcome.run(
          o.status,
          o.attempts,
          o.reply,
          o.retryAt?.getTime() ?? 0,
          at,
          sentAt,
          dispatchId,
          o.subscriberId,
        );
      }
      const claimed: number[] = [];
      for (const c of claims) {
        if (q.claim.run(c.messageId, at, dispatchId, c.subscriberId).changes === 1)
          claimed.push(c.subscriberId);
      }
      return claimed;
    },
  );

  const markInterrupted = db.transaction((at: number) => {
    const found = new Map<number, number>();
    for (const id of q.unfinished.all() as number[]) {
      const count = q.markUncertain.run(at, id).changes;
      if (count) found.set(id, count);
    }
    return found;
  });

  const acquireLock = db.transaction((holder: LockHolder, isStale: (current: LockHolder) => boolean) => {
    const row = q.lock.get() as LockRow | undefined;
    const current = row && toHolder(row);
    if (current && !isStale(current)) return { acquired: false as const, holder: current };
    q.writeLock.run(
      holder.token,
      holder.pid,
      holder.host,
      holder.command,
      holder.startedAt.getTime(),
      holder.heartbeatAt.getTime(),
    );
    return current ? { acquired: true as const, tookOverFrom: current } : { acquired: true as const };
  });

  return {
    find(key) {
      const row = q.find.get(key.releaseId, key.listId, key.transport) as DispatchRow | undefined;
      return row && toDispatch(row);
    },
    get(dispatchId) {
      const row = q.get.get(dispatchId) as DispatchRow | undefined;
      return row && toDispatch(row);
    },
    list(filter = {}) {
      const all = (q.listAll.all() as DispatchRow[]).map(toDispatch);
      const ids = filter.releaseIds && new Set(filter.releaseIds);
      return ids ? all.filter((d) => ids.has(d.releaseId)) : all;
    },
    createDispatch(dispatch, recipients, now) {
      const id = streaming(() => createDispatch.immediate(dispatch, recipients, now.getTime()));
      return toDispatch(q.get.get(id) as DispatchRow);
    },
    addRecipients(dispatchId, recipients, now) {
      return streaming(() => addRecipients.immediate(dispatchId, recipients, now.getTime()));
    },
    counts(dispatchId) {
      const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
      for (const r of q.counts.all(dispatchId) as { status: DeliveryStatus; n: number }[])
        counts[r.status] = r.n;
      return counts;
    },
    problems(dispatchId, limit) {
      return (
        q.problems.all(dispatchId, limit) as {
          subscriber_id: number;
          email: string;
          status: DeliveryStatus;
          attempts: number;
          last_reply: string | null;
          message_id: string | null;
          updated_at: number;
        }[]
      ).map(
        (r): DeliveryProblem => ({
          subscriberId: r.subscriber_id,
          email: r.email,
          status: r.status,
          attempts: r.attempts,
          reply: r.last_reply,
          messageId: r.message_id,
          at: new Date(r.updated_at),
        }),
      );
    },
    markInterrupted(now) {
      return markInterrupted.immediate(now.getTime());
    },
    requeueUncertain(dispatchId, now) {
      return q.requeue.run(now.getTime(), dispatchId).changes;
    },
    due(dispatchId, limit, now) {
      return q.due.all(dispatchId, now.getTime(), limit) as ReturnType<LedgerRepo['due']>;
    },
    nextRetryAt(dispatchId) {
      const ms = q.nextRetry.get(dispatchId) as number | null;
      return ms === null ? undefined : new Date(ms);
    },
    record(dispatchId, outcomes, claims, now) {
      return record.immediate(dispatchId, outcomes, claims, now.getTime());
    },
    setState(dispatchId, state, reason, now) {
      q.setState.run({ state, reason, at: now.getTime(), dispatchId });
    },
    acquireLock(holder, isStale) {
      const attempt = acquireLock.immediate(holder, isStale);
      if (attempt.acquired && senderCache === undefined) {
        // This connection now sends: it reads each subscriber once per dispatch and writes the ledger
        // in order, so a big page cache would only hold memory (tens of MB for 100,000 subscribers).
        senderCache = db.pragma('cache_size', { simple: true }) as number;
        db.pragma(`cache_size = ${SENDER_CACHE_KIB}`);
      }
      return attempt;
    },
    heartbeat(token, now) {
      return q.heartbeat.run(now.getTime(), token).changes === 1;
    },
    releaseLock(token) {
      q.release.run(token);
      if (senderCache !== undefined) db.pragma(`cache_size = ${senderCache}`);
      senderCache = undefined;
    },
    currentLock() {
      const row = q.lock.get() as LockRow | undefined;
      return row && toHolder(row);
    },
  };
}
