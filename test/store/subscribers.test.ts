import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/store/subscriber-types.js';
import { later, subscriberProject, T0 } from '../subscribers/project.js';

describe('the subscriber repository', () => {
  let p: ReturnType<typeof subscriberProject>;
  beforeEach(() => {
    p = subscriberProject();
  });
  afterEach(() => p.cleanup());

  const add = (
    email: string,
    status: Subscriber['status'],
    lists: Record<string, 'pending' | 'active' | 'unsubscribed'>,
  ) => {
    const repo = p.store.subscribers;
    const [id] = repo.insertMany(
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
    ) as [number];
    return id;
  };

  it('finds who may still confirm, with when each list became pending and was last asked about', () => {
    const repo = p.store.subscribers;
    const a = add('a@example.com', 'pending', { nyheter: 'pending', news: 'pending' });
    const b = add('b@example.com', 'confirmed', { nyheter: 'active', news: 'pending' });
    add('c@example.com', 'confirmed', { nyheter: 'active' });
    add('d@example.com', 'pending', { nyheter: 'pending' });
    repo.suppress('D@example.com', 'bounced', T0);
    add('e@example.com', 'unsubscribed', { nyheter: 'pending' });
    repo.addEvent(a, { kind: 'confirmation-sent', listId: 'news' }, later(1000));
    repo.addEvent(a, { kind: 'confirmation-sent', listId: 'news' }, later(5000));
    repo.addEvent(a, { kind: 'requested', listId: 'nyheter' }, later(9000));
    expect(repo.awaitingConfirmation()).toEqual([
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

  it('streams only confirmed, active, unsuppressed subscribers of the list, in id order', () => {
    const a = add('a@example.com', 'confirmed', { nyheter: 'active' });
    add('b@example.com', 'pending', { nyheter: 'pending' });
    add('c@example.com', 'confirmed', { nyheter: 'unsubscribed', news: 'active' });
    const d = add('d@example.com', 'confirmed', { nyheter: 'active', news: 'active' });
    const e = add('e@example.com', 'confirmed', { nyheter: 'active' });
    p.store.subscribers.suppress('e@example.com', 'complained', T0);
    expect([...p.store.subscribers.recipients('nyheter')]).toEqual([
      { subscriberId: a, email: 'a@example.com', name: null, lang: 'sv' },
      { subscriberId: d, email: 'd@example.com', name: null, lang: 'sv' },
    ]);
    expect(p.store.subscribers.isDeliverable(a, 'nyheter')).toBe(true);
    expect(p.store.subscribers.isDeliverable(a, 'news')).toBe(false);
    expect(p.store.subscribers.isDeliverable(e, 'nyheter')).toBe(false);
    const all = [a, d, e, 999_999];
    expect(p.store.subscribers.deliverable('nyheter', all)).toEqual(new Set([a, d]));
    expect(p.store.subscribers.deliverable('news', all)).toEqual(new Set([d]));
    expect(p.store.subscribers.deliverable('nyheter', [])).toEqual(new Set());
  });

  it('marks a hard bounce: status, history, suppression — and the person is no longer deliverable', () => {
    const id = add('f@example.com', 'confirmed', { news: 'active' });
    p.store.subscribers.markBounced('f@example.com', '550 5.1.1 user unknown', later(1000));
    const s = p.store.subscribers.get(id)!;
    expect(s.status).toBe('bounced');
    expect(s.statusDetail).toBe('550 5.1.1 user unknown');
    expect(p.store.subscribers.suppression('f@example.com')).toEqual({
      reason: 'bounced',
      since: later(1000),
    });
    expect(p.store.subscribers.isDeliverable(id, 'news')).toBe(false);
    expect(p.store.subscribers.history(id).map((e) => e.kind)).toEqual(['bounced']);
  });

  it('suppresses even an address it does not know (a bounce for someone erased)', () => {
    p.store.subscribers.markComplained('gone@example.com', 'abuse report', T0);
    expect(p.store.subscribers.suppression('gone@example.com')?.reason).toBe('complained');
  });

  it('never lets a weaker reason replace a stronger one', () => {
    const repo = p.store.subscribers;
    repo.suppress('x@example.com', 'complained', T0);
    repo.suppress('x@example.com', 'unsubscribed', later(1));
    repo.suppress('x@example.com', 'erased', later(2));
    expect(repo.suppression('x@example.com')).toEqual({ reason: 'complained', since: T0 });
    repo.suppress('y@example.com', 'erased', T0);
    repo.suppress('y@example.com', 'bounced', later(5));
    expect(repo.suppression('y@example.com')).toEqual({ reason: 'bounced', since: later(5) });
  });

  it('leaves no trace of an erased address in the database file, only a keyed hash', () => {
    const repo = p.store.subscribers;
    const id = add('secret.person@example.com', 'confirmed', { news: 'active' });
    repo.update(id, { name: 'Hemlig Person' }, T0);
    repo.addEvent(id, { kind: 'confirmed', listId: 'news', ip: '198.51.100.23' }, T0);
    repo.transaction(() => {
      repo.suppress('secret.person@example.com', 'erased', T0);
      repo.erase(id);
    });
    p.store.close();
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
    p.reopen();
  });

  it('rolls back a whole transaction when any part fails', () => {
    const repo = p.store.subscribers;
    expect(() =>
      repo.transaction(() => {
        add('h@example.com', 'confirmed', { news: 'active' });
        add('h@example.com', 'confirmed', { news: 'active' });
      }),
    ).toThrow(/UNIQUE/);
    expect(repo.find('h@example.com')).toBeUndefined();
  });

  it('erases a subscriber with memberships and history, keeping only the suppression entry', () => {
    const repo = p.store.subscribers;
    const id = add('i@example.com', 'confirmed', { news: 'active' });
    repo.addEvent(id, { kind: 'confirmed', listId: 'news', ip: '192.0.2.1' }, T0);
    repo.suppress('i@example.com', 'erased', T0);
    repo.erase(id);
    expect(repo.get(id)).toBeUndefined();
    expect(repo.history(id)).toEqual([]);
    expect([...repo.recipients('news')]).toEqual([]);
    expect(repo.suppression('i@example.com')?.reason).toBe('erased');
  });
});
