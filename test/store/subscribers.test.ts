import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/store/subscriber-types.js';
import type { Store } from '../../src/store/types.js';
import { collect, storeFactories } from '../helpers/stores.js';
import { later, subscriberProject, T0 } from '../subscribers/project.js';

describe.each(storeFactories)('the subscriber repository on $name', (factory) => {
  const p = { store: undefined as unknown as Store };
  beforeEach(async () => {
    p.store = await factory.open();
  });
  afterEach(async () => factory.cleanup());

  const add = async (
    email: string,
    status: Subscriber['status'],
    lists: Record<string, 'pending' | 'active' | 'unsubscribed'>,
    repo = p.store.subscribers,
  ) => {
    const [id] = (await repo.insertMany(
      [
        {
          subscriber: {
            email,
            name: null,
            lang: 'sv',
            status,
            consent: {
              source: 'cli',
              at: T0,
              ip: null,
              detail: null,
              confirmedAt: status === 'confirmed' ? T0 : null,
            },
          },
          lists: Object.entries(lists).map(([listId, s]) => ({ listId, status: s })),
        },
      ],
      T0,
    )) as [number];
    return id;
  };

  it('finds who may still confirm, with when each list became pending and was last asked about', async () => {
    const repo = p.store.subscribers;
    const a = await add('a@example.com', 'pending', { nyheter: 'pending', news: 'pending' });
    const b = await add('b@example.com', 'confirmed', { nyheter: 'active', news: 'pending' });
    await add('c@example.com', 'confirmed', { nyheter: 'active' });
    await add('d@example.com', 'pending', { nyheter: 'pending' });
    await repo.suppress('D@example.com', 'bounced', T0);
    await add('e@example.com', 'unsubscribed', { nyheter: 'pending' });
    await repo.addEvent(a, { kind: 'confirmation-sent', listId: 'news' }, later(1000));
    await repo.addEvent(a, { kind: 'confirmation-sent', listId: 'news' }, later(5000));
    await repo.addEvent(a, { kind: 'requested', listId: 'nyheter' }, later(9000));
    expect(await repo.awaitingConfirmation()).toEqual([
      {
        subscriberId: a,
        email: 'a@example.com',
        lang: 'sv',
        lists: [
          { listId: 'news', since: T0, lastSent: later(5000) },
          { listId: 'nyheter', since: T0, lastSent: null },
        ],
      },
      {
        subscriberId: b,
        email: 'b@example.com',
        lang: 'sv',
        lists: [{ listId: 'news', since: T0, lastSent: null }],
      },
    ]);
  });

  it('streams only confirmed, active, unsuppressed subscribers of the list, in id order', async () => {
    const a = await add('a@example.com', 'confirmed', { nyheter: 'active' });
    await add('b@example.com', 'pending', { nyheter: 'pending' });
    await add('c@example.com', 'confirmed', { nyheter: 'unsubscribed', news: 'active' });
    const d = await add('d@example.com', 'confirmed', { nyheter: 'active', news: 'active' });
    const e = await add('e@example.com', 'confirmed', { nyheter: 'active' });
    await p.store.subscribers.suppress('e@example.com', 'complained', T0);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([
      { subscriberId: a, email: 'a@example.com', name: null, lang: 'sv' },
      { subscriberId: d, email: 'd@example.com', name: null, lang: 'sv' },
    ]);
    expect(await p.store.subscribers.isDeliverable(a, 'nyheter')).toBe(true);
    expect(await p.store.subscribers.isDeliverable(a, 'news')).toBe(false);
    expect(await p.store.subscribers.isDeliverable(e, 'nyheter')).toBe(false);
    const all = [a, d, e, 999_999];
    expect(await p.store.subscribers.deliverable('nyheter', all)).toEqual(new Set([a, d]));
    expect(await p.store.subscribers.deliverable('news', all)).toEqual(new Set([d]));
    expect(await p.store.subscribers.deliverable('nyheter', [])).toEqual(new Set());
  });

  it('marks a hard bounce: status, history, suppression — and the person is no longer deliverable', async () => {
    const id = await add('f@example.com', 'confirmed', { news: 'active' });
    await p.store.subscribers.markBounced('f@example.com', '550 5.1.1 user unknown', later(1000));
    const s = (await p.store.subscribers.get(id))!;
    expect(s.status).toBe('bounced');
    expect(s.statusDetail).toBe('550 5.1.1 user unknown');
    expect(await p.store.subscribers.suppression('f@example.com')).toEqual({
      reason: 'bounced',
      since: later(1000),
    });
    expect(await p.store.subscribers.isDeliverable(id, 'news')).toBe(false);
    expect((await p.store.subscribers.history(id)).map((e) => e.kind)).toEqual(['bounced']);
  });

  it('suppresses even an address it does not know (a bounce for someone erased)', async () => {
    await p.store.subscribers.markComplained('gone@example.com', 'abuse report', T0);
    expect((await p.store.subscribers.suppression('gone@example.com'))?.reason).toBe('complained');
  });

  it('never lets a weaker reason replace a stronger one', async () => {
    const repo = p.store.subscribers;
    await repo.suppress('x@example.com', 'complained', T0);
    await repo.suppress('x@example.com', 'unsubscribed', later(1));
    await repo.suppress('x@example.com', 'erased', later(2));
    expect(await repo.suppression('x@example.com')).toEqual({ reason: 'complained', since: T0 });
    await repo.suppress('y@example.com', 'erased', T0);
    await repo.suppress('y@example.com', 'bounced', later(5));
    expect(await repo.suppression('y@example.com')).toEqual({ reason: 'bounced', since: later(5) });
  });

  it('rolls back a whole transaction when any part fails', async () => {
    const repo = p.store.subscribers;
    await expect(
      p.store.transaction(async (tx) => {
        await add('h@example.com', 'confirmed', { news: 'active' }, tx.subscribers);
        await add('h@example.com', 'confirmed', { news: 'active' }, tx.subscribers);
      }),
    ).rejects.toThrow(/UNIQUE|unique/);
    expect(await repo.find('h@example.com')).toBeUndefined();
  });

  it('undoes only a nested transaction that fails (a savepoint); the outer one goes on and commits', async () => {
    const repo = p.store.subscribers;
    const kept = await p.store.transaction(async (tx) => {
      await add('j@example.com', 'confirmed', { news: 'active' }, tx.subscribers);
      await expect(
        tx.transaction(async (inner) => {
          await add('k@example.com', 'confirmed', { news: 'active' }, inner.subscribers);
          await add('j@example.com', 'confirmed', { news: 'active' }, inner.subscribers);
        }),
      ).rejects.toThrow(/UNIQUE|unique/);
      return tx.transaction(async (inner) => {
        await add('l@example.com', 'pending', { news: 'pending' }, inner.subscribers);
        return 'l';
      });
    });
    expect(kept).toBe('l');
    expect((await repo.find('j@example.com'))?.status).toBe('confirmed');
    expect(await repo.find('k@example.com')).toBeUndefined();
    expect((await repo.find('l@example.com'))?.status).toBe('pending');
  });

  it('erases a subscriber with memberships and history, keeping only the suppression entry', async () => {
    const repo = p.store.subscribers;
    const id = await add('i@example.com', 'confirmed', { news: 'active' });
    await repo.addEvent(id, { kind: 'confirmed', listId: 'news', ip: '192.0.2.1' }, T0);
    await repo.suppress('i@example.com', 'erased', T0);
    await repo.erase(id);
    expect(await repo.get(id)).toBeUndefined();
    expect(await repo.history(id)).toEqual([]);
    expect(await collect(repo.recipients('news'))).toEqual([]);
    expect((await repo.suppression('i@example.com'))?.reason).toBe('erased');
  });
});

describe('the subscriber repository on SQLite', () => {
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  beforeEach(async () => {
    p = await subscriberProject();
  });
  afterEach(async () => await p.cleanup());

  it('leaves no trace of an erased address in the database file, only a keyed hash', async () => {
    const repo = p.store.subscribers;
    const [id] = (await repo.insertMany(
      [
        {
          subscriber: {
            email: 'secret.person@example.com',
            name: null,
            lang: 'sv',
            status: 'confirmed',
            consent: { source: 'cli', at: T0, ip: null, detail: null, confirmedAt: T0 },
          },
          lists: [{ listId: 'news', status: 'active' }],
        },
      ],
      T0,
    )) as [number];
    await repo.update(id, { name: 'Hemlig Person' }, T0);
    await repo.addEvent(id, { kind: 'confirmed', listId: 'news', ip: '198.51.100.23' }, T0);
    await p.store.transaction(async (tx) => {
      await tx.subscribers.suppress('secret.person@example.com', 'erased', T0);
      await tx.subscribers.erase(id);
    });
    await p.store.close();
    const files = [p.config.env.database, `${p.config.env.database}-wal`].filter((f) => existsSync(f));
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(bytes.includes('secret.person')).toBe(false);
      expect(bytes.includes('Hemlig Person')).toBe(false);
      expect(bytes.includes('198.51.100.23')).toBe(false);
    }
    const db = new Database(p.config.env.database, { readonly: true });
    const hashes = db.prepare('SELECT hash FROM suppressions').pluck().all() as string[];
    db.close();
    expect(hashes).toHaveLength(1);
    // Keyed: not the plain SHA-256 of the address, which anyone could compute from a guess.
    expect(hashes[0]).not.toBe(createHash('sha256').update('secret.person@example.com').digest('base64url'));
    await p.reopen();
  });
});
