import { afterEach, describe, expect, it } from 'vitest';
import { applyEvents } from '../../src/bounces/apply.js';
import { createGroupApply } from '../../src/bounces/group-apply.js';
import type { PlannedEvent } from '../../src/bounces/plan.js';
import type { BounceEvent } from '../../src/store/bounce-types.js';
import type { Store } from '../../src/store/types.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { readers, type Newsroom } from '../publish/newsroom.js';
import { sentBounceRoom } from './room.js';

const NOW = new Date('2026-10-14T09:00:00Z');
const emails = readers(5);

/** What each request asks for: duplicates within and across requests, soft bounces up to the limit. */
const REQUESTS: [string, BounceEvent['type'], number][][] = [
  [['a', 'hard', 0]],
  [['a', 'hard', 0]],
  [['s1', 'soft', 1]],
  [
    ['s2', 'soft', 1],
    ['c', 'complaint', 2],
  ],
  [['s3', 'soft', 1]],
  [['s1', 'soft', 1]],
  [['x', 'soft', 3]],
  [],
];

describe('webhook events applied in groups (one transaction for the requests of one turn)', () => {
  const rooms: Newsroom[] = [];
  const stores: Store[] = [];
  let smtp: TestSmtpServer;
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const r of rooms.splice(0)) r.cleanup();
    await smtp?.close();
  });

  async function sentRoom() {
    const room = await sentBounceRoom(smtp, emails);
    rooms.push(room);
    const store = await room.store();
    stores.push(store);
    const plan = async (events: [string, BounceEvent['type'], number][]): Promise<PlannedEvent[]> => {
      const planned: PlannedEvent[] = [];
      for (const [key, type, reader] of events) {
        const delivery = (await store.bounces.latestDelivery(emails[reader]!))!;
        planned.push({
          delivery,
          event: {
            key: `test:${key}`,
            dispatchId: delivery.dispatchId,
            subscriberId: delivery.subscriberId,
            type,
            status: null,
            detail: null,
            source: 'test',
            at: NOW,
          },
        });
      }
      return planned;
    };
    const state = async () => {
      const out = [];
      for (const email of emails) {
        const s = (await store.subscribers.find(email))!;
        out.push({
          status: s.status,
          statusDetail: s.statusDetail,
          suppression: (await store.subscribers.suppression(email))?.reason ?? null,
          events: (await store.bounces.events(s.id)).map((e) => [e.key, e.type]),
        });
      }
      return out;
    };
    return { room, store, plan, state };
  }

  it('leaves the store as applying each request on its own would, and answers each with its own counts', async () => {
    smtp = await startSmtpServer();
    const plain = await sentRoom();
    const grouped = await sentRoom();
    const settings = plain.room.config().newsletter.bounce;

    const one = [];
    for (const r of REQUESTS) one.push(await applyEvents(plain.store, await plain.plan(r), settings, NOW));
    const apply = createGroupApply(grouped.store, settings);
    const plans = await Promise.all(REQUESTS.map((r) => grouped.plan(r)));
    // All asked for in the same turn: one group.
    const together = await Promise.all(plans.map((p) => apply(p, NOW)));

    expect(together).toEqual(one);
    expect(one[1]).toEqual({ recorded: 0, suppressed: 0 });
    expect(await grouped.state()).toEqual(await plain.state());
    expect((await grouped.state())[1]).toMatchObject({ status: 'bounced', suppression: 'bounced' });
  });

  it('a request that fails undoes only itself; the others of its group are stored', async () => {
    smtp = await startSmtpServer();
    const { room, store, plan } = await sentRoom();
    const apply = createGroupApply(store, room.config().newsletter.bounce);
    // A type the store's CHECK refuses: the insert throws.
    const broken = (await plan([['bad', 'hard', 3]])).map((p) => ({
      ...p,
      event: { ...p.event, type: 'bogus' as BounceEvent['type'] },
    }));
    const [ok, half, ok2] = [
      await plan([['ok', 'hard', 0]]),
      await plan([['half', 'complaint', 4]]),
      await plan([['ok2', 'complaint', 2]]),
    ];
    const outcomes = await Promise.allSettled([
      apply(ok, NOW),
      apply([...half, ...broken], NOW),
      apply(ok2, NOW),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.subscribers.suppression(emails[0]!))?.reason).toBe('bounced');
    expect((await store.subscribers.suppression(emails[2]!))?.reason).toBe('complained');
    // The failed request's first event went with it.
    expect(await store.subscribers.suppression(emails[4]!)).toBeUndefined();
    expect(await store.bounces.seen('test:half')).toBe(false);
  });
});
