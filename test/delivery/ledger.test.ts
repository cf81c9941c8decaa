import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDispatchLock, isStale, STALE_AFTER_MS } from '../../src/delivery/dispatch-lock.js';
import type { LockHolder, NewDispatch } from '../../src/store/ledger-types.js';
import type { Store } from '../../src/store/types.js';
import { claimAndRecord } from '../helpers/ledger-scenario.js';
import { storeFactories } from '../helpers/stores.js';
import { newsroom, readers, type Newsroom } from '../publish/newsroom.js';

const T = new Date('2026-10-14T08:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);
const plan: NewDispatch = {
  releaseId: 'sv/x',
  lang: 'sv',
  listId: 'nyheter',
  transport: 'smtp',
  subject: 'X',
  releaseHash: 'h1',
};

describe.each(storeFactories)('the ledger on $name', (factory) => {
  let room: Newsroom;
  let store: Store;
  beforeEach(async () => {
    room = newsroom();
    store = await factory.open(room.config());
  });
  afterEach(async () => {
    await factory.cleanup();
    room.cleanup();
  });

  it('snapshots the deliverable subscribers in one go, keyed by release, list and transport', async () => {
    const ids = await room.seed('nyheter', readers(5), store);
    await room.seed('news', ['english@example.com'], store);
    await store.subscribers.setSubscription(ids[1]!, 'nyheter', 'unsubscribed', T);
    await store.subscribers.suppress('reader0002@example.com', 'bounced', T);
    const d = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    expect(d).toMatchObject({ ...plan, state: 'open', total: 3, plannedAt: T, startedAt: null });
    expect(await store.ledger.counts(d.id)).toMatchObject({ pending: 3, sent: 0 });
    expect((await store.ledger.due(d.id, 10, T)).map((r) => r.email)).toEqual([
      'reader0000@example.com',
      'reader0003@example.com',
      'reader0004@example.com',
    ]);
    expect((await store.ledger.find(plan))?.id).toBe(d.id);
    expect(await store.ledger.find({ ...plan, transport: 'outbox' })).toBeUndefined();
    // Planned meanwhile by another runner: that one stands, and nobody is added.
    const again = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    expect([again.id, again.total]).toEqual([d.id, 3]);
    const outbox = await store.ledger.createDispatch(
      { ...plan, transport: 'outbox' },
      { list: 'nyheter' },
      T,
    );
    expect(outbox.id).not.toBe(d.id);
  });

  it('leaves no half-planned dispatch when the snapshot fails', async () => {
    await room.seed('nyheter', readers(3), store);
    // The second row breaks a constraint: the first must not stay behind, nor the dispatch.
    const broken = [
      { subscriberId: 1, email: 'a@example.com', name: null },
      { subscriberId: 2, email: null as unknown as string, name: null },
    ];
    await expect(store.ledger.createDispatch(plan, { recipients: broken }, T)).rejects.toThrow(/null/i);
    expect(await store.ledger.find(plan)).toBeUndefined();
    expect((await store.ledger.createDispatch(plan, { list: 'nyheter' }, T)).total).toBe(3);
  });

  it('claims only pending recipients and records outcomes, retries and interruptions', async () => {
    await room.seed('nyheter', readers(4), store);
    const { ledger } = store;
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await claimAndRecord(ledger, d.id, T, at);

    // The run dies with e in flight: the next one finds it uncertain, with its Message-ID.
    expect([...(await ledger.markInterrupted(at(5000)))]).toEqual([[d.id, 1]]);
    expect(await ledger.counts(d.id)).toMatchObject({ sending: 0, uncertain: 1 });
    expect((await ledger.problems(d.id, 5))[0]).toMatchObject({
      status: 'uncertain',
      messageId: '<e@x>',
      at: at(5000),
    });
    expect(await ledger.requeueUncertain(d.id, at(6000))).toBe(1);
    expect(await ledger.counts(d.id)).toMatchObject({ uncertain: 0, pending: 2 });
  });

  it('claims a batch in one go: exactly the rows asked for that are still pending', async () => {
    const ids = await room.seed('nyheter', readers(6), store);
    const { ledger } = store;
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await store.subscribers.erase(ids[2]!);
    const claims = [1, 2, 3].map((i) => ({ subscriberId: ids[i]!, messageId: `<${i}@x>` }));
    expect(await ledger.record(d.id, [], claims, T)).toEqual([ids[1], ids[3]]);
    expect(await ledger.counts(d.id)).toMatchObject({ pending: 3, sending: 2, skipped: 1 });
    expect((await ledger.due(d.id, 10, T)).map((r) => r.subscriberId)).toEqual([ids[0], ids[4], ids[5]]);
    // The outcomes of a batch and the claims of the next commit together.
    expect(
      await ledger.record(
        d.id,
        [
          { subscriberId: ids[1]!, status: 'sent', attempts: 1, reply: '250 ok' },
          { subscriberId: ids[3]!, status: 'sent', attempts: 1, reply: '250 ok' },
        ],
        [4, 5].map((i) => ({ subscriberId: ids[i]!, messageId: `<${i}@x>` })),
        T,
      ),
    ).toEqual([ids[4], ids[5]]);
    expect(await ledger.counts(d.id)).toMatchObject({ pending: 1, sending: 2, sent: 2, skipped: 1 });
  });

  it('lets a send sweep on from where it got to, bringing back the retries it has passed', async () => {
    const ids = await room.seed('nyheter', readers(6), store);
    const { ledger } = store;
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T);
    const first = await ledger.due(d.id, 3, T);
    expect(first.map((r) => r.subscriberId)).toEqual(ids.slice(0, 3));
    const after = first.at(-1)!.subscriberId;
    await ledger.record(
      d.id,
      [],
      first.map((r) => ({ subscriberId: r.subscriberId, messageId: `<${r.subscriberId}@x>` })),
      T,
    );
    await ledger.record(
      d.id,
      [
        { subscriberId: ids[0]!, status: 'sent', attempts: 1, reply: '250 ok' },
        { subscriberId: ids[1]!, status: 'pending', attempts: 1, reply: '451 later', retryAt: at(1000) },
        // Put back without a retry time (the server refused us): only a sweep from the start finds it.
        { subscriberId: ids[2]!, status: 'pending', attempts: 0, reply: '535 no' },
      ],
      [],
      T,
    );
    expect(await ledger.nextRetryAt(d.id)).toEqual(at(1000));
    expect((await ledger.due(d.id, 10, at(999), after)).map((r) => r.subscriberId)).toEqual(ids.slice(3));
    expect((await ledger.due(d.id, 2, at(1000), after)).map((r) => r.subscriberId)).toEqual([ids[1], ids[3]]);
    expect((await ledger.due(d.id, 10, at(1000))).map((r) => r.subscriberId)).toEqual(ids.slice(1));
  });

  it('adds later subscribers to an existing dispatch, never anyone twice', async () => {
    await room.seed('nyheter', readers(2), store);
    const d = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await room.seed('nyheter', ['late@example.com'], store);
    expect(await store.ledger.addRecipients(d.id, { list: 'nyheter' }, T)).toBe(1);
    expect(await store.ledger.addRecipients(d.id, { list: 'nyheter' }, T)).toBe(0);
    expect((await store.ledger.get(d.id))?.total).toBe(3);
  });

  it('assigns each recipient a Message-ID when planning, and keeps it through retries and requeues', async () => {
    await room.seed('nyheter', readers(3), store);
    const d = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T, 'm.test');
    await room.seed('nyheter', ['late@example.com'], store);
    await store.ledger.addRecipients(d.id, { list: 'nyheter' }, T, 'm.test');
    const due = await store.ledger.due(d.id, 10, T);
    expect(due.map((r) => r.messageId)).toEqual(
      Array(4).fill(expect.stringMatching(/^<[0-9a-f-]{36}@m\.test>$/)),
    );
    expect(new Set(due.map((r) => r.messageId)).size).toBe(4);
    const [first] = due;
    await store.ledger.record(
      d.id,
      [],
      [{ subscriberId: first!.subscriberId, messageId: first!.messageId! }],
      T,
    );
    await store.ledger.record(
      d.id,
      [{ subscriberId: first!.subscriberId, status: 'pending', attempts: 1, reply: '451', retryAt: at(10) }],
      [],
      T,
    );
    expect((await store.ledger.due(d.id, 1, at(10)))[0]).toMatchObject({
      subscriberId: first!.subscriberId,
      messageId: first!.messageId,
    });
  });

  it('gives a Message-ID to recipients of a dispatch planned without them, and to no one else', async () => {
    await room.seed('nyheter', readers(3), store);
    const d = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    const [first] = await store.ledger.due(d.id, 1, T);
    await store.ledger.record(d.id, [], [{ subscriberId: first!.subscriberId, messageId: '<sent@x>' }], T);
    await store.ledger.record(
      d.id,
      [{ subscriberId: first!.subscriberId, status: 'sent', attempts: 1, reply: '250' }],
      [],
      T,
    );
    expect(await store.ledger.assignMessageIds(d.id, 'late.test')).toBe(2);
    expect(await store.ledger.assignMessageIds(d.id, 'again.test')).toBe(0);
    const late = (await store.ledger.due(d.id, 10, T)).map((r) => r.messageId);
    expect(late).toEqual(Array(2).fill(expect.stringMatching(/^<[0-9a-f-]{36}@late\.test>$/)));
    expect(new Set(late).size).toBe(2);
  });

  it('forgets the address of an erased subscriber', async () => {
    const [id] = await room.seed('nyheter', ['erase.me@example.com'], store);
    const d = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await store.subscribers.erase(id!);
    expect(await store.ledger.counts(d.id)).toMatchObject({ pending: 0, skipped: 1 });
    expect(await store.ledger.problems(d.id, 5)).toEqual([]);
    expect(await store.ledger.due(d.id, 5, T)).toEqual([]);
  });

  it('moves a dispatch through its states', async () => {
    const d = await store.ledger.createDispatch(plan, { recipients: [] }, T);
    await store.ledger.setState(d.id, 'open', null, at(1));
    await store.ledger.setState(d.id, 'paused', 'too many failures', at(2));
    expect(await store.ledger.get(d.id)).toMatchObject({
      state: 'paused',
      pauseReason: 'too many failures',
      startedAt: at(1),
      finishedAt: null,
    });
    await store.ledger.setState(d.id, 'open', null, at(3));
    await store.ledger.setState(d.id, 'done', null, at(4));
    expect(await store.ledger.get(d.id)).toMatchObject({
      state: 'done',
      pauseReason: null,
      startedAt: at(1),
      finishedAt: at(4),
    });
    expect(await store.ledger.list({ releaseIds: ['sv/x'] })).toHaveLength(1);
    expect(await store.ledger.list({ releaseIds: ['sv/y'] })).toHaveLength(0);
  });
});

describe('the dispatch lock on SQLite', () => {
  let room: Newsroom;
  const stores: Store[] = [];
  beforeEach(async () => {
    room = newsroom();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await room.cleanup();
  });
  const open = async () => {
    const s = await room.store();
    stores.push(s);
    return s;
  };
  const holder = (over: Partial<LockHolder>): LockHolder => ({
    token: 'other',
    pid: process.pid,
    host: hostname(),
    command: 'scs publish',
    startedAt: T,
    heartbeatAt: T,
    ...over,
  });

  it('is held by one run at a time; the other learns who holds it', async () => {
    const clock = () => new Date();
    const first = await acquireDispatchLock((await open()).ledger, 'scs publish', clock);
    expect(first.ok).toBe(true);
    const second = await acquireDispatchLock((await open()).ledger, 'scs send sv/x', clock);
    expect(second).toMatchObject({
      ok: false,
      holder: { command: 'scs publish', pid: process.pid, host: hostname() },
    });
    if (first.ok) await first.lock.release();
    const third = await acquireDispatchLock((await open()).ledger, 'scs send sv/x', clock);
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  it('writes a send back into the database when released, giving the WAL its disk space back', async () => {
    await room.seed('nyheter', readers(50));
    const store = await open();
    const { ledger } = store;
    const wal = `${room.config().env.database}-wal`;
    const taken = await acquireDispatchLock(ledger, 'scs publish', () => new Date());
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T);
    const due = await ledger.due(d.id, 50, T);
    await ledger.record(
      d.id,
      [],
      due.map((r) => ({ subscriberId: r.subscriberId, messageId: `<${r.subscriberId}@x>` })),
      T,
    );
    expect(statSync(wal).size).toBeGreaterThan(0);
    if (taken.ok) await taken.lock.release();
    expect(statSync(wal).size).toBe(0);
    expect(await ledger.counts(d.id)).toMatchObject({ sending: 50 });
  });

  it('is taken over from a holder that is gone, and the old holder finds out', async () => {
    const ledger = (await open()).ledger;
    // A process that has exited: its pid is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const now = new Date();
    expect(isStale(holder({ pid: Number(dead.stdout), heartbeatAt: now }), now)).toBe(true);
    expect(isStale(holder({ heartbeatAt: now }), now)).toBe(false);
    expect(
      isStale(
        holder({ host: 'elsewhere', pid: 1, heartbeatAt: new Date(now.getTime() - STALE_AFTER_MS - 1) }),
        now,
      ),
    ).toBe(true);
    expect(
      isStale(holder({ host: 'elsewhere', pid: 1, heartbeatAt: new Date(now.getTime() - 1000) }), now),
    ).toBe(false);

    expect(
      (await ledger.acquireLock(holder({ pid: Number(dead.stdout), heartbeatAt: now }), () => false))
        .acquired,
    ).toBe(true);
    const taken = await acquireDispatchLock((await open()).ledger, 'scs publish', () => new Date());
    expect(taken).toMatchObject({ ok: true, lock: { tookOverFrom: { pid: Number(dead.stdout) } } });
    // The old holder's token no longer refreshes nor releases the lock.
    expect(await ledger.heartbeat('other', new Date())).toBe(false);
    await ledger.releaseLock('other');
    expect((await ledger.holders()).map((h) => h.command)).toEqual(['scs publish']);
    if (taken.ok) {
      expect(await ledger.heartbeat(taken.lock.holder.token, new Date())).toBe(true);
      await taken.lock.release();
    }
    expect(await ledger.holders()).toEqual([]);
  });
});
