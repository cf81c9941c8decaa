import type Database from 'better-sqlite3';
import { newMessageId } from '../../email/personalize.js';
import {
  DELIVERY_STATUSES,
  type DeliveryCounts,
  type DeliveryProblem,
  type DeliveryStatus,
  type DispatchKey,
  type LedgerRecipient,
  type LedgerRepo,
  type LockHolder,
  type MessageIdDomain,
  type NewDispatch,
  type RecipientSource,
  type TransportKind,
} from '../ledger-types.js';
import { type DispatchRow, type HolderRow, newDispatchValues, toDispatch, toHolder } from '../ledger-rows.js';
import { RECIPIENTS_FROM } from './subscribers.js';

/**
 * Settings while this connection holds the dispatch lock, and so sends. It reads each subscriber once per
 * dispatch and writes the ledger in order, so a big page cache would only hold memory (tens of MB for
 * 100,000 subscribers): 4 MiB. It commits a small transaction every few messages (some 0.7 pages of WAL
 * per message), and a checkpoint in the middle of that stalls the send: it must fsync the WAL and the
 * database, which waits for whatever else the machine has written (with the outbox, gigabytes of
 * messages: 0.1–1.5 s each). So the WAL may grow to 131,072 pages (512 MiB, some 180,000 messages)
 * before one; releasing the lock checkpoints once for the whole send.
 */
const SENDER_PRAGMAS = { cache_size: -4096, wal_autocheckpoint: 131_072 } as const;

/** A due recipient as a raw row: subscriber id, email, name, attempts, Message-ID. */
type DueRow = [number, string, string | null, number, string | null];

/** Who a dispatch's message was sent to (`d` the delivery; its one parameter the dispatch id). */
const SENT_FROM = "FROM deliveries d WHERE d.dispatch_id = ? AND d.status = 'sent' AND d.email <> ''";

/** Plans `pending` rows from a SELECT (`from`), a Message-ID each when a domain is given. */
const planFrom = (from: string, id: string, email: string, name: string, order: string) => `
  INSERT INTO deliveries (dispatch_id, subscriber_id, email, name, status, message_id, updated_at)
  SELECT @dispatchId, ${id}, ${email}, ${name}, 'pending', scs_message_id(@domain), @at ${from}
  ORDER BY ${order}
  ON CONFLICT DO NOTHING`;

/** The ledger on SQLite, in the same database (and so the same transactions) as the subscribers. */
export function createSqliteLedger(db: Database.Database): LedgerRepo {
  // Small transactions touch the same few pages again and again; checkpointing every 1,000 pages (the
  // default) would write them back over and over. The sender goes further (SENDER_PRAGMAS).
  db.pragma('wal_autocheckpoint = 10000');
  // The Message-IDs of recipients planned inside the database (NULL without a domain).
  db.function('scs_message_id', { deterministic: false }, (domain: unknown) =>
    typeof domain === 'string' ? newMessageId(domain) : null,
  );
  /** The settings SENDER_PRAGMAS replaced, while this connection holds the lock. */
  let beforeSending: Record<string, number> | undefined;
  const q = {
    find: db.prepare(
      'SELECT * FROM dispatches WHERE release_id = ? AND list_id = ? AND transport = ? AND kind = ? AND variant = ?',
    ),
    get: db.prepare('SELECT * FROM dispatches WHERE id = ?'),
    listAll: db.prepare('SELECT * FROM dispatches ORDER BY planned_at DESC, id DESC'),
    insertDispatch: db.prepare(`
      INSERT INTO dispatches (release_id, lang, list_id, transport, kind, variant, detail, covers, subject,
        release_hash, state, total, planned_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?)`),
    insertDelivery: db.prepare(`
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, name, status, message_id, updated_at)
      VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING`),
    addTotal: db.prepare('UPDATE dispatches SET total = total + ? WHERE id = ?'),
    sent: db.prepare(`SELECT subscriber_id AS subscriberId, email, name ${SENT_FROM} ORDER BY subscriber_id`),
    planList: db.prepare(
      planFrom(RECIPIENTS_FROM.replace('?', '@listId'), 's.id', 's.email', 's.name', 'm.subscriber_id'),
    ),
    planSent: db.prepare(
      planFrom(SENT_FROM.replace('?', '@sentIn'), 'd.subscriber_id', 'd.email', 'd.name', 'd.subscriber_id'),
    ),
    counts: db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE dispatch_id = ? GROUP BY status'),
    problems: db.prepare(`
      SELECT subscriber_id, email, status, attempts, last_reply, message_id, updated_at FROM deliveries
      WHERE dispatch_id = ? AND (status IN ('failed', 'uncertain') OR (status = 'pending' AND attempts > 0))
      ORDER BY updated_at DESC, subscriber_id LIMIT ?`),
    // Only an unfinished dispatch can have rows in flight: no need to look at the others.
    unfinished: db.prepare("SELECT id, transport FROM dispatches WHERE state <> 'done'").raw(),
    markUncertain: db.prepare(`
      UPDATE deliveries SET status = 'uncertain', updated_at = ?,
        last_reply = 'interrupted while the message was with the transport: it may or may not have been sent'
      WHERE dispatch_id = ? AND status = 'sending'`),
    // The outbox rewrites the same file for the same Message-ID: its messages in flight are just sent again.
    markResend: db.prepare(`
      UPDATE deliveries SET status = 'pending', updated_at = ? WHERE dispatch_id = ? AND status = 'sending'`),
    assignMessageIds: db.prepare(`
      UPDATE deliveries SET message_id = scs_message_id(?)
      WHERE dispatch_id = ? AND message_id IS NULL AND status IN ('pending', 'uncertain')`),
    requeue: db.prepare(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = 0, updated_at = ? WHERE dispatch_id = ? AND status = 'uncertain'",
    ),
    // A range of the primary key: the sweep starts where it left off, so it never walks the rows sent.
    // Raw rows (arrays): better-sqlite3 is slow to build an object per row, and these come by hundreds.
    dueAfter: db
      .prepare(`
        SELECT subscriber_id, email, name, attempts, message_id FROM deliveries
        WHERE dispatch_id = ? AND subscriber_id > ? AND status = 'pending' AND next_attempt_at <= ?
        ORDER BY subscriber_id LIMIT ?`)
      .raw(),
    dueRetries: db
      .prepare(`
        SELECT subscriber_id, email, name, attempts, message_id FROM deliveries INDEXED BY deliveries_retry
        WHERE dispatch_id = ? AND status = 'pending' AND next_attempt_at > 0 AND next_attempt_at <= ?
          AND subscriber_id <= ?
        ORDER BY subscriber_id LIMIT ?`)
      .raw(),
    nextRetry: db
      .prepare(`
        SELECT min(next_attempt_at) FROM deliveries INDEXED BY deliveries_retry
        WHERE dispatch_id = ? AND status = 'pending' AND next_attempt_at > 0`)
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

  const findRow = (key: DispatchKey) =>
    q.find.get(key.releaseId, key.listId, key.transport, key.kind ?? 'newsletter', key.variant ?? '') as
      | DispatchRow
      | undefined;

  const insertRecipients = (
    dispatchId: number,
    source: RecipientSource,
    at: number,
    domain: MessageIdDomain | undefined,
  ) => {
    let added = 0;
    const planned = { dispatchId, domain: domain ?? null, at };
    if ('list' in source) added = q.planList.run({ ...planned, listId: source.list }).changes;
    else if ('sentIn' in source) added = q.planSent.run({ ...planned, sentIn: source.sentIn }).changes;
    else {
      const messageId = domain === undefined ? () => null : () => newMessageId(domain);
      for (const r of source.recipients)
        added += q.insertDelivery.run(dispatchId, r.subscriberId, r.email, r.name, messageId(), at).changes;
    }
    q.addTotal.run(added, dispatchId);
    return added;
  };

  const createDispatch = db.transaction(
    (dispatch: NewDispatch, source: RecipientSource, at: number, domain: MessageIdDomain | undefined) => {
      // Another runner may have planned it meanwhile: then that one stands.
      const existing = findRow(dispatch);
      if (existing) return existing.id;
      const id = Number(q.insertDispatch.run(...newDispatchValues(dispatch, at)).lastInsertRowid);
      insertRecipients(id, source, at, domain);
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
    for (const [id, transport] of q.unfinished.all() as [number, TransportKind][]) {
      if (transport === 'outbox') q.markResend.run(at, id);
      else {
        const count = q.markUncertain.run(at, id).changes;
        if (count) found.set(id, count);
      }
    }
    return found;
  });

  const acquireLock = db.transaction((holder: LockHolder, isStale: (current: LockHolder) => boolean) => {
    const row = q.lock.get() as HolderRow | undefined;
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
    async find(key) {
      const row = findRow(key);
      return row && toDispatch(row);
    },
    async get(dispatchId) {
      const row = q.get.get(dispatchId) as DispatchRow | undefined;
      return row && toDispatch(row);
    },
    async list(filter = {}) {
      const all = (q.listAll.all() as DispatchRow[]).map(toDispatch);
      const ids = filter.releaseIds && new Set(filter.releaseIds);
      return ids ? all.filter((d) => ids.has(d.releaseId)) : all;
    },
    async createDispatch(dispatch, recipients, now, messageIdDomain) {
      const id = createDispatch.immediate(dispatch, recipients, now.getTime(), messageIdDomain);
      return toDispatch(q.get.get(id) as DispatchRow);
    },
    async addRecipients(dispatchId, recipients, now, messageIdDomain) {
      return addRecipients.immediate(dispatchId, recipients, now.getTime(), messageIdDomain);
    },
    async sentRecipients(dispatchId) {
      return q.sent.all(dispatchId) as LedgerRecipient[];
    },
    async counts(dispatchId) {
      const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
      for (const r of q.counts.all(dispatchId) as { status: DeliveryStatus; n: number }[])
        counts[r.status] = r.n;
      return counts;
    },
    async problems(dispatchId, limit) {
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
    async markInterrupted(now) {
      return markInterrupted.immediate(now.getTime());
    },
    async assignMessageIds(dispatchId, messageIdDomain) {
      return q.assignMessageIds.run(messageIdDomain, dispatchId).changes;
    },
    async requeueUncertain(dispatchId, now) {
      return q.requeue.run(now.getTime(), dispatchId).changes;
    },
    async due(dispatchId, limit, now, after = 0) {
      const at = now.getTime();
      // The retries all lie before the rest, so the two lists together keep to subscriber order.
      let rows = (after > 0 ? q.dueRetries.all(dispatchId, at, after, limit) : []) as DueRow[];
      if (rows.length < limit)
        rows = rows.concat(q.dueAfter.all(dispatchId, after, at, limit - rows.length) as DueRow[]);
      return rows.map(([subscriberId, email, name, attempts, messageId]) => ({
        subscriberId,
        email,
        name,
        attempts,
        messageId,
      }));
    },
    async nextRetryAt(dispatchId) {
      const ms = q.nextRetry.get(dispatchId) as number | null;
      return ms === null ? undefined : new Date(ms);
    },
    async record(dispatchId, outcomes, claims, now) {
      return record.immediate(dispatchId, outcomes, claims, now.getTime());
    },
    async setState(dispatchId, state, reason, now) {
      q.setState.run({ state, reason, at: now.getTime(), dispatchId });
    },
    async acquireLock(holder, isStale) {
      const attempt = acquireLock.immediate(holder, isStale);
      if (attempt.acquired && !beforeSending) {
        beforeSending = {};
        for (const [name, value] of Object.entries(SENDER_PRAGMAS)) {
          beforeSending[name] = db.pragma(name, { simple: true }) as number;
          db.pragma(`${name} = ${value}`);
        }
      }
      return attempt;
    },
    async heartbeat(token, now) {
      return q.heartbeat.run(now.getTime(), token).changes === 1;
    },
    async releaseLock(token) {
      q.release.run(token);
      if (!beforeSending) return;
      for (const [name, value] of Object.entries(beforeSending)) db.pragma(`${name} = ${value}`);
      beforeSending = undefined;
      // Write the send's pages back into the database now, and give the WAL's disk space back, rather
      // than leave them to whichever connection closes last (`scs serve` may keep one open for days).
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async holders() {
      const row = q.lock.get() as HolderRow | undefined;
      return row ? [toHolder(row)] : [];
    },
  };
}
