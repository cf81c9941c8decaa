import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { importSubscribers } from '../../src/subscribers/import.js';
import { addSubscriber, eraseSubscriber, removeSubscriber } from '../../src/subscribers/manage.js';
import { requestSubscription } from '../../src/subscribers/subscribe.js';
import { later, subscriberProject, T0 } from './project.js';

// One person, in the letter case each path happens to bring.
const TYPED = 'Bob.Svensson@Example.se';
const OTHER_CASE = 'bob.svensson@EXAMPLE.SE';

describe('one identity per address, whatever its letter case', () => {
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  beforeEach(async () => {
    p = await subscriberProject();
    await importSubscribers(p.config, p.store, { file: csv('first.csv', TYPED), confirmed: true, now: T0 });
  });
  afterEach(async () => await p.cleanup());

  function csv(name: string, email: string): string {
    const file = path.join(p.dir, name);
    writeFileSync(file, `email,name,lists\n${email},Bob Svensson,nyheter\n`);
    return file;
  }
  const reimport = async (now: Date) =>
    await importSubscribers(p.config, p.store, { file: csv('again.csv', OTHER_CASE), confirmed: true, now });
  const everyone = async () =>
    (await collect(await p.store.subscribers.list())).map((s) => [s.email, s.status]);
  const formPost = async (now: Date) =>
    await requestSubscription(p.store, {
      email: 'BOB.svensson@example.se',
      name: null,
      lang: 'sv',
      lists: ['nyheter'],
      ip: '192.0.2.7',
      now,
    });

  it('after a removal, a re-import in other case is skipped and the form cannot confirm anyone', async () => {
    await removeSubscriber(p.config, p.store, { email: OTHER_CASE, now: later(1000) });
    const again = await reimport(later(2000));
    expect(again.added).toEqual([]);
    expect(again.skipped).toEqual([
      { line: 2, email: 'bob.svensson@example.se', detail: 'on the suppression list (unsubscribed)' },
    ]);
    expect(await everyone()).toEqual([['Bob.Svensson@example.se', 'unsubscribed']]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);
    // The form may bring someone who unsubscribed back, but only as pending, on the same row.
    expect((await formPost(later(3000)))?.lists).toEqual(['nyheter']);
    expect(await everyone()).toEqual([['Bob.Svensson@example.se', 'unsubscribed']]);
    expect((await p.store.subscribers.find(OTHER_CASE))?.subscriptions.map((m) => m.status)).toEqual([
      'pending',
    ]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);
  });

  it('after an erasure, a re-import in other case is skipped; the form asks for a new confirmation', async () => {
    const erased = await eraseSubscriber(p.config, p.store, { email: OTHER_CASE, now: later(1000) });
    expect(erased.erased).toBe(true);
    const again = await reimport(later(2000));
    expect(again.skipped).toEqual([
      { line: 2, email: 'bob.svensson@example.se', detail: 'on the suppression list (erased)' },
    ]);
    expect(await everyone()).toEqual([]);
    expect((await formPost(later(3000)))?.lists).toEqual(['nyheter']);
    expect(await everyone()).toEqual([['BOB.svensson@example.se', 'pending']]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);
  });

  it('after a bounce reported in other case, neither a re-import nor the form brings the address back', async () => {
    await p.store.subscribers.markBounced('BOB.SVENSSON@example.se', '550 5.1.1 no such user', later(1000));
    expect(await everyone()).toEqual([['Bob.Svensson@example.se', 'bounced']]);
    const again = await reimport(later(2000));
    expect(again.added).toEqual([]);
    expect(again.skipped).toHaveLength(1);
    expect(await formPost(later(3000))).toBeUndefined();
    expect(await everyone()).toEqual([['Bob.Svensson@example.se', 'bounced']]);
    expect((await p.store.subscribers.suppression('bob.svensson@example.se'))?.reason).toBe('bounced');
  });

  it('the CLI and the form in other case find the stored person instead of adding a second', async () => {
    const added = await addSubscriber(p.config, p.store, {
      email: OTHER_CASE,
      lists: ['news'],
      confirmed: true,
      now: later(1000),
    });
    expect(added.outcome).toBe('updated');
    expect(await formPost(later(2000))).toBeUndefined();
    expect(await everyone()).toEqual([['Bob.Svensson@example.se', 'confirmed']]);
    expect(
      (await p.store.subscribers.findMany(['bob.svensson@example.se'])).get('bob.svensson@example.se')?.id,
    ).toBe(added.subscriber.id);
  });

  it('keys an internationalised domain by its ASCII form', async () => {
    const file = path.join(p.dir, 'idn.csv');
    writeFileSync(file, 'email,lists\nÅsa@Bränd.se,nyheter\nåsa@xn--brnd-moa.se,nyheter\n');
    const report = await importSubscribers(p.config, p.store, { file, confirmed: true, now: later(1000) });
    expect(report.duplicates).toEqual([
      { line: 3, email: 'åsa@xn--brnd-moa.se', detail: 'merged into line 2' },
    ]);
    expect((await p.store.subscribers.find('ÅSA@XN--BRND-MOA.SE'))?.email).toBe('Åsa@bränd.se');
  });
});
