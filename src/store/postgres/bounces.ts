import { addressKey } from '../../subscribers/email.js';
import type { BouncedDelivery, BounceEventType, BounceRepo } from '../bounce-types.js';
import {
  type BounceEventRow,
  DELIVERY,
  eventsByDomain,
  sentByDomain,
  toBounceCounts,
  toBounceEvent,
  toBounceRates,
} from '../bounce-rows.js';
import type { Sql } from './sql.js';

// The receiving domain of a delivery's address (lower case).
const DOMAIN = `lower(substr(d.email, strpos(d.email, '@') + 1))`;

type DeliveryRow = Omit<BouncedDelivery, 'dispatchId' | 'subscriberId'> & {
  dispatchId: string;
  subscriberId: string;
};
const toDelivery = (r: DeliveryRow | undefined): BouncedDelivery | undefined =>
  r && { ...r, dispatchId: Number(r.dispatchId), subscriberId: Number(r.subscriberId) };

/** The bounce repository on PostgreSQL, the same as SQLite's (`sqlite/bounces.ts`) method for method. */
export function createPostgresBounces(sql: Sql): BounceRepo {
  const one = async (text: string, values: unknown[]) =>
    toDelivery((await sql.rows<DeliveryRow>(text, values))[0]);
  return {
    delivery(dispatchId, subscriberId) {
      return one(`${DELIVERY} WHERE d.dispatch_id = $1 AND d.subscriber_id = $2`, [dispatchId, subscriberId]);
    },
    deliveryByMessageId(messageId, email) {
      return one(
        `${DELIVERY} WHERE d.message_id = $1 AND ($2::text IS NULL OR lower(d.email) = lower($2)) LIMIT 1`,
        [messageId, email ?? null],
      );
    },
    latestDelivery(email) {
      return one(
        `${DELIVERY} WHERE d.subscriber_id = (SELECT id FROM subscribers WHERE email_key = $1)
         AND d.status = 'sent' ORDER BY d.sent_at DESC LIMIT 1`,
        [addressKey(email)],
      );
    },
    async seen(key) {
      return (await sql.rows('SELECT 1 FROM bounce_events WHERE key = $1', [key])).length > 0;
    },
    async record(e) {
      const changed = await sql.run(
        `INSERT INTO bounce_events (key, dispatch_id, subscriber_id, type, status, detail, source, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
        [e.key, e.dispatchId, e.subscriberId, e.type, e.status, e.detail, e.source, e.at.getTime()],
      );
      return changed === 1;
    },
    async countSince(subscriberId, type, since) {
      const [row] = await sql.rows<{ n: string }>(
        'SELECT count(*) AS n FROM bounce_events WHERE subscriber_id = $1 AND type = $2 AND at >= $3',
        [subscriberId, type, since.getTime()],
      );
      return Number(row?.n ?? 0);
    },
    async events(subscriberId) {
      const rows = await sql.rows<BounceEventRow>(
        'SELECT * FROM bounce_events WHERE subscriber_id = $1 ORDER BY at, id',
        [subscriberId],
      );
      return rows.map(toBounceEvent);
    },
    async dispatchCounts(dispatchId) {
      return toBounceCounts(
        await sql.rows<{ type: BounceEventType; n: string }>(
          'SELECT type, count(DISTINCT subscriber_id) AS n FROM bounce_events WHERE dispatch_id = $1 GROUP BY type',
          [dispatchId],
        ),
      );
    },
    async rates(since) {
      const [sent, events] = await Promise.all([
        sql.rows<{ listId: string; domain: string; n: string }>(sentByDomain(DOMAIN, '$1'), [
          since.getTime(),
        ]),
        sql.rows<{ listId: string; domain: string; type: 'hard' | 'soft' | 'complaint'; n: string }>(
          eventsByDomain(DOMAIN, '$1'),
          [since.getTime()],
        ),
      ]);
      return toBounceRates(sent, events);
    },
  };
}
