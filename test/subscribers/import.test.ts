import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { ScsError } from '../../src/core/diagnostic.js';
import type { Store } from '../../src/store/types.js';
import { type ImportOptions, importSubscribers } from '../../src/subscribers/import.js';
import { eraseSubscriber, removeSubscriber } from '../../src/subscribers/manage.js';
import { REPO } from '../helpers/scs.js';
import { later, subscriberProject, T0 } from './project.js';

const fixture = (name: string) => path.join(REPO, 'test', 'fixtures', 'subscribers', name, 'people.csv');
const lines = (entries: { line: number }[]) => entries.map((e) => e.line);

describe('importing subscribers from CSV', () => {
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  beforeEach(async () => {
    p = await subscriberProject();
  });
  afterEach(async () => await p.cleanup());

  const run = async (name: string, options: Partial<ImportOptions> = {}) =>
    await importSubscribers(p.config, p.store, {
      file: fixture(name),
      shownFile: `${name}.csv`,
      now: T0,
      ...options,
    });
  const all = async () => await collect(await p.store.subscribers.list());

  it('reads a BOM, ";" and Swedish headers; normalises addresses; maps language names', async () => {
    const report = await run('bom-semicolon', { lists: ['nyheter'], confirmed: true });
    expect(report.delimiter).toBe(';');
    expect(report.rows).toBe(3);
    expect(lines(report.added)).toEqual([2, 3, 5]);
    expect(report.invalid).toEqual([]);
    expect(report.applied).toBe(true);
    expect((await all()).map((s) => [s.email, s.name, s.lang, s.status, s.consent.source])).toEqual([
      ['malin.ek@example.com', 'Malin Ek', 'sv', 'confirmed', 'import'],
      ['jonas.falk@example.org', 'Falk; Jonas', 'sv', 'confirmed', 'import'],
      ['nora.lind@example.net', 'Nora Lind', 'en', 'confirmed', 'import'],
    ]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toHaveLength(3);
  });

  it('is idempotent: the same file again changes nothing', async () => {
    await run('bom-semicolon', { lists: ['nyheter'], confirmed: true });
    const before = await all();
    const again = await run('bom-semicolon', { lists: ['nyheter'], confirmed: true, now: later(60_000) });
    expect({
      added: again.added.length,
      updated: again.updated.length,
      unchanged: again.unchanged.length,
    }).toEqual({
      added: 0,
      updated: 0,
      unchanged: 3,
    });
    expect(await all()).toEqual(before);
    expect(await p.store.subscribers.history(before[0]!.id)).toEqual([]);
    expect(before[0]!.consent).toMatchObject({ source: 'import', detail: 'bom-semicolon.csv:2', at: T0 });
  });

  it('handles quoted fields, any column order, extra columns; a multi-line name is an invalid row', async () => {
    const report = await run('quoted-fields', { lists: ['news'], confirmed: true });
    expect(report.delimiter).toBe(',');
    expect(report.ignoredColumns).toEqual(['Company']);
    expect(report.invalid.map((d) => [d.line, d.message])).toEqual([
      [4, 'The name contains a line break or a control character.'],
    ]);
    expect(report.applied).toBe(false);
    expect(await all()).toEqual([]);
    const skipping = await run('quoted-fields', { lists: ['news'], confirmed: true, skipInvalid: true });
    expect(skipping.invalid[0]!.severity).toBe('warning');
    expect(skipping.applied).toBe(true);
    expect((await all()).map((s) => [s.email, s.name, s.lang])).toEqual([
      ['ake.lindqvist@example.com', 'Lindqvist, Åke', 'sv'],
      ['sara.holm@example.org', 'Sara "Sassa" Holm', 'en'],
      ['emil.strand@example.net', 'Emil Strand', 'en'],
    ]);
  });

  it('merges duplicate rows of one address (lists together, first name wins)', async () => {
    writeFileSync(
      path.join(p.dir, 'merge.csv'),
      'email,name,lists\nper@example.com,,news\nper@example.com,Per Ås,nyheter\n',
    );
    const merged = await importSubscribers(p.config, p.store, {
      file: path.join(p.dir, 'merge.csv'),
      confirmed: true,
      now: T0,
    });
    expect(merged.duplicates).toEqual([{ line: 3, email: 'per@example.com', detail: 'merged into line 2' }]);
    const per = (await p.store.subscribers.find('per@example.com'))!;
    expect([per.name, per.subscriptions.map((m) => m.listId)]).toEqual(['Per Ås', ['news', 'nyheter']]);

    const report = await run('duplicates', { confirmed: true });
    expect(lines(report.added)).toEqual([2, 5]);
    // One person per address in any letter case: "Lisa.Berg@EXAMPLE.com" is lisa.berg@example.com.
    expect(report.duplicates).toEqual([
      { line: 3, email: 'Lisa.Berg@example.com', detail: 'merged into line 2' },
      { line: 4, email: 'lisa.berg@example.com', detail: 'merged into line 2' },
    ]);
    expect((await all()).slice(1).map((s) => [s.email, s.subscriptions.map((m) => m.listId)])).toEqual([
      ['lisa.berg@example.com', ['news', 'nyheter']],
      ['olle.dahl@example.org', ['news']],
    ]);
  });

  it('reports every bad row with its line and reason, and writes nothing', async () => {
    const report = await run('bad-rows', { confirmed: true });
    expect(report.invalid.map((d) => [d.file, d.line, d.code])).toEqual(
      [3, 4, 5, 6, 7, 8].map((line) => ['bad-rows.csv', line, 'import-row-invalid']),
    );
    const messages = report.invalid.map((d) => d.message);
    expect(messages[0]).toContain('"not-an-address" is not a valid email address');
    expect(messages[1]).toContain('"example" is not a valid mail domain');
    expect(messages[2]).toBe('"fr" is not a configured language.');
    expect(messages[3]).toBe('Unknown list "sport".');
    expect(messages[4]).toContain('the address is empty');
    expect(messages[5]).toContain('1 field(s) more than the header');
    expect(lines(report.added)).toEqual([2, 9]);
    expect(report.applied).toBe(false);
    expect(await all()).toEqual([]);
  });

  it('shows the report without writing on a dry run', async () => {
    const report = await run('bom-semicolon', { lists: ['nyheter'], dryRun: true });
    expect(report.added).toHaveLength(3);
    expect(report.pending).toBe(3);
    expect(report.applied).toBe(false);
    expect(await all()).toEqual([]);
  });

  it('leaves imported people pending unless consent is stated', async () => {
    await run('bom-semicolon', { lists: ['nyheter'] });
    expect((await all()).map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toEqual([]);
    const confirming = await run('bom-semicolon', { lists: ['nyheter'], confirmed: true, now: later(1000) });
    expect(confirming.updated.map((e) => e.detail)).toEqual([
      '+nyheter, confirmed',
      '+nyheter, confirmed',
      '+nyheter, confirmed',
    ]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toHaveLength(3);
  });

  it('applies a file of several slices as one: every row planned against the store as it was', async () => {
    // 50,000 addresses are planned and applied at a time; the rules that matter here fall in the second.
    const n = 50_004;
    const rows = ['email,name,status'];
    for (let i = 0; i < n - 2; i++) rows.push(`reader${i}@example.org,Läsare ${i},`);
    rows.push('left@example.org,Left,unsubscribed', 'READER3@example.org,Duplicate,');
    const file = path.join(p.dir, 'many.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await p.store.subscribers.suppress('reader50001@example.org', 'complained', T0);
    const options = { file, lists: ['nyheter'], confirmed: true, now: T0 };

    const dry = await importSubscribers(p.config, p.store, { ...options, dryRun: true });
    expect(dry.applied).toBe(false);
    expect(await all()).toEqual([]);

    const report = await importSubscribers(p.config, p.store, options);
    expect(report.applied).toBe(true);
    expect(report.added).toHaveLength(n - 3);
    expect(report.skipped).toEqual([
      expect.objectContaining({ line: 50_003, email: 'reader50001@example.org' }),
    ]);
    expect(report.suppressed).toEqual([{ line: n, email: 'left@example.org', detail: 'unsubscribed' }]);
    expect(report.duplicates).toEqual([
      { line: n + 1, email: 'READER3@example.org', detail: 'merged into line 5' },
    ]);
    expect(await collect(p.store.subscribers.recipients('nyheter'))).toHaveLength(n - 3);
    expect((await p.store.subscribers.suppression('left@example.org'))?.reason).toBe('unsubscribed');
    expect(await p.store.subscribers.find('reader50001@example.org')).toBeUndefined();
  });

  it('honours a status column: people who left are suppressed, not subscribed', async () => {
    const report = await run('status-column');
    expect(lines(report.added)).toEqual([2, 3]);
    expect(report.suppressed).toEqual([
      { line: 4, email: 'mats.left@example.com', detail: 'unsubscribed' },
      { line: 5, email: 'nils.bounced@example.com', detail: 'bounced' },
    ]);
    expect((await all()).map((s) => [s.email, s.status])).toEqual([
      ['kalle.confirmed@example.com', 'confirmed'],
      ['lena.pending@example.com', 'pending'],
    ]);
    expect((await p.store.subscribers.suppression('nils.bounced@example.com'))?.reason).toBe('bounced');
    expect((await run('status-column')).suppressed).toEqual([]);
  });

  it('never brings back an erased or unsubscribed address, unless forced', async () => {
    await run('bom-semicolon', { lists: ['nyheter'], confirmed: true });
    await eraseSubscriber(p.config, p.store, { email: 'malin.ek@example.com', now: later(1000) });
    await removeSubscriber(p.config, p.store, {
      email: 'nora.lind@example.net',
      lists: ['nyheter'],
      now: later(2000),
    });
    const reopened = await p.reopen();
    const again = await importSubscribers(p.config, reopened, {
      file: fixture('bom-semicolon'),
      lists: ['nyheter'],
      confirmed: true,
      now: later(3000),
    });
    expect(again.skipped).toEqual([
      { line: 2, email: 'malin.ek@example.com', detail: 'on the suppression list (erased)' },
      { line: 5, email: 'nora.lind@example.net', detail: 'on the suppression list (unsubscribed)' },
    ]);
    expect(await reopened.subscribers.find('malin.ek@example.com')).toBeUndefined();
    expect((await reopened.subscribers.find('nora.lind@example.net'))?.status).toBe('unsubscribed');

    const forced = await importSubscribers(p.config, reopened, {
      file: fixture('bom-semicolon'),
      lists: ['nyheter'],
      confirmed: true,
      forceResubscribe: true,
      now: later(4000),
    });
    expect(lines(forced.added)).toEqual([2]);
    expect(forced.updated).toEqual([
      { line: 5, email: 'nora.lind@example.net', detail: '+nyheter, confirmed' },
    ]);
    expect(await reopened.subscribers.suppression('malin.ek@example.com')).toBeUndefined();
    expect((await collect(reopened.subscribers.recipients('nyheter'))).map((r) => r.email).sort()).toEqual([
      'jonas.falk@example.org',
      'malin.ek@example.com',
      'nora.lind@example.net',
    ]);
  });

  it('skips someone who left one list, even when they are still on another', async () => {
    const file = path.join(p.dir, 'again.csv');
    writeFileSync(file, 'email,lists\nlisa.berg@example.com,nyheter news\n');
    await importSubscribers(p.config, p.store, { file, confirmed: true, now: T0 });
    await removeSubscriber(p.config, p.store, {
      email: 'lisa.berg@example.com',
      lists: ['nyheter'],
      now: later(1000),
    });
    const report = await importSubscribers(p.config, p.store, { file, confirmed: true, now: later(2000) });
    expect(report.skipped).toEqual([
      { line: 2, email: 'lisa.berg@example.com', detail: 'unsubscribed from nyheter' },
    ]);
  });

  it.each([
    ['not-utf8', 'import-encoding', undefined],
    ['no-email-column', 'import-no-email-column', 1],
    ['unclosed-quote', 'import-csv-invalid', 3],
  ])('refuses %s as a whole (%s)', async (name, code, line) => {
    try {
      await run(name, { lists: ['news'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScsError);
      const d = (e as ScsError).diagnostics[0]!;
      expect([d.code, d.file, d.line]).toEqual([code, `${name}.csv`, line]);
    }
    expect(await all()).toEqual([]);
  });

  it('asks for a list when several are configured and the file names none', async () => {
    cpSync(fixture('bom-semicolon'), path.join(p.dir, 'x.csv'));
    await expect(
      importSubscribers(p.config, p.store, { file: path.join(p.dir, 'x.csv'), now: T0 }),
    ).rejects.toThrow(/Name the list/);
    await expect(
      importSubscribers(p.config, p.store, {
        file: path.join(p.dir, 'x.csv'),
        lists: ['sport'],
        now: T0,
      }),
    ).rejects.toThrow(/There is no list "sport"/);
  });
  it('tells the store how many came in, once, after applying (for its statistics), and not on a dry run', async () => {
    const told: number[] = [];
    const store: Store = {
      ...p.store,
      transaction: (fn) =>
        p.store.transaction((tx) =>
          fn({
            ...tx,
            subscribers: {
              ...tx.subscribers,
              refreshStatistics: async (added) => {
                told.push(added);
              },
            },
          }),
        ),
    };
    const options = { file: fixture('bom-semicolon'), now: T0, lists: ['nyheter'], confirmed: true };
    await importSubscribers(p.config, store, { ...options, dryRun: true });
    expect(told).toEqual([]);
    await importSubscribers(p.config, store, options);
    expect(told).toEqual([3]);
  });
});
