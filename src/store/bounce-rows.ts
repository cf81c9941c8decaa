import type { BounceCounts, BounceEvent, BounceEventType, BounceRates } from './bounce-types.js';

/**
 * What both stores' bounce repositories share: the `bounce_events` table is the same in both, and so
 * are the statements below (they stay inside the SQL both dialects speak) and the reading of rows.
 */

/** PostgreSQL hands bigints (ids, counts, epoch milliseconds) over as strings: each is read with Number. */
type Big = number | string;

export interface BounceEventRow {
  key: string;
  dispatch_id: Big;
  subscriber_id: Big;
  type: BounceEventType;
  status: string | null;
  detail: string | null;
  source: string;
  at: Big;
}

export const toBounceEvent = (r: BounceEventRow): BounceEvent => ({
  key: r.key,
  dispatchId: Number(r.dispatch_id),
  subscriberId: Number(r.subscriber_id),
  type: r.type,
  status: r.status,
  detail: r.detail,
  source: r.source,
  at: new Date(Number(r.at)),
});

/** A delivery as `BouncedDelivery`, its ids still to be read with Number. */
export const DELIVERY = `SELECT d.dispatch_id AS "dispatchId", d.subscriber_id AS "subscriberId", d.email,
  p.list_id AS "listId", p.release_id AS "releaseId", d.message_id AS "messageId"
  FROM deliveries d JOIN dispatches p ON p.id = d.dispatch_id`;

/** Messages sent per list and receiving domain, over SMTP, for dispatches planned since `?`/`$1`. */
export const sentByDomain = (domain: string, since: string) =>
  `SELECT p.list_id AS "listId", ${domain} AS domain, count(*) AS n
   FROM deliveries d JOIN dispatches p ON p.id = d.dispatch_id
   WHERE p.transport = 'smtp' AND p.planned_at >= ${since} AND d.status = 'sent' AND d.email != ''
   GROUP BY 1, 2`;

/** Events per list, receiving domain and type (each delivery counted once), for the same dispatches. */
export const eventsByDomain = (domain: string, since: string) =>
  `SELECT p.list_id AS "listId", ${domain} AS domain, e.type AS type,
     count(DISTINCT e.dispatch_id || '.' || e.subscriber_id) AS n
   FROM bounce_events e JOIN dispatches p ON p.id = e.dispatch_id
   JOIN deliveries d ON d.dispatch_id = e.dispatch_id AND d.subscriber_id = e.subscriber_id
   WHERE p.transport = 'smtp' AND p.planned_at >= ${since} AND e.type != 'delayed'
   GROUP BY 1, 2, 3`;

export function toBounceCounts(rows: readonly { type: BounceEventType; n: Big }[]): BounceCounts {
  const counts: BounceCounts = { hard: 0, soft: 0, complaint: 0, delayed: 0 };
  for (const r of rows) counts[r.type] = Number(r.n);
  return counts;
}

/** The rates per list and per list and domain, from the rows of `sentByDomain` and `eventsByDomain`. */
export function toBounceRates(
  sent: readonly { listId: string; domain: string; n: Big }[],
  events: readonly { listId: string; domain: string; type: Exclude<BounceEventType, 'delayed'>; n: Big }[],
): { lists: BounceRates[]; domains: BounceRates[] } {
  const domains = new Map<string, BounceRates>();
  const lists = new Map<string, BounceRates>();
  const line = (map: Map<string, BounceRates>, listId: string, domain?: string) => {
    const key = `${listId}\n${domain ?? ''}`;
    let r = map.get(key);
    if (!r) {
      r = { listId, ...(domain !== undefined ? { domain } : {}), sent: 0, hard: 0, soft: 0, complaint: 0 };
      map.set(key, r);
    }
    return r;
  };
  for (const r of sent) {
    line(domains, r.listId, r.domain).sent += Number(r.n);
    line(lists, r.listId).sent += Number(r.n);
  }
  for (const r of events) {
    line(domains, r.listId, r.domain)[r.type] += Number(r.n);
    line(lists, r.listId)[r.type] += Number(r.n);
  }
  const order = (a: BounceRates, b: BounceRates) =>
    a.listId.localeCompare(b.listId) || b.sent - a.sent || (a.domain ?? '').localeCompare(b.domain ?? '');
  return { lists: [...lists.values()].sort(order), domains: [...domains.values()].sort(order) };
}
