import { chmodSync, cpSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { loadConfig } from '../../src/config/load.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { addressHasher, secretFingerprint } from '../../src/store/address-hash.js';
import { openStore } from '../../src/store/open.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { exampleProject, runScs } from '../helpers/scs.js';
import { T0 } from '../subscribers/project.js';

/** What migrate needs besides the database (steps 1–3 use none of it). */
const CONTEXT = { secret: 'the-secret-of-this-test-project', now: T0 };

/** The names of the steps after schema `version`, as `migration.applied` lists them. */
const stepsAfter = (version: number) =>
  MIGRATIONS.filter((m) => m.version > version).map((m) => `${m.version}-${m.name}`);

const codeOf = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScsError);
    return (e as ScsError).diagnostics.map((d) => d.code);
  }
  return expect.unreachable('no error');
};

describe('the SQLite store', () => {
  const projects: { cleanup(): void }[] = [];
  afterEach(async () => {
    for (const p of projects.splice(0)) await p.cleanup();
  });
  const project = (env: NodeJS.ProcessEnv = {}) => {
    const p = exampleProject();
    projects.push(p);
    return loadConfig({ root: p.dir, env });
  };
  /** The project's database as the first `steps` schema steps left it, empty. */
  const oldDatabase = async (config: ReturnType<typeof project>, steps: number, context = CONTEXT) => {
    await (await openStore(config)).close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${config.env.database}${suffix}`, { force: true });
    const db = new Database(config.env.database);
    migrate(db, MIGRATIONS.slice(0, steps), 'old.db', context);
    return db;
  };

  it('creates .scs/scs.db from nothing, in WAL mode, at the newest schema version', async () => {
    const config = project();
    const store = await openStore(config);
    expect(store.kind).toBe('sqlite');
    expect(store.description).toBe('SQLite .scs/scs.db');
    await store.close();
    const db = new Database(config.env.database, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['meta', 'subscribers', 'subscriptions', 'subscriber_events', 'suppressions']),
    );
    db.close();
  });

  it('honours SCS_DATABASE', async () => {
    const config = project({ SCS_DATABASE: 'data/people.sqlite' });
    const store = await openStore(config);
    expect(store.description).toBe('SQLite data/people.sqlite');
    await store.close();
  });

  it('upgrades a database written by an older scs (schema 1 only), keeping its data', async () => {
    const config = project();
    const store = await openStore(config);
    await store.close();
    // Rebuild the file as the first release left it: only migration 1, with one subscriber.
    rmSync(config.env.database);
    rmSync(`${config.env.database}-wal`, { force: true });
    rmSync(`${config.env.database}-shm`, { force: true });
    const old = new Database(config.env.database);
    migrate(old, MIGRATIONS.slice(0, 1), 'old.db', CONTEXT);
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();
    const reopened = await openStore(config);
    const [id] = await reopened.subscribers.insertMany(
      [
        {
          subscriber: {
            email: 'ada@example.com',
            name: null,
            lang: 'en',
            status: 'confirmed',
            consent: { source: 'cli', at: T0, ip: null, detail: null, confirmedAt: T0 },
          },
          lists: [{ listId: 'news', status: 'active' }],
        },
      ],
      T0,
    );
    await reopened.close();
    const again = await openStore(config);
    expect((await collect(again.subscribers.recipients('news'))).map((r) => r.subscriberId)).toEqual([id]);
    await again.close();
    const db = new Database(config.env.database, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('upgrades a ledger planned before sends swept the dispatch (schema 2), queue and retries intact', async () => {
    const config = project();
    const old = await oldDatabase(config, 2);
    old.exec(`
      INSERT INTO dispatches (id, release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
        VALUES (1, 'sv/x', 'sv', 'nyheter', 'smtp', 'X', 'h', 'open', 3, 0);
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, attempts, next_attempt_at, updated_at) VALUES
        (1, 1, 'a@example.com', 'sent', 1, 0, 0),
        (1, 2, 'b@example.com', 'pending', 1, 5000, 0),
        (1, 3, 'c@example.com', 'pending', 0, 0, 0);
    `);
    old.close();
    const store = await openStore(config);
    try {
      expect((await store.ledger.due(1, 10, new Date(4999))).map((r) => r.email)).toEqual(['c@example.com']);
      expect(await store.ledger.nextRetryAt(1)).toEqual(new Date(5000));
      expect((await store.ledger.due(1, 10, new Date(5000), 3)).map((r) => r.email)).toEqual([
        'b@example.com',
      ]);
    } finally {
      await store.close();
    }
    const db = new Database(config.env.database, { readonly: true });
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' ORDER BY name",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(['deliveries_message_id', 'deliveries_retry', 'deliveries_subscriber']);
    db.close();
  });

  it('gives dispatches a kind (schema 8) without losing a delivery to the rebuilt table', async () => {
    const config = project();
    const old = await oldDatabase(config, 6);
    old.exec(`
      INSERT INTO dispatches (id, release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
        VALUES (1, 'sv/x', 'sv', 'nyheter', 'smtp', 'X', 'h', 'done', 2, 0);
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, updated_at) VALUES
        (1, 1, 'a@example.com', 'sent', 0), (1, 2, 'b@example.com', 'failed', 0);
    `);
    old.close();
    const store = await openStore(config);
    try {
      const d = (await store.ledger.get(1))!;
      expect([d.kind, d.variant, d.covers]).toEqual(['newsletter', '', null]);
      expect((await store.ledger.sentRecipients(1)).map((r) => r.email)).toEqual(['a@example.com']);
      // The same release and list may now have a correction dispatch of its own.
      const c = await store.ledger.createDispatch(
        { ...d, kind: 'correction', variant: '2026-12-08', detail: 'A figure.' },
        { sentIn: 1 },
        T0,
      );
      expect((await store.ledger.find({ ...d, kind: 'correction', variant: '2026-12-08' }))?.id).toBe(c.id);
      expect((await store.ledger.find(d))?.id).toBe(1);
    } finally {
      await store.close();
    }
    const db = new Database(config.env.database, { readonly: true });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('gives an older database one key per address, merging duplicates so that no leaver is mailed again', async () => {
    const secret = 'the-secret-of-this-test-project';
    const config = project({ SCS_SECRET: secret });
    const old = await oldDatabase(config, 3, { secret, now: T0 });
    old
      .prepare("INSERT INTO meta (key, value) VALUES ('secret-fingerprint', ?)")
      .run(secretFingerprint(secret));
    // As an older scs stored them: hashes of the addresses as typed. Bob unsubscribed, then an import
    // put him back in other letter case, confirmed; he also tried the form once more. Eve was erased.
    const hash = addressHasher(secret);
    const add = old.prepare(`
      INSERT INTO subscribers (id, email, email_hash, name, lang, status, consent_source, consent_at,
        created_at, updated_at)
      VALUES (?, ?, ?, ?, 'sv', ?, 'import', '2026-01-01T00:00:00.000Z', ?, ?)`);
    add.run(1, 'Bob@example.se', hash('Bob@example.se'), 'Bob', 'unsubscribed', '2026-01-01', '2026-02-01');
    add.run(2, 'bob@example.se', hash('bob@example.se'), null, 'confirmed', '2026-03-01', '2026-03-01');
    add.run(3, 'BOB@example.se', hash('BOB@example.se'), null, 'pending', '2026-03-02', '2026-03-02');
    add.run(4, 'ada@example.se', hash('ada@example.se'), 'Ada', 'confirmed', '2026-01-01', '2026-01-01');
    old.exec(`
      INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at) VALUES
        ('nyheter', 1, 'unsubscribed', 'a', 'a'), ('nyheter', 2, 'active', 'b', 'b'),
        ('news', 3, 'pending', 'c', 'c'), ('nyheter', 4, 'active', 'd', 'd');
      INSERT INTO subscriber_events (subscriber_id, at, kind) VALUES (1, 'a', 'unsubscribed'), (2, 'b', 'added');
      INSERT INTO dispatches (id, release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
        VALUES (1, 'sv/x', 'sv', 'nyheter', 'smtp', 'X', 'h', 'done', 2, 0);
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, updated_at) VALUES
        (1, 2, 'bob@example.se', 'sent', 0), (1, 4, 'ada@example.se', 'sent', 0);
      -- Eve's row after her erasure, as the older trigger left it: the server's reply still quotes her.
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, last_reply, updated_at) VALUES
        (1, 9, '', 'failed', '550 5.1.1 <Eve@example.se>: no such user', 0);
    `);
    const suppress = old.prepare("INSERT INTO suppressions (hash, reason, created_at) VALUES (?, ?, 'a')");
    suppress.run(hash('Bob@example.se'), 'unsubscribed');
    suppress.run(hash('Eve@example.se'), 'erased');
    old.close();
    // The same file, upgraded by the binary in another project: the operator is told what was merged.
    const other = project({ SCS_SECRET: secret });
    mkdirSync(path.dirname(other.env.database), { recursive: true });
    cpSync(config.env.database, other.env.database);
    const listed = runScs(['subscribers', 'list'], { cwd: other.root, env: { SCS_SECRET: secret } });
    expect(listed.stderr).toContain(
      'Merged 1 duplicate address (the same address in other letter case):\n' +
        'merged Bob@example.se (#1, unsubscribed), bob@example.se (#2, confirmed), BOB@example.se (#3, pending) into #1 (unsubscribed)\n',
    );
    expect(listed.stdout.match(/^\S+@example\.se/gim)).toEqual(['Bob@example.se', 'ada@example.se']);

    const store = await openStore(config, { now: T0 });
    try {
      expect(store.migration.applied).toEqual(stepsAfter(3));
      expect(store.migration.notes).toEqual([
        'Merged 1 duplicate address (the same address in other letter case):',
        'merged Bob@example.se (#1, unsubscribed), bob@example.se (#2, confirmed), BOB@example.se (#3, pending) into #1 (unsubscribed)',
      ]);
      const bob = (await store.subscribers.find('BoB@Example.SE'))!;
      expect([bob.id, bob.email, bob.name, bob.status]).toEqual([1, 'Bob@example.se', 'Bob', 'unsubscribed']);
      // Leaving a list wins over being on it; the other lists come along.
      expect(bob.subscriptions.map((m) => [m.listId, m.status])).toEqual([
        ['news', 'pending'],
        ['nyheter', 'unsubscribed'],
      ]);
      expect((await store.subscribers.history(1)).map((e) => e.kind)).toEqual([
        'unsubscribed',
        'added',
        'merged',
        'merged',
      ]);
      expect((await store.subscribers.suppression('bob@example.se'))?.reason).toBe('unsubscribed');
      expect((await collect(store.subscribers.recipients('nyheter'))).map((r) => r.email)).toEqual([
        'ada@example.se',
      ]);
      // His past delivery is still his; Eve's entry still matches the address as it was typed.
      expect((await store.ledger.counts(1)).sent).toBe(2);
      expect((await store.subscribers.suppression('Eve@example.se'))?.reason).toBe('erased');
      expect((await store.ledger.problems(1, 10)).map((d) => [d.subscriberId, d.reply])).toEqual([[9, null]]);
      await expect(
        store.subscribers.insertMany(
          [
            {
              subscriber: {
                email: 'ADA@example.se',
                name: null,
                lang: 'sv',
                status: 'pending',
                consent: { source: 'cli', at: T0, ip: null, detail: null, confirmedAt: null },
              },
              lists: [],
            },
          ],
          T0,
        ),
      ).rejects.toThrow(/UNIQUE/);
    } finally {
      await store.close();
    }
    const again = await openStore(config);
    expect(again.migration).toMatchObject({ applied: [], notes: [] });
    await again.close();
  });

  it('rewrites status details that repeated the status (schema 5), leaving every other detail alone', async () => {
    const config = project();
    const old = await oldDatabase(config, 5);
    const add = old.prepare(`
      INSERT INTO subscribers (email, email_key, email_hash, lang, status, status_detail, consent_source,
        consent_at, created_at, updated_at)
      VALUES (?, ?, 'h', 'sv', ?, ?, 'import', 'a', 'a', 'a')`);
    const rows: [string, string | null][] = [
      ['unsubscribed', 'unsubscribed (one-click)'],
      ['unsubscribed', 'unsubscribed (cli)'],
      ['bounced', 'marked bounced in people.csv:5'],
      ['complained', 'marked complained in people.csv:6'],
      ['bounced', '550 5.1.1 user unknown'],
      ['bounced', 'marked complained in x.csv:1'],
      ['confirmed', null],
    ];
    for (const [i, [status, detail]] of rows.entries())
      add.run(`p${i}@example.se`, `p${i}@example.se`, status, detail);
    old.close();
    const store = await openStore(config, { now: T0 });
    try {
      expect(store.migration.applied).toEqual(stepsAfter(5));
      expect((await collect(await store.subscribers.list())).map((s) => s.statusDetail)).toEqual([
        'via one-click',
        'via cli',
        'marked in people.csv:5',
        'marked in people.csv:6',
        '550 5.1.1 user unknown',
        'marked complained in x.csv:1',
        null,
      ]);
    } finally {
      await store.close();
    }
  });

  it('runs each step once, even when opened again and again', async () => {
    const config = project();
    await (await openStore(config)).close();
    await (await openStore(config)).close();
    const db = new Database(config.env.database);
    expect(migrate(db, MIGRATIONS, 'x', CONTEXT).applied).toEqual([]);
    db.close();
  });

  it('rolls a failing step back whole, leaving the last good version', async () => {
    const db = new Database(':memory:');
    const steps = [
      MIGRATIONS[0]!,
      {
        version: 2,
        name: 'broken',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE half_done (x)');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, steps, 'mem', CONTEXT)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer scs', async () => {
    const config = project();
    await (await openStore(config)).close();
    const db = new Database(config.env.database);
    db.pragma('user_version = 99');
    db.close();
    expect(await codeOf(() => openStore(config))).toEqual(['store-too-new']);
  });

  it('refuses a file that is not a database', async () => {
    const config = project({ SCS_DATABASE: 'notes.txt' });
    writeFileSync(config.env.database, 'These are my notes, not a database.\n'.repeat(50));
    expect(await codeOf(() => openStore(config))).toEqual(['store-unreadable']);
  });

  it('refuses to open with another secret than the one the suppression list was keyed with', async () => {
    const config = project({ SCS_SECRET: 'the-first-secret-of-this-project' });
    await (await openStore(config)).close();
    const other = loadConfig({ root: config.root, env: { SCS_SECRET: 'a-completely-different-secret!!' } });
    expect(await codeOf(() => openStore(other))).toEqual(['store-secret-mismatch']);
  });
});

describe('the database files', () => {
  it('are readable by their owner only (0600), whatever the umask, also when an older scs left them open', async () => {
    const p = exampleProject();
    const umask = process.umask(0o000);
    try {
      const config = loadConfig({ root: p.dir, env: {} });
      const modes = () =>
        ['', '-wal', '-shm'].map((suffix) => statSync(`${config.env.database}${suffix}`).mode & 0o777);
      const store = await openStore(config);
      expect(modes()).toEqual([0o600, 0o600, 0o600]);
      await store.close();
      // Files an older scs created, still there while another connection has the database open.
      const other = new Database(config.env.database);
      other.pragma('journal_mode = WAL');
      for (const suffix of ['', '-wal', '-shm']) chmodSync(`${config.env.database}${suffix}`, 0o644);
      const reopened = await openStore(config);
      expect(modes()).toEqual([0o600, 0o600, 0o600]);
      await reopened.close();
      other.close();
    } finally {
      process.umask(umask);
      await p.cleanup();
    }
  });
});
