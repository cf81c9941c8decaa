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
import { prepared, type Sql, textArray } from './sql.js';

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

const MEMBERSHIP_COLUMNS = ['email_key', 'list_id', 'status'] as const;

/**
 * One piece of a bulk insert: the subscribers (`subscribers`, a column per NEW_SUBSCRIBER_COLUMNS) and
 * their memberships (`memberships`, per MEMBERSHIP_COLUMNS) in one statement. Each column is one array
 * parameter, unnested into rows (a multi-row VALUES would need a parameter per value, and PostgreSQL
 * allows 65,535), made here while the server inserts the piece before. A column with the same value in
 * every row (an import's consent, status and list) goes as one value: the server parses a third of the
 * arrays. Each membership finds its subscriber's new id by the address key (nothing is reserved first).
 */
function bulkInsert(subscribers: (string | null)[][], memberships: string[][], at: string) {
  const values: unknown[] = [at];
  /** The columns of one table's rows as expressions; `keyed`, the address key, is always an array. */
  const rows = (columns: readonly (string | null)[][], alias: string, keyed: number) => {
    const arrays: string[] = [];
    const picked = columns.map((column, i) => {
      if (i !== keyed && column.every((v) => v === column[0]))
        return `$${values.push(column[0] ?? null)}::text`;
      arrays.push(`$${values.push(textArray(column))}::text[]`);
      return `${alias}.c${arrays.length}`;
    });
    const names = arrays.map((_, i) => `c${i + 1}`).join(', ');
    return { picked, from: `unnest(${arrays.join(', ')}) AS ${alias}(${names})` };
  };
  const s = rows(subscribers, 'u', 1);
  const m = rows(memberships, 'm', 0);
  const text = `
    WITH added AS (
      INSERT INTO subscribers (${NEW_SUBSCRIBER_COLUMNS.join(', ')}, created_at, updated_at)
      SELECT ${s.picked.join(', ')}, $1, $1 FROM ${s.from}
      RETURNING id, email_key
    ), memberships AS (
      INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at)
      SELECT ${m.picked[1]}, a.id, ${m.picked[2]}, $1, $1 FROM ${m.from} JOIN added a ON a.email_key = ${m.picked[0]}
    )
    SELECT id, email_key FROM added`;
  return { text, values };
}
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
          const columns: (string | null)[][] = NEW_SUBSCRIBER_COLUMNS.map(() => []);
          const lists: string[][] = MEMBERSHIP_COLUMNS.map(() => []);
          const position = new Map<string, number>();
          slice.forEach(({ subscriber: s, lists: memberships }, j) => {
            const row = newSubscriberValues(s, hash);
            const key = row[1]!;
            position.set(key, i + j);
            for (const [k, v] of row.entries()) columns[k]!.push(v);
            for (const m of memberships) {
              lists[0]!.push(key);
              lists[1]!.push(m.listId);
              lists[2]!.push(m.status);
            }
          });
          const statement = bulkInsert(columns, lists, at);
          await previous;
          previous = tx
            .rows<{ id: string; email_key: string }>(statement.text, statement.values)
            .then((rows) => {
              for (const r of rows) ids[position.get(r.email_key)!] = Number(r.id);
            });
          previous.catch(() => {}); // awaited with the next slice; until then a failure is not unhandled
        }
        await previous;
        return ids;
      });
    },
    async refreshStatistics(added) {
      // What autovacuum does once a tenth of a table changed, done at once: planned with the sizes from
      // before an import of a million, a dispatch probed the subscribers one at a time (11 s, not 7).
      const before = await sql.rows<{ n: number }>(
        "SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'subscribers'::regclass",
      );
      const known = before[0]?.n ?? -1;
      if (added > 0 && (known < 0 || added * 10 >= known))
        await sql.run('ANALYZE subscribers, subscriptions');
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
