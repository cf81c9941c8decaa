import type Database from 'better-sqlite3';
import { addressHasher } from '../address-hash.js';
import { addressKey } from '../../subscribers/email.js';
import {
  type AwaitingRow,
  changedColumns,
  DELIVERABLE,
  type EventRow,
  iso,
  NEW_SUBSCRIBER_COLUMNS,
  newSubscriberValues,
  rank,
  type SubscriberRow,
  type SuppressionRow,
  suppressionsInBulk,
  toAwaiting,
  toEvent,
  toSubscriber,
} from '../subscriber-rows.js';
import {
  CONFIRMATION_SENT,
  type NewEvent,
  type Recipient,
  type Subscriber,
  type SubscriberChanges,
  type SubscriberFilter,
  type SubscriberRepo,
  type Suppression,
  type SuppressionReason,
} from '../subscriber-types.js';

/** SQLite aggregates a subscriber's memberships (and the lists awaiting confirmation) as JSON text. */
type SqliteRow = Omit<SubscriberRow, 'subscriptions'> & { subscriptions: string };
const read = (row: SqliteRow): Subscriber =>
  toSubscriber({ ...row, subscriptions: JSON.parse(row.subscriptions) as SubscriberRow['subscriptions'] });

const SELECT_SUBSCRIBER = `
  SELECT s.*, (
    SELECT json_group_array(json_array(list_id, status, created_at, updated_at))
    FROM (SELECT * FROM subscriptions WHERE subscriber_id = s.id ORDER BY list_id)
  ) AS subscriptions
  FROM subscribers s`;

/**
 * Who `recipients(listId)` streams (`s` the subscriber, `m` the membership; its one parameter the list
 * id): the ledger plans a dispatch from the same selection inside the database.
 */
export const RECIPIENTS_FROM = `FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
  WHERE m.list_id = ? AND ${DELIVERABLE}`;

/** How many rows a streamed read fetches at a time: a page, then others may use the connection. */
const PAGE = 1000;

/**
 * The subscriber repository on SQLite; `secret` keys the suppression hashes. Identity is the address key
 * (addressKey): lookups, uniqueness and suppression all go by it, whatever case an address comes in.
 */
export function createSqliteSubscribers(db: Database.Database, secret: string): SubscriberRepo {
  const hash = addressHasher(secret);
  /**
   * The hashes an address may be suppressed under: its key's, and in a database from before the key
   * the address as typed, how entries were keyed then (an address erased then has nothing else left to
   * hash). Only such a database pays for the second hash.
   */
  const bySpelling =
    db.prepare("SELECT 1 FROM meta WHERE key = 'suppressions-by-spelling'").get() !== undefined;
  const suppressionHashes = (email: string): [string, string] => {
    const key = hash(addressKey(email));
    return [key, bySpelling ? hash(email) : key];
  };
  const q = {
    // Streamed a page at a time (keyset on the subscriber id), so that no statement stays open on the
    // connection between two awaits (better-sqlite3 refuses other statements while one iterates).
    recipients: db.prepare(`
      SELECT s.id AS subscriberId, s.email, s.name, s.lang ${RECIPIENTS_FROM} AND m.subscriber_id > ?
      ORDER BY m.subscriber_id LIMIT ${PAGE}`),
    // CROSS JOIN keeps the given ids as the outer loop: left to itself the planner scans the whole list.
    deliverable: db
      .prepare(`
        SELECT m.subscriber_id FROM json_each(?) j
        CROSS JOIN subscriptions m ON m.list_id = ? AND m.subscriber_id = j.value
        JOIN subscribers s ON s.id = m.subscriber_id
        WHERE ${DELIVERABLE}`)
      .pluck(),
    byKey: db.prepare(`${SELECT_SUBSCRIBER} WHERE s.email_key = ?`),
    byId: db.prepare(`${SELECT_SUBSCRIBER} WHERE s.id = ?`),
    byKeys: db.prepare(`${SELECT_SUBSCRIBER} WHERE s.email_key IN (SELECT value FROM json_each(?))`),
    list: db.prepare(`${SELECT_SUBSCRIBER}
      WHERE s.id > @after AND (@status IS NULL OR s.status = @status)
        AND (@list IS NULL OR EXISTS (
          SELECT 1 FROM subscriptions m
          WHERE m.subscriber_id = s.id AND m.list_id = @list AND m.status <> 'unsubscribed'))
      ORDER BY s.id LIMIT ${PAGE}`),
    idByKey: db.prepare('SELECT id FROM subscribers WHERE email_key = ?').pluck(),
    history: db.prepare(
      'SELECT at, kind, list_id, source, ip, detail FROM subscriber_events WHERE subscriber_id = ? ORDER BY id',
    ),
    awaitingConfirmation: db.prepare(`
      SELECT s.id, s.email, s.lang, json_group_array(json_array(m.list_id, m.updated_at, (
        SELECT max(e.at) FROM subscriber_events e
        WHERE e.subscriber_id = s.id AND e.list_id = m.list_id AND e.kind = '${CONFIRMATION_SENT}'
      ))) AS lists
      FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
      WHERE m.status = 'pending' AND s.status IN ('pending', 'confirmed')
        AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.hash = s.email_hash)
      GROUP BY s.id
      ORDER BY s.id`),
    suppression: db.prepare(
      `SELECT reason, created_at FROM suppressions WHERE hash IN (?, ?) ORDER BY ${rank('reason')} DESC LIMIT 1`,
    ),
    insert: db.prepare(`
      INSERT INTO subscribers (${NEW_SUBSCRIBER_COLUMNS.join(', ')}, created_at, updated_at)
      VALUES (${[...NEW_SUBSCRIBER_COLUMNS, 'created_at', 'updated_at'].map(() => '?').join(', ')})`),
    addSubscription: db.prepare(
      'INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    setSubscription: db.prepare(`
      INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
      WHERE status <> excluded.status`),
    event: db.prepare(`
      INSERT INTO subscriber_events (subscriber_id, at, kind, list_id, source, ip, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    // A weaker reason never replaces a stronger one: a complaint stays a complaint after an
    // unsubscription or erasure (only "unsubscribed" and "erased" let a person come back by the form).
    suppress: db.prepare(`
      INSERT INTO suppressions (hash, reason, created_at) VALUES (@hash, @reason, @now)
      ON CONFLICT (hash) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at
      WHERE ${rank('excluded.reason')} > ${rank('reason')}`),
    suppressions: db.prepare(
      'SELECT hash, reason, created_at FROM suppressions WHERE hash IN (SELECT value FROM json_each(?))',
    ),
    unsuppress: db.prepare('DELETE FROM suppressions WHERE hash IN (?, ?)'),
    anySuppression: db.prepare('SELECT 1 FROM suppressions LIMIT 1'),
    erase: db.prepare('DELETE FROM subscribers WHERE id = ?'),
  };
  const updates = new Map<string, Database.Statement>();

  // The writes, synchronous: markUndeliverable combines them in one transaction of its own.
  const update = (subscriberId: number, changes: SubscriberChanges, now: Date) => {
    const columns = changedColumns(changes);
    const key = columns.map(([c]) => c).join(',');
    let statement = updates.get(key);
    if (!statement) {
      const set = [...columns.map(([c]) => `${c} = ?`), 'updated_at = ?'].join(', ');
      statement = db.prepare(`UPDATE subscribers SET ${set} WHERE id = ?`);
      updates.set(key, statement);
    }
    statement.run(...columns.map(([, v]) => v), iso(now), subscriberId);
  };
  const addEvent = (subscriberId: number, e: NewEvent, now: Date) => {
    q.event.run(
      subscriberId,
      iso(now),
      e.kind,
      e.listId ?? null,
      e.source ?? null,
      e.ip ?? null,
      e.detail ?? null,
    );
  };
  const suppress = (email: string, reason: SuppressionReason, now: Date) => {
    q.suppress.run({ hash: hash(addressKey(email)), reason, now: iso(now) });
  };
  const deliverable = (listId: string, subscriberIds: readonly number[]) =>
    new Set(q.deliverable.all(JSON.stringify(subscriberIds), listId) as number[]);
  // Nested in a store transaction, better-sqlite3 makes this a savepoint.
  const markUndeliverable = db.transaction(
    (email: string, status: 'bounced' | 'complained', detail: string, now: Date) => {
      const id = q.idByKey.get(addressKey(email)) as number | undefined;
      if (id !== undefined) {
        update(id, { status, statusDetail: detail }, now);
        addEvent(id, { kind: status, source: 'delivery', detail }, now);
      }
      suppress(email, status, now);
    },
  );

  // All or nothing, and one commit for the lot (a savepoint inside a store transaction).
  const insertMany = db.transaction(
    (entries: Parameters<SubscriberRepo['insertMany']>[0], now: Date): number[] => {
      const at = iso(now);
      return entries.map(({ subscriber: s, lists }) => {
        const info = q.insert.run(...newSubscriberValues(s, hash), at, at);
        const id = Number(info.lastInsertRowid);
        for (const l of lists) q.addSubscription.run(l.listId, id, l.status, at, at);
        return id;
      });
    },
  );

  /** Streams a paged read, each page one statement run to completion. */
  async function* pages<T>(read: (after: number) => T[], id: (row: T) => number): AsyncGenerator<T> {
    let after = 0;
    for (;;) {
      const rows = read(after);
      yield* rows;
      if (rows.length < PAGE) return;
      after = id(rows[rows.length - 1]!);
    }
  }

  const repo: SubscriberRepo = {
    recipients(listId) {
      return pages(
        (after) => q.recipients.all(listId, after) as Recipient[],
        (r) => r.subscriberId,
      );
    },
    async isDeliverable(subscriberId, listId) {
      return deliverable(listId, [subscriberId]).has(subscriberId);
    },
    async deliverable(listId, subscriberIds) {
      return deliverable(listId, subscriberIds);
    },
    async markBounced(email, detail, now) {
      markUndeliverable.immediate(email, 'bounced', detail, now);
    },
    async markComplained(email, detail, now) {
      markUndeliverable.immediate(email, 'complained', detail, now);
    },
    async find(email) {
      const row = q.byKey.get(addressKey(email)) as SqliteRow | undefined;
      return row && read(row);
    },
    async findMany(keys) {
      const found = new Map<string, Subscriber>();
      // In slices, each one query: far cheaper than one query per address.
      for (let i = 0; i < keys.length; i += 1000) {
        for (const row of q.byKeys.all(JSON.stringify(keys.slice(i, i + 1000)))) {
          const r = row as SqliteRow & { email_key: string };
          found.set(r.email_key, read(r));
        }
      }
      return found;
    },
    async get(id) {
      const row = q.byId.get(id) as SqliteRow | undefined;
      return row && read(row);
    },
    async *list(filter: SubscriberFilter = {}) {
      const status = filter.status ?? null;
      const list = filter.listId ?? null;
      for await (const row of pages(
        (after) => q.list.all({ status, list, after }) as SqliteRow[],
        (r) => Number(r.id),
      ))
        yield read(row);
    },
    async history(subscriberId) {
      return (q.history.all(subscriberId) as EventRow[]).map(toEvent);
    },
    async awaitingConfirmation() {
      return (q.awaitingConfirmation.all() as (Omit<AwaitingRow, 'lists'> & { lists: string })[]).map((row) =>
        toAwaiting({ ...row, lists: JSON.parse(row.lists) as AwaitingRow['lists'] }),
      );
    },
    async suppression(email) {
      const row = q.suppression.get(...suppressionHashes(email)) as
        | { reason: Suppression['reason']; created_at: string }
        | undefined;
      return row && { reason: row.reason, since: new Date(row.created_at) };
    },
    async suppressions(emails) {
      return suppressionsInBulk(
        emails,
        suppressionHashes,
        {
          any: () => q.anySuppression.get() !== undefined,
          rows: (hashes) => q.suppressions.all(JSON.stringify(hashes)) as SuppressionRow[],
        },
        1000,
      );
    },
    async insertMany(entries, now) {
      return insertMany.immediate(entries, now);
    },
    async refreshStatistics() {
      // Nothing to do: SQLite reads these joins by their indexes whatever the sizes.
    },
    async update(subscriberId, changes, now) {
      update(subscriberId, changes, now);
    },
    async setSubscription(subscriberId, listId, status, now) {
      q.setSubscription.run(listId, subscriberId, status, iso(now), iso(now));
    },
    async addEvent(subscriberId, e, now) {
      addEvent(subscriberId, e, now);
    },
    async suppress(email, reason, now) {
      suppress(email, reason, now);
    },
    async unsuppress(email) {
      q.unsuppress.run(...suppressionHashes(email));
    },
    async erase(subscriberId) {
      q.erase.run(subscriberId);
    },
  };

  return repo;
}
