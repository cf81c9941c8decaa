import { addressKey } from '../../subscribers/email.js';
import type Database from 'better-sqlite3';
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

// The receiving domain of a delivery's address (lower case).
const DOMAIN = `lower(substr(d.email, instr(d.email, '@') + 1))`;

export function createSqliteBounces(db: Database.Database): BounceRepo {
  const q = {
    delivery: db.prepare(`${DELIVERY} WHERE d.dispatch_id = ? AND d.subscriber_id = ?`),
    byMessageId: db.prepare(
      `${DELIVERY} WHERE d.message_id = @id AND (@email IS NULL OR lower(d.email) = lower(@email)) LIMIT 1`,
    ),
    latest: db.prepare(
      `${DELIVERY} WHERE d.subscriber_id = (SELECT id FROM subscribers WHERE email_key = ?)
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
    sent: db.prepare(sentByDomain(DOMAIN, '?')),
    eventCounts: db.prepare(eventsByDomain(DOMAIN, '?')),
  };
  return {
    async delivery(dispatchId, subscriberId) {
      return q.delivery.get(dispatchId, subscriberId) as BouncedDelivery | undefined;
    },
    async deliveryByMessageId(messageId, email) {
      return q.byMessageId.get({ id: messageId, email: email ?? null }) as BouncedDelivery | undefined;
    },
    async latestDelivery(email) {
      return q.latest.get(addressKey(email)) as BouncedDelivery | undefined;
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
      return (q.events.all(subscriberId) as BounceEventRow[]).map(toBounceEvent);
    },
    async dispatchCounts(dispatchId) {
      return toBounceCounts(q.dispatchCounts.all(dispatchId) as { type: BounceEventType; n: number }[]);
    },
    async rates(since) {
      return toBounceRates(
        q.sent.all(since.getTime()) as Parameters<typeof toBounceRates>[0],
        q.eventCounts.all(since.getTime()) as Parameters<typeof toBounceRates>[1],
      );
    },
  };
}
