import type Database from 'better-sqlite3';
import type {
  BounceCounts,
  BouncedDelivery,
  BounceEvent,
  BounceEventType,
  BounceRates,
  BounceRepo,
} from '../bounce-types.js';

interface EventRow {
  key: string;
  dispatch_id: number;
  subscriber_id: number;
  type: BounceEventType;
  status: string | null;
  detail: string | null;
  source: string;
  at: number;
}

const DELIVERY = `SELECT d.dispatch_id AS dispatchId, d.subscriber_id AS subscriberId, d.email, p.list_id AS listId,
  p.release_id AS releaseId, d.message_id AS messageId
  FROM deliveries d JOIN dispatches p ON p.id = d.dispatch_id`;

// The receiving domain of a delivery's address (lower case).
const DOMAIN = `lower(substr(d.email, instr(d.email, '@') + 1))`;

export function createSqliteBounces(db: Database.Database): BounceRepo {
  const q = {
    delivery: db.prepare(`${DELIVERY} WHERE d.dispatch_id = ? AND d.subscriber_id = ?`),
    byMessageId: db.prepare(
      `${DELIVERY} WHERE d.message_id = @id AND (@email IS NULL OR lower(d.email) = lower(@email)) LIMIT 1`,
    ),
    latest: db.prepare(
      `${DELIVERY} WHERE d.subscriber_id = (SELECT id FROM subscribers WHERE email = ?)
       AND d.status = 'sent' ORDER BY d.sent_at DESC LIMIT 1`,
    ),
    seen: db.prepare('SELECT 1 FROM bounce_events WHERE key = ?').pluck(),
    record: db.prepare(
      `INSERT INTO bounce_events (key, dispatch_id, subscriber_id, type, status, detail, source, at)
       VALUES (@key, @dispatchId, @subscriberId, @type, @status, @detail, @source, @at)
       ON CONFLICT (key) DO NOTHING`,
    ),
    countSince: db
      .prepare('SELECT count(*) FROM bounce_events WHERE subscriber_id = ? AND type = ? AND at >= ?')
      .pluck(),
    events: db.prepare('SELECT * FROM bounce_events WHERE subscriber_id = ? ORDER BY at, id'),
    dispatchCounts: db.prepare(
      'SELECT type, count(DISTINCT subscriber_id) AS n FROM bounce_events WHERE dispatch_id = ? GROUP BY type',
    ),
    sent: db.prepare(
      `SELECT p.list_id AS listId, ${DOMAIN} AS domain, count(*) AS n
       FROM deliveries d JOIN dispatches p ON p.id = d.dispatch_id
       WHERE p.transport = 'smtp' AND p.planned_at >= ? AND d.status = 'sent' AND d.email != ''
       GROUP BY 1, 2`,
    ),
    eventCounts: db.prepare(
      `SELECT p.list_id AS listId, ${DOMAIN} AS domain, e.type AS type, count(DISTINCT e.dispatch_id || '.' || e.subscriber_id) AS n
       FROM bounce_events e JOIN dispatches p ON p.id = e.dispatch_id
       JOIN deliveries d ON d.dispatch_id = e.dispatch_id AND d.subscriber_id = e.subscriber_id
       WHERE p.transport = 'smtp' AND p.planned_at >= ? AND e.type != 'delayed'
       GROUP BY 1, 2, 3`,
    ),
  };
  const toEvent = (r: EventRow): BounceEvent => ({
    key: r.key,
    dispatchId: r.dispatch_id,
    subscriberId: r.subscriber_id,
    type: r.type,
    status: r.status,
    detail: r.detail,
    source: r.source,
    at: new Date(r.at),
  });
  return {
    async delivery(dispatchId, subscriberId) {
      return q.delivery.get(dispatchId, subscriberId) as BouncedDelivery | undefined;
    },
    async deliveryByMessageId(messageId, email) {
      return q.byMessageId.get({ id: messageId, email: email ?? null }) as BouncedDelivery | undefined;
    },
    async latestDelivery(email) {
      return q.latest.get(email) as BouncedDelivery | undefined;
    },
    async seen(key) {
      return q.seen.get(key) !== undefined;
    },
    async record(e) {
      return q.record.run({ ...e, at: e.at.getTime() }).changes === 1;
    },
    async countSince(subscriberId, type, since) {
      return q.countSince.get(subscriberId, type, since.getTime()) as number;
    },
    async events(subscriberId) {
      return (q.events.all(subscriberId) as EventRow[]).map(toEvent);
    },
    async dispatchCounts(dispatchId) {
      const counts: BounceCounts = { hard: 0, soft: 0, complaint: 0, delayed: 0 };
      for (const r of q.dispatchCounts.all(dispatchId) as { type: BounceEventType; n: number }[])
        counts[r.type] = r.n;
      return counts;
    },
    async rates(since) {
      const domains = new Map<string, BounceRates>();
      const lists = new Map<string, BounceRates>();
      const line = (map: Map<string, BounceRates>, listId: string, domain?: string) => {
        const key = `${listId}\n${domain ?? ''}`;
        let r = map.get(key);
        if (!r) {
          r = {
            listId,
            ...(domain !== undefined ? { domain } : {}),
            sent: 0,
            hard: 0,
            soft: 0,
            complaint: 0,
          };
          map.set(key, r);
        }
        return r;
      };
      for (const r of q.sent.all(since.getTime()) as { listId: string; domain: string; n: number }[]) {
        line(domains, r.listId, r.domain).sent += r.n;
        line(lists, r.listId).sent += r.n;
      }
      for (const r of q.eventCounts.all(since.getTime()) as {
        listId: string;
        domain: string;
        type: Exclude<BounceEventType, 'delayed'>;
        n: number;
      }[]) {
        line(domains, r.listId, r.domain)[r.type] += r.n;
        line(lists, r.listId)[r.type] += r.n;
      }
      const order = (a: BounceRates, b: BounceRates) =>
        a.listId.localeCompare(b.listId) || b.sent - a.sent || (a.domain ?? '').localeCompare(b.domain ?? '');
      return { lists: [...lists.values()].sort(order), domains: [...domains.values()].sort(order) };
    },
  };
}
