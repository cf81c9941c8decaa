import { addressHasher } from '../address-hash.js';
import { addressKey } from '../../subscribers/email.js';
import {
  type AwaitingRow,
  changedColumns,
  DELIVERABLE,
  type EventRow,
  iso,
  newSubscriberValues,
  rank,
  type SubscriberRow,
  suppressionsInBulk,
  toAwaiting,
  toEvent,
  toSubscriber,
} from '../subscriber-rows.js';
import {
  CONFIRMATION_SENT,
  type Recipient,
  type SubscriberRepo,
  type Suppression,
} from '../subscriber-types.js';
import { prepared, type Sql } from './sql.js';

const SELECT_SUBSCRIBER = `
  SELECT s.*, (
    SELECT coalesce(json_agg(json_build_array(list_id, status, created_at, updated_at) ORDER BY list_id), '[]')
    FROM subscriptions WHERE subscriber_id = s.id
  ) AS subscriptions
  FROM subscribers s`;

const RECIPIENTS = `
  SELECT s.id AS "subscriberId", s.email, s.name, s.lang
  FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
  WHERE m.list_id = $1 AND ${DELIVERABLE}
  ORDER BY m.subscriber_id`;

const LIST = `${SELECT_SUBSCRIBER}
  WHERE ($1::text IS NULL OR s.status = $1)
    AND ($2::text IS NULL OR EXISTS (
      SELECT 1 FROM subscriptions m
      WHERE m.subscriber_id = s.id AND m.list_id = $2 AND m.status <> 'unsubscribed'))
  ORDER BY s.id`;

const AWAITING = `
  SELECT s.id, s.email, s.lang, json_agg(json_build_array(m.list_id, m.updated_at, (
    SELECT max(e.at) FROM subscriber_events e
    WHERE e.subscriber_id = s.id AND e.list_id = m.list_id AND e.kind = '${CONFIRMATION_SENT}'
  ))) AS lists
  FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
  WHERE m.status = 'pending' AND s.status IN ('pending', 'confirmed')
    AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.hash = s.email_hash)
  GROUP BY s.id
  ORDER BY s.id`;

// One array per column, unnested into rows: a statement carries thousands of subscribers with a
// dozen parameters, where a multi-row VALUES would need a dozen per row (and PostgreSQL allows 65,535).
// The subscribers and their memberships in one statement: each membership finds its subscriber's new
// id by the address key (the server numbers the rows; nothing is reserved first).
const INSERT_SUBSCRIBERS = `
  WITH added AS (
    INSERT INTO subscribers (email, email_key, email_hash, name, lang, status, consent_source, consent_at,
      consent_ip, consent_detail, confirmed_at, created_at, updated_at)
    SELECT u.*, $12, $12 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) AS u
    RETURNING id, email_key
  ), memberships AS (
    INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at)
    SELECT m.list_id, a.id, m.status, $12, $12
    FROM unnest($13::text[], $14::text[], $15::text[]) AS m(email_key, list_id, status)
    JOIN added a ON a.email_key = m.email_key
  )
  SELECT id, email_key FROM added`;
/** Rows per bulk statement: large enough that round trips do not count, small enough to stay lean. */
const BULK = 10_000;

/**
 * The subscriber repository on PostgreSQL, the same as SQLite's (`sqlite/subscribers.ts`) method for
 * method; `secret` keys the suppression hashes. `sql` is the store's pool or one transaction.
 */
export function createPostgresSubscribers(sql: Sql, secret: string): SubscriberRepo {
  const hash = addressHasher(secret);
  let bySpelling: Promise<boolean> | undefined;
  /**
   * The hashes an address may be suppressed under (see the SQLite repository): its key's, and in a
   * database copied from an SQLite one from before the key, its spelling's.
   */
  const hashesOf = async (): Promise<(email: string) => [string, string]> => {
    bySpelling ??= sql
      .rows("SELECT 1 FROM meta WHERE key = 'suppressions-by-spelling'")
      .then((rows) => rows.length > 0)
      .catch((e) => {
        bySpelling = undefined;
        throw e;
      });
    const spelling = await bySpelling;
    return (email) => {
      const key = hash(addressKey(email));
      return [key, spelling ? hash(email) : key];
    };
  };

  const repo: SubscriberRepo = {
    async *recipients(listId) {
      for await (const r of sql.cursor<Recipient & { subscriberId: string }>(RECIPIENTS, [listId]))
        yield { ...r, subscriberId: Number(r.subscriberId) };
    },
    async isDeliverable(subscriberId, listId) {
      return (await repo.deliverable(listId, [subscriberId])).has(subscriberId);
    },
    async deliverable(listId, subscriberIds) {
      if (!subscriberIds.length) return new Set();
      const rows = await sql.rows<{ id: string }>(
        prepared(
          'deliverable',
          `SELECT m.subscriber_id AS id FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
           WHERE m.list_id = $1 AND m.subscriber_id = ANY($2::bigint[]) AND ${DELIVERABLE}`,
        ),
        [listId, subscriberIds],
      );
      return new Set(rows.map((r) => Number(r.id)));
    },
    markBounced(email, detail, now) {
      return markUndeliverable(email, 'bounced', detail, now);
    },
    markComplained(email, detail, now) {
      return markUndeliverable(email, 'complained', detail, now);
    },
    async find(email) {
      const [row] = await sql.rows<SubscriberRow>(`${SELECT_SUBSCRIBER} WHERE s.email_key = $1`, [
        addressKey(email),
      ]);
      return row && toSubscriber(row);
    },
    async findMany(keys) {
      const found = new Map<string, ReturnType<typeof toSubscriber>>();
      // A newsroom's first import (a million addresses, say) has nobody to look up.
      if (!keys.length || !(await sql.rows('SELECT 1 FROM subscribers LIMIT 1')).length) return found;
      for (let i = 0; i < keys.length; i += BULK) {
        const rows = await sql.rows<SubscriberRow & { email_key: string }>(
          `${SELECT_SUBSCRIBER} WHERE s.email_key = ANY($1::text[])`,
          [keys.slice(i, i + BULK)],
        );
        for (const row of rows) found.set(row.email_key, toSubscriber(row));
      }
      return found;
    },
    async get(id) {
      const [row] = await sql.rows<SubscriberRow>(`${SELECT_SUBSCRIBER} WHERE s.id = $1`, [id]);
      return row && toSubscriber(row);
    },
    async *list(filter = {}) {
      for await (const row of sql.cursor<SubscriberRow>(LIST, [filter.status ?? null, filter.listId ?? null]))
        yield toSubscriber(row);
    },
    async history(subscriberId) {
      const rows = await sql.rows<EventRow>(
        'SELECT at, kind, list_id, source, ip, detail FROM subscriber_events WHERE subscriber_id = $1 ORDER BY id',
        [subscriberId],
      );
      return rows.map(toEvent);
    },
    async awaitingConfirmation() {
      return (await sql.rows<AwaitingRow>(AWAITING)).map(toAwaiting);
    },
    async suppression(email) {
      const [row] = await sql.rows<{ reason: Suppression['reason']; created_at: string }>(
        `SELECT reason, created_at FROM suppressions WHERE hash IN ($1, $2) ORDER BY ${rank('reason')} DESC LIMIT 1`,
        (await hashesOf())(email),
      );
      return row && { reason: row.reason, since: new Date(row.created_at) };
    },
    async suppressions(emails) {
      return suppressionsInBulk(
        emails,
        await hashesOf(),
        {
          any: async () => (await sql.rows('SELECT 1 FROM suppressions LIMIT 1')).length > 0,
          rows: (hashes) =>
            sql.rows('SELECT hash, reason, created_at FROM suppressions WHERE hash = ANY($1::text[])', [
              hashes,
            ]),
        },
        BULK,
      );
    },
    async insertMany(entries, now) {
      if (!entries.length) return [];
      const at = iso(now);
      // All of them or none, in the caller's transaction when there is one (then as a savepoint).
      return sql.transaction(async (tx) => {
        const ids: number[] = new Array(entries.length);
        // Each slice is made while the server inserts the one before (one statement at a time on the
        // connection, as pg wants it): the CPU work of both sides overlaps.
        let previous: Promise<unknown> = Promise.resolve();
        for (let i = 0; i < entries.length; i += BULK) {
          const slice = entries.slice(i, i + BULK);
          const columns: (string | null)[][] = Array.from({ length: 11 }, () => []);
          const lists: [string[], string[], string[]] = [[], [], []];
          const position = new Map<string, number>();
          slice.forEach(({ subscriber: s, lists: memberships }, j) => {
            const row = newSubscriberValues(s, hash);
            const key = row[1]!;
            position.set(key, i + j);
            for (const [k, v] of row.entries()) columns[k]!.push(v);
            for (const m of memberships) {
              lists[0].push(key);
              lists[1].push(m.listId);
              lists[2].push(m.status);
            }
          });
          await previous;
          previous = tx
            .rows<{ id: string; email_key: string }>(INSERT_SUBSCRIBERS, [...columns, at, ...lists])
            .then((rows) => {
              for (const r of rows) ids[position.get(r.email_key)!] = Number(r.id);
            });
          previous.catch(() => {}); // awaited with the next slice; until then a failure is not unhandled
        }
        await previous;
        return ids;
      });
    },
    async update(subscriberId, changes, now) {
      const columns = changedColumns(changes);
      const set = [...columns.map(([c], i) => `${c} = $${i + 1}`), `updated_at = $${columns.length + 1}`];
      await sql.run(`UPDATE subscribers SET ${set.join(', ')} WHERE id = $${columns.length + 2}`, [
        ...columns.map(([, v]) => v),
        iso(now),
        subscriberId,
      ]);
    },
    async setSubscription(subscriberId, listId, status, now) {
      await sql.run(
        `INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
         WHERE subscriptions.status <> EXCLUDED.status`,
        [listId, subscriberId, status, iso(now)],
      );
    },
    async addEvent(subscriberId, e, now) {
      await sql.run(
        `INSERT INTO subscriber_events (subscriber_id, at, kind, list_id, source, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [subscriberId, iso(now), e.kind, e.listId ?? null, e.source ?? null, e.ip ?? null, e.detail ?? null],
      );
    },
    async suppress(email, reason, now) {
      await sql.run(
        `INSERT INTO suppressions (hash, reason, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (hash) DO UPDATE SET reason = EXCLUDED.reason, created_at = EXCLUDED.created_at
         WHERE ${rank('EXCLUDED.reason')} > ${rank('suppressions.reason')}`,
        [hash(addressKey(email)), reason, iso(now)],
      );
    },
    async unsuppress(email) {
      await sql.run('DELETE FROM suppressions WHERE hash IN ($1, $2)', (await hashesOf())(email));
    },
    async erase(subscriberId) {
      // The triggers of migration 001 and 002 take the address out of the ledger and the bounce events.
      await sql.run('DELETE FROM subscribers WHERE id = $1', [subscriberId]);
    },
  };

  function markUndeliverable(email: string, status: 'bounced' | 'complained', detail: string, now: Date) {
    return sql.transaction(async (tx) => {
      const r = createPostgresSubscribers(tx, secret);
      const [row] = await tx.rows<{ id: string }>('SELECT id FROM subscribers WHERE email_key = $1', [
        addressKey(email),
      ]);
      if (row) {
        const id = Number(row.id);
        await r.update(id, { status, statusDetail: detail }, now);
        await r.addEvent(id, { kind: status, source: 'delivery', detail }, now);
      }
      await r.suppress(email, status, now);
    });
  }

  return repo;
}
