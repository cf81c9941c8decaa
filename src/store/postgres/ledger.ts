import { randomUUID } from 'node:crypto';
import { DELIVERABLE } from '../subscriber-rows.js';
import { report } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';
import {
  DELIVERY_STATUSES,
  type DeliveryCounts,
  type DeliveryProblem,
  type DeliveryStatus,
  type DueDelivery,
  type LedgerRecipient,
  type LedgerRepo,
  type MessageIdDomain,
  type NewDispatch,
  type RecipientSource,
} from '../ledger-types.js';
import { type DispatchRow, type HolderRow, newDispatchValues, toDispatch, toHolder } from '../ledger-rows.js';
import { prepared, type Sql } from './sql.js';

/** bigint columns come back from pg as strings: every number read goes through `Number`. */
type Big = string | number;

interface WorkerRow extends HolderRow {
  fence: Big;
  expires_at: Big;
}

interface DueRow {
  subscriber_id: Big;
  email: string;
  name: string | null;
  attempts: number;
  message_id: string | null;
}

/**
 * A planned recipient's Message-ID, made by the server, or none without a domain (`$2`): UUID-shaped,
 * `<` + a random prefix per statement (`$prefix`, 24 characters of a UUID) + the subscriber id (`id`)
 * as 12 hex digits + `@domain>`. Unique as a random UUID is, and the ids of one plan follow each other,
 * so the index of a million new rows grows at one end instead of taking random inserts everywhere (they
 * were most of the time of planning).
 */
const messageId = (id: string, prefix: string) =>
  `CASE WHEN $2::text IS NULL THEN NULL ELSE '<' || ${prefix}::text || lpad(to_hex(${id}), 12, '0') || '@' || $2::text || '>' END`;
const idPrefix = () => randomUUID().slice(0, 24);

/** A row no live worker has reserved: free, or this worker's own (`$fence`), or a dead lease's. */
const FREE = (fence: string, now: string) => `(d.claim_fence IS NULL OR d.claim_fence = ${fence}
  OR NOT EXISTS (SELECT 1 FROM dispatch_workers w WHERE w.fence = d.claim_fence AND w.expires_at > ${now}))`;

/** A row this worker holds: reserved by its lease (`$2`), or, without a lease, one no live lease holds. */
const HELD = `(d.claim_fence = $2 OR ($2::bigint IS NULL AND ${FREE('$2', '$3')}))`;

const INTERRUPTED = 'interrupted while the message was with the transport: it may or may not have been sent';

/**
 * The rows a dead worker left `sending` become `uncertain` (their message was with the transport), or
 * `pending` again over the outbox (which rewrites the same file for the same Message-ID). `$1`: now;
 * `dead` picks the claims' fences. Returns the uncertain count per dispatch.
 */
const INTERRUPT = (dead: string) => `
  WITH u AS (
    UPDATE deliveries d
    SET status = CASE WHEN x.transport = 'outbox' THEN 'pending' ELSE 'uncertain' END,
      claim_fence = NULL, updated_at = $1,
      last_reply = CASE WHEN x.transport = 'outbox' THEN d.last_reply ELSE '${INTERRUPTED}' END
    FROM dispatches x
    WHERE x.id = d.dispatch_id AND x.state <> 'done' AND d.status = 'sending' AND ${dead}
    RETURNING d.dispatch_id, d.status
  )
  SELECT dispatch_id, count(*)::int AS n FROM u WHERE status = 'uncertain' GROUP BY dispatch_id`;

/**
 * The ledger on PostgreSQL. Any number of workers (processes, machines) send the same dispatches at
 * once, each under a lease of its own (a `dispatch_workers` row with a fence number): `due` reserves
 * rows for the lease (`FOR UPDATE SKIP LOCKED`, so that each worker gets others), and `record` claims
 * and commits only rows reserved by the lease, only while the lease lives, in one statement. A worker
 * that froze past its lease, whose rows went to others, can so neither claim nor record anything: it
 * gets `dispatch-lease-lost` and must stop.
 */
export function createPostgresLedger(sql: Sql): LedgerRepo {
  /** This repository's own lease, once `acquireLock` took it. */
  let lease: { token: string; fence: number } | undefined;
  /** The time this worker last passed in (`nextRetryAt` is given none): which leases it saw alive. */
  let seen = 0;
  /**
   * The fence of this repository's lease. Without one (a caller that never took a lease, such as a
   * test of the repository alone), `due` and `record` work as on SQLite: nothing reserved or fenced,
   * and only rows no live lease holds.
   */
  const myFence = () => lease?.fence ?? null;
  const leaseLost = async (fence: number, now: Date): Promise<never> => {
    const row = (
      await sql.rows<{ expires_at: Big }>('SELECT expires_at FROM dispatch_workers WHERE fence = $1', [fence])
    )[0];
    throw new ScsError(
      [
        report('dispatch-lease-lost', {
          expired: row ? new Date(Number(row.expires_at)).toISOString() : 'ended by another worker',
          now: now.toISOString(),
        }),
      ],
      1,
    );
  };
  const isLive = async (fence: number, now: Date) =>
    (
      await sql.rows('SELECT 1 FROM dispatch_workers WHERE fence = $1 AND expires_at > $2', [
        fence,
        now.getTime(),
      ])
    ).length === 1;

  /**
   * Inserts the source's recipients not in the dispatch yet as `pending` rows, in one statement, in the
   * order of subscriber ids (the primary key's order); returns how many. Into a dispatch just
   * made (`fresh`), a list or a sent dispatch cannot repeat anyone, so no conflict check is paid per row.
   */
  const insertRecipients = async (
    tx: Sql,
    dispatchId: number,
    source: RecipientSource,
    at: number,
    domain: MessageIdDomain | undefined,
    fresh: boolean,
  ): Promise<number> => {
    const head = `INSERT INTO deliveries (dispatch_id, subscriber_id, email, name, status, message_id, updated_at)`;
    const values = [dispatchId, domain ?? null, at, idPrefix()];
    const conflict = fresh ? '' : 'ON CONFLICT DO NOTHING';
    let added: number;
    if ('list' in source) {
      added = await tx.run(
        `${head}
         SELECT $1, s.id, s.email, s.name, 'pending', ${messageId('s.id', '$4')}, $3
         FROM subscriptions m JOIN subscribers s ON s.id = m.subscriber_id
         WHERE m.list_id = $5 AND ${DELIVERABLE}
         ORDER BY s.id ${conflict}`,
        [...values, source.list],
      );
    } else if ('sentIn' in source) {
      added = await tx.run(
        `${head}
         SELECT $1, d.subscriber_id, d.email, d.name, 'pending', ${messageId('d.subscriber_id', '$4')}, $3
         FROM deliveries d WHERE d.dispatch_id = $5 AND d.status = 'sent' AND d.email <> ''
         ORDER BY d.subscriber_id ${conflict}`,
        [...values, source.sentIn],
      );
    } else {
      // A caller's list may name someone twice: always checked.
      const r = source.recipients;
      added = await tx.run(
        `${head}
         SELECT $1, r.id, r.email, r.name, 'pending', ${messageId('r.id', '$4')}, $3
         FROM unnest($5::bigint[], $6::text[], $7::text[]) AS r(id, email, name)
         ORDER BY r.id ON CONFLICT DO NOTHING`,
        [...values, r.map((x) => x.subscriberId), r.map((x) => x.email), r.map((x) => x.name)],
      );
    }
    await tx.run('UPDATE dispatches SET total = total + $1 WHERE id = $2', [added, dispatchId]);
    return added;
  };

  const getOn = async (on: Sql, dispatchId: number) => {
    const row = (await on.rows<DispatchRow>('SELECT * FROM dispatches WHERE id = $1', [dispatchId]))[0];
    return row && toDispatch(row);
  };
  const findOn = async (on: Sql, key: Parameters<LedgerRepo['find']>[0]) => {
    const row = (
      await on.rows<DispatchRow>(
        'SELECT * FROM dispatches WHERE release_id = $1 AND list_id = $2 AND transport = $3 AND kind = $4 AND variant = $5',
        [key.releaseId, key.listId, key.transport, key.kind ?? 'newsletter', key.variant ?? ''],
      )
    )[0];
    return row && toDispatch(row);
  };

  return {
    find: (key) => findOn(sql, key),
    get: (dispatchId) => getOn(sql, dispatchId),
    async list(filter = {}) {
      const rows = await sql.rows<DispatchRow>(
        `SELECT * FROM dispatches WHERE $1::text[] IS NULL OR release_id = ANY($1::text[])
         ORDER BY planned_at DESC, id DESC`,
        [filter.releaseIds ? [...filter.releaseIds] : null],
      );
      return rows.map(toDispatch);
    },
    async createDispatch(dispatch: NewDispatch, recipients, now, messageIdDomain) {
      const at = now.getTime();
      const id = await sql.transaction(async (tx) => {
        // Of two runners planning the same dispatch at once, the second waits here for the first to
        // commit, inserts nothing, and takes the first one's dispatch.
        const inserted = await tx.rows<{ id: Big }>(
          `INSERT INTO dispatches (release_id, lang, list_id, transport, kind, variant, detail, covers,
             subject, release_hash, state, total, planned_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 0, $11)
           ON CONFLICT (release_id, list_id, transport, kind, variant) DO NOTHING RETURNING id`,
          newDispatchValues(dispatch, at),
        );
        if (!inserted[0]) return undefined;
        const dispatchId = Number(inserted[0].id);
        await insertRecipients(tx, dispatchId, recipients, at, messageIdDomain, true);
        return dispatchId;
      });
      const planned = id === undefined ? await findOn(sql, dispatch) : await getOn(sql, id);
      if (!planned) throw new Error(`the dispatch of ${dispatch.releaseId} to ${dispatch.listId} vanished`);
      return planned;
    },
    addRecipients(dispatchId, recipients, now, messageIdDomain) {
      return sql.transaction((tx) =>
        insertRecipients(tx, dispatchId, recipients, now.getTime(), messageIdDomain, false),
      );
    },
    async sentRecipients(dispatchId) {
      const rows = await sql.rows<{ subscriber_id: Big; email: string; name: string | null }>(
        `SELECT subscriber_id, email, name FROM deliveries
         WHERE dispatch_id = $1 AND status = 'sent' AND email <> '' ORDER BY subscriber_id`,
        [dispatchId],
      );
      return rows.map(
        (r): LedgerRecipient => ({
          subscriberId: Number(r.subscriber_id),
          email: r.email,
          name: r.name,
        }),
      );
    },
    async counts(dispatchId) {
      const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
      const rows = await sql.rows<{ status: DeliveryStatus; n: number }>(
        'SELECT status, count(*)::int AS n FROM deliveries WHERE dispatch_id = $1 GROUP BY status',
        [dispatchId],
      );
      for (const r of rows) counts[r.status] = r.n;
      return counts;
    },
    async problems(dispatchId, limit) {
      const rows = await sql.rows<{
        subscriber_id: Big;
        email: string;
        status: DeliveryStatus;
        attempts: number;
        last_reply: string | null;
        message_id: string | null;
        updated_at: Big;
      }>(
        `SELECT subscriber_id, email, status, attempts, last_reply, message_id, updated_at FROM deliveries
         WHERE dispatch_id = $1 AND (status IN ('failed', 'uncertain') OR (status = 'pending' AND attempts > 0))
         ORDER BY updated_at DESC, subscriber_id LIMIT $2`,
        [dispatchId, limit],
      );
      return rows.map(
        (r): DeliveryProblem => ({
          subscriberId: Number(r.subscriber_id),
          email: r.email,
          status: r.status,
          attempts: r.attempts,
          reply: r.last_reply,
          messageId: r.message_id,
          at: new Date(Number(r.updated_at)),
        }),
      );
    },
    async markInterrupted(now) {
      // Only rows no live lease claimed: a live worker's messages in flight are its own business.
      const rows = await sql.rows<{ dispatch_id: Big; n: number }>(
        INTERRUPT(`(d.claim_fence IS NULL OR NOT EXISTS (
          SELECT 1 FROM dispatch_workers w WHERE w.fence = d.claim_fence AND w.expires_at > $1))`),
        [now.getTime()],
      );
      return new Map(rows.map((r) => [Number(r.dispatch_id), r.n]));
    },
    requeueUncertain(dispatchId, now) {
      return sql.run(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = 0, claim_fence = NULL, updated_at = $1
         WHERE dispatch_id = $2 AND status = 'uncertain'`,
        [now.getTime(), dispatchId],
      );
    },
    assignMessageIds(dispatchId, messageIdDomain) {
      return sql.run(
        `UPDATE deliveries SET message_id = ${messageId('subscriber_id', '$3')}
         WHERE dispatch_id = $1 AND message_id IS NULL AND status IN ('pending', 'uncertain')`,
        [dispatchId, messageIdDomain, idPrefix()],
      );
    },
    async due(dispatchId, limit, now, after = 0) {
      const fence = myFence();
      seen = now.getTime();
      // Two ranges of the primary key, as on SQLite: the retries behind the sweep, then the rows past it
      // (so a sweep never walks the rows it finished with). Each reads ahead of the other workers,
      // skipping the rows they are reserving right now; the outer UPDATE reserves what it got for this
      // lease, and only while the lease lives.
      const pick = (range: string) => `
        SELECT d.subscriber_id FROM deliveries d
        WHERE d.dispatch_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= $2 AND ${range}
          AND ${FREE('$4', '$2')}
        ORDER BY d.subscriber_id LIMIT $5 FOR UPDATE SKIP LOCKED`;
      const rows = await sql.rows<DueRow>(
        prepared(
          'due',
          `WITH retries AS (${pick('d.next_attempt_at > 0 AND d.subscriber_id <= $3 AND $3 > 0')}),
              fresh AS (${pick('d.subscriber_id > $3')}),
              picked AS (SELECT subscriber_id FROM retries UNION ALL SELECT subscriber_id FROM fresh LIMIT $5)
         UPDATE deliveries d SET claim_fence = $4
         FROM picked p
         WHERE d.dispatch_id = $1 AND d.subscriber_id = p.subscriber_id
           AND ($4::bigint IS NULL
             OR EXISTS (SELECT 1 FROM dispatch_workers w WHERE w.fence = $4 AND w.expires_at > $2))
         RETURNING d.subscriber_id, d.email, d.name, d.attempts, d.message_id`,
        ),
        [dispatchId, now.getTime(), after, fence, limit],
      );
      if (!rows.length && fence !== null && !(await isLive(fence, now))) await leaseLost(fence, now);
      return rows
        .map(
          (r): DueDelivery => ({
            subscriberId: Number(r.subscriber_id),
            email: r.email,
            name: r.name,
            attempts: r.attempts,
            messageId: r.message_id,
          }),
        )
        .sort((a, b) => a.subscriberId - b.subscriberId);
    },
    async nextRetryAt(dispatchId) {
      // Only the retries this worker may take: another live worker retries its own.
      const rows = await sql.rows<{ at: Big | null }>(
        `SELECT min(d.next_attempt_at) AS at FROM deliveries d
         WHERE d.dispatch_id = $1 AND d.status = 'pending' AND d.next_attempt_at > 0 AND ${FREE('$2', '$3')}`,
        [dispatchId, myFence(), seen],
      );
      const at = rows[0]?.at ?? null;
      return at === null ? undefined : new Date(Number(at));
    },
    async record(dispatchId, outcomes, claims, now) {
      const fence = myFence();
      const at = now.getTime();
      seen = at;
      // One statement, so one short transaction inside the server: a worker frozen in the middle of it
      // (SIGSTOP) holds no lock that would keep the others from ending its lease.
      const rows = await sql.rows<{ live: boolean; claimed: Big[] | null }>(
        prepared(
          'record',
          `WITH live AS (
           SELECT fence FROM dispatch_workers WHERE fence = $2 AND expires_at > $3 FOR SHARE
         ),
         ok AS (SELECT $2::bigint IS NULL OR EXISTS (SELECT 1 FROM live) AS ok),
         outcomes AS (
           UPDATE deliveries d SET status = o.status, attempts = o.attempts, last_reply = o.reply,
             next_attempt_at = o.retry_at, updated_at = $3,
             sent_at = CASE WHEN o.status = 'sent' THEN $3 ELSE NULL END
           FROM unnest($4::bigint[], $5::text[], $6::int[], $7::text[], $8::bigint[])
             AS o(subscriber_id, status, attempts, reply, retry_at)
           WHERE d.dispatch_id = $1 AND d.subscriber_id = o.subscriber_id
             AND d.status IN ('pending', 'sending') AND ${HELD} AND (SELECT ok FROM ok)
           RETURNING 1
         ),
         claims AS (
           UPDATE deliveries d SET status = 'sending', message_id = c.message_id, updated_at = $3
           FROM unnest($9::bigint[], $10::text[]) AS c(subscriber_id, message_id)
           WHERE d.dispatch_id = $1 AND d.subscriber_id = c.subscriber_id
             AND d.status = 'pending' AND ${HELD} AND (SELECT ok FROM ok)
           RETURNING d.subscriber_id
         )
         SELECT (SELECT ok FROM ok) AS live, (SELECT array_agg(subscriber_id ORDER BY subscriber_id) FROM claims) AS claimed`,
        ),
        [
          dispatchId,
          fence,
          at,
          outcomes.map((o) => o.subscriberId),
          outcomes.map((o) => o.status),
          outcomes.map((o) => o.attempts),
          outcomes.map((o) => o.reply),
          outcomes.map((o) => o.retryAt?.getTime() ?? 0),
          claims.map((c) => c.subscriberId),
          claims.map((c) => c.messageId),
        ],
      );
      if (!rows[0]?.live) return leaseLost(fence!, now);
      return (rows[0].claimed ?? []).map(Number);
    },
    async setState(dispatchId, state, reason, now) {
      await sql.run(
        `UPDATE dispatches SET state = $1, pause_reason = $2,
           started_at = CASE WHEN $1 = 'open' THEN coalesce(started_at, $3) ELSE started_at END,
           finished_at = CASE WHEN $1 = 'done' THEN $3 ELSE NULL END
         WHERE id = $4`,
        [state, reason, now.getTime(), dispatchId],
      );
    },

    async acquireLock(holder, isStale) {
      const now = holder.heartbeatAt.getTime();
      const expires = (holder.expiresAt ?? holder.heartbeatAt).getTime();
      const { fence, gone } = await sql.transaction(async (tx) => {
        // Leases a worker is using right now (locked by its `record`) are alive: skip them.
        const rows = await tx.rows<WorkerRow>(
          'SELECT * FROM dispatch_workers ORDER BY fence FOR UPDATE SKIP LOCKED',
        );
        const gone = rows.filter((r) => Number(r.expires_at) <= now || isStale(toHolder(r)));
        if (gone.length) {
          const fences = gone.map((r) => Number(r.fence));
          await tx.run('DELETE FROM dispatch_workers WHERE fence = ANY($1::bigint[])', [fences]);
          await tx.rows(INTERRUPT('d.claim_fence = ANY($2::bigint[])'), [now, fences]);
        }
        const inserted = await tx.rows<{ fence: Big }>(
          `INSERT INTO dispatch_workers (token, pid, host, command, started_at, heartbeat_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING fence`,
          [holder.token, holder.pid, holder.host, holder.command, holder.startedAt.getTime(), now, expires],
        );
        return { fence: Number(inserted[0]!.fence), gone };
      });
      lease = { token: holder.token, fence };
      return gone[0] ? { acquired: true, tookOverFrom: toHolder(gone[0]) } : { acquired: true };
    },
    async heartbeat(token, now) {
      // The lease keeps its length; one that expired is gone for good (its rows may be others' now).
      const at = now.getTime();
      return (
        (await sql.run(
          `UPDATE dispatch_workers SET heartbeat_at = $2, expires_at = $2 + (expires_at - heartbeat_at)
           WHERE token = $1 AND expires_at > $2`,
          [token, at],
        )) === 1
      );
    },
    async releaseLock(token) {
      // Its reserved rows that are still pending are free again once the lease is gone.
      await sql.run('DELETE FROM dispatch_workers WHERE token = $1', [token]);
      if (lease?.token === token) lease = undefined;
    },
    async holders() {
      const rows = await sql.rows<WorkerRow>('SELECT * FROM dispatch_workers ORDER BY fence');
      return rows.map(toHolder);
    },
  };
}
