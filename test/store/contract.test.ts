import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSubscriber } from '../../src/store/subscriber-types.js';
import type { Store } from '../../src/store/types.js';
import { collect, storeFactories } from '../helpers/stores.js';

/**
 * What every store promises beyond each method's own result: bulk work in one transaction, streams
 * that let go of the database when their reader stops, all-or-nothing transactions across the
 * repositories, and an erasure that reaches the ledger.
 */
const T0 = new Date('2026-03-02T09:00:00Z');
const person = (email: string, name: string | null = null): NewSubscriber => ({
  email,
  name,
  lang: 'sv',
  status: 'confirmed',
  consent: { source: 'import', at: T0, ip: null, detail: null, confirmedAt: T0 },
});
const many = (n: number, prefix = 'reader') =>
  Array.from({ length: n }, (_, i) => ({
    subscriber: person(`${prefix}.${i}@example.org`),
    lists: [{ listId: 'nyheter', status: 'active' as const }],
  }));

describe.each(storeFactories)('every store ($name)', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => factory.cleanup());

  it('adds 10,000 subscribers in one transaction, ids in order, and streams them back', async () => {
    const ids = await store.transaction((tx) => tx.subscribers.insertMany(many(10_000), T0));
    expect(ids).toHaveLength(10_000);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const recipients = await collect(store.subscribers.recipients('nyheter'));
    expect(recipients.map((r) => r.subscriberId)).toEqual(ids);
    expect(recipients[9_999]).toEqual({
      subscriberId: ids[9_999],
      email: 'reader.9999@example.org',
      name: null,
      lang: 'sv',
    });
    expect(
      (await store.subscribers.findMany(['reader.4321@example.org'])).get('reader.4321@example.org')?.id,
    ).toBe(ids[4321]);
  });

  it('stores bulk rows as given, whether a column varies between them or not', async () => {
    // On PostgreSQL a column with one value in every row goes as one parameter, the others as arrays.
    const odd = ['Anna "Citat" Berg', 'back\\slash, {brace}', 'NULL', '', null];
    const entries = odd.map((name, i) => ({
      subscriber: {
        ...person(`odd.${i}@example.org`, name),
        lang: i % 2 ? 'en' : 'sv',
        consent: {
          source: 'import' as const,
          at: T0,
          ip: i === 3 ? '192.0.2.7' : null,
          detail: null,
          confirmedAt: T0,
        },
      },
      lists:
        i === 4
          ? []
          : i === 2
            ? [
                { listId: 'nyheter', status: 'active' as const },
                { listId: 'press', status: 'pending' as const },
              ]
            : [{ listId: 'nyheter', status: 'active' as const }],
    }));
    const ids = await store.subscribers.insertMany(entries, T0);
    for (const [i, e] of entries.entries()) {
      const s = await store.subscribers.get(ids[i]!);
      expect(s).toMatchObject({
        email: e.subscriber.email,
        name: e.subscriber.name,
        lang: e.subscriber.lang,
      });
      expect(s?.consent.ip).toBe(e.subscriber.consent.ip);
      expect(s?.subscriptions.map((m) => [m.listId, m.status])).toEqual(
        e.lists.map((l) => [l.listId, l.status]),
      );
    }
    const [one] = await store.subscribers.insertMany(
      [{ subscriber: person('alone@example.org', 'Ensam'), lists: [] }],
      T0,
    );
    expect((await store.subscribers.get(one!))?.name).toBe('Ensam');
  });

  it('keeps nothing of a transaction that throws, in any repository', async () => {
    const [kept] = await store.subscribers.insertMany(many(1, 'kept'), T0);
    await expect(
      store.transaction(async (tx) => {
        await tx.subscribers.insertMany(many(2_000), T0);
        await tx.subscribers.update(kept!, { name: 'Changed' }, T0);
        await tx.subscribers.addEvent(kept!, { kind: 'updated' }, T0);
        await tx.subscribers.suppress('kept.0@example.org', 'complained', T0);
        await tx.bounces.record({
          key: 'k1',
          dispatchId: 1,
          subscriberId: kept!,
          type: 'hard',
          status: '5.1.1',
          detail: null,
          source: 'test',
          at: T0,
        });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await collect(store.subscribers.list())).toHaveLength(1);
    expect((await store.subscribers.get(kept!))?.name).toBeNull();
    expect(await store.subscribers.history(kept!)).toEqual([]);
    expect(await store.subscribers.suppression('kept.0@example.org')).toBeUndefined();
    expect(await store.bounces.seen('k1')).toBe(false);
  });

  it('looks many addresses up on the suppression list at once, as one by one', async () => {
    await store.subscribers.suppress('a@example.org', 'unsubscribed', T0);
    await store.subscribers.suppress('A@example.org', 'complained', T0);
    await store.subscribers.suppress('b@example.org', 'erased', T0);
    const emails = ['A@Example.org', 'b@example.org', 'c@example.org'];
    const found = await store.subscribers.suppressions(emails);
    expect([...found.keys()]).toEqual(['A@Example.org', 'b@example.org']);
    for (const email of emails) expect(found.get(email)).toEqual(await store.subscribers.suppression(email));
  });

  it('lets go of the database when a reader stops a stream half-way', async () => {
    await store.subscribers.insertMany(many(2_500), T0);
    // More streams stopped early than PostgreSQL's pool has connections: each must give its own back.
    for (let i = 0; i < 12; i++) {
      let n = 0;
      for await (const r of i % 2 ? store.subscribers.recipients('nyheter') : store.subscribers.list()) {
        expect(r.email).toMatch(/^reader\.\d+@example\.org$/);
        if (++n === 1_500) break;
      }
      expect(n).toBe(1_500);
    }
    expect((await store.subscribers.find('reader.2499@example.org'))?.email).toBe('reader.2499@example.org');
    expect((await store.transaction((tx) => tx.subscribers.find('reader.0@example.org')))?.email).toBe(
      'reader.0@example.org',
    );
  });

  it('takes an erased subscriber out of the ledger and the bounce events, keeping the counts', async () => {
    const [gone, stays] = await store.subscribers.insertMany(
      [
        {
          subscriber: person('gone@example.org', 'Gone Person'),
          lists: [{ listId: 'nyheter', status: 'active' }],
        },
        { subscriber: person('stays@example.org'), lists: [{ listId: 'nyheter', status: 'active' }] },
      ],
      T0,
    );
    const plan = {
      releaseId: 'sv/x',
      lang: 'sv',
      listId: 'nyheter',
      transport: 'smtp' as const,
      subject: 'X',
      releaseHash: 'h',
    };
    const sent = await store.ledger.createDispatch(plan, { list: 'nyheter' }, T0, 'stadslabbet.test');
    const later = await store.ledger.createDispatch(
      { ...plan, releaseId: 'sv/y' },
      { list: 'nyheter' },
      T0,
      'stadslabbet.test',
    );
    const holder = {
      token: 'test-run',
      pid: process.pid,
      host: 'test',
      command: 'test',
      startedAt: T0,
      heartbeatAt: T0,
      expiresAt: new Date(T0.getTime() + 60_000),
    };
    expect(await store.ledger.acquireLock(holder, () => false)).toMatchObject({ acquired: true });
    const due = await store.ledger.due(sent.id, 10, T0);
    expect(due.map((d) => d.subscriberId)).toEqual([gone, stays]);
    await store.ledger.record(
      sent.id,
      [],
      due.map((d) => ({ subscriberId: d.subscriberId, messageId: d.messageId! })),
      T0,
    );
    await store.ledger.record(
      sent.id,
      due.map((d) => ({
        subscriberId: d.subscriberId,
        status: 'sent' as const,
        attempts: 1,
        reply: `250 ok <${d.email}>`,
      })),
      [],
      T0,
    );
    await store.ledger.releaseLock(holder.token);
    await store.bounces.record({
      key: 'b1',
      dispatchId: sent.id,
      subscriberId: gone!,
      type: 'soft',
      status: '4.2.2',
      detail: 'mailbox of Gone Person is full',
      source: 'test',
      at: T0,
    });
    // A relay that passes no Message-ID back may change the address's case.
    expect(await store.bounces.latestDelivery('Gone@EXAMPLE.org')).toMatchObject({
      dispatchId: sent.id,
      subscriberId: gone,
    });

    await store.transaction(async (tx) => {
      await tx.subscribers.suppress('gone@example.org', 'erased', T0);
      await tx.subscribers.erase(gone!);
    });
    expect(await store.ledger.sentRecipients(sent.id)).toEqual([
      { subscriberId: stays, email: 'stays@example.org', name: null },
    ]);
    expect(await store.ledger.counts(sent.id)).toMatchObject({ sent: 2 });
    expect(await store.ledger.counts(later.id)).toMatchObject({ pending: 1, skipped: 1 });
    expect(await store.bounces.delivery(sent.id, gone!)).toMatchObject({ email: '' });
    expect((await store.bounces.events(gone!)).map((e) => [e.type, e.detail])).toEqual([['soft', null]]);
    const problems = JSON.stringify(await store.ledger.problems(later.id, 10));
    expect(problems).not.toContain('gone@example.org');
    expect(problems).not.toContain('Gone Person');
    // Their memberships went with them: a new plan of the list reaches only the one who stays.
    const next = await store.ledger.createDispatch({ ...plan, releaseId: 'sv/z' }, { list: 'nyheter' }, T0);
    expect(next.total).toBe(1);
    expect(await collect(store.subscribers.recipients('nyheter'))).toEqual([
      expect.objectContaining({ subscriberId: stays }),
    ]);
  });
});
