import { rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { openStore } from '../../src/store/open.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { exampleProject } from '../helpers/scs.js';
import { T0 } from '../subscribers/project.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScsError);
    return (e as ScsError).diagnostics.map((d) => d.code);
  }
  return expect.unreachable('no error');
};

describe('the SQLite store', () => {
  const projects: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const p of projects.splice(0)) p.cleanup();
  });
  const project = (env: NodeJS.ProcessEnv = {}) => {
    const p = exampleProject();
    projects.push(p);
    return loadConfig({ root: p.dir, env });
  };

  it('creates .scs/scs.db from nothing, in WAL mode, at the newest schema version', () => {
    const config = project();
    const store = openStore(config);
    expect(store.kind).toBe('sqlite');
    expect(store.description).toBe('SQLite .scs/scs.db');
    store.close();
    const db = new Database(config.env.database, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
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

  it('honours SCS_DATABASE', () => {
    const config = project({ SCS_DATABASE: 'data/people.sqlite' });
    const store = openStore(config);
    expect(store.description).toBe('SQLite data/people.sqlite');
    store.close();
  });

  it('upgrades a database written by an older scs (schema 1 only), keeping its data', () => {
    const config = project();
    const store = openStore(config);
    store.close();
    // Rebuild the file as the first release left it: only migration 1, with one subscriber.
    rmSync(config.env.database);
    rmSync(`${config.env.database}-wal`, { force: true });
    rmSync(`${config.env.database}-shm`, { force: true });
    const old = new Database(config.env.database);
    migrate(old, MIGRATIONS.slice(0, 1), 'old.db');
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();
    const reopened = openStore(config);
    const [id] = reopened.subscribers.insertMany(
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
    reopened.close();
    const again = openStore(config);
    expect([...again.subscribers.recipients('news')].map((r) => r.subscriberId)).toEqual([id]);
    again.close();
    const db = new Database(config.env.database, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('upgrades a ledger planned before sends swept the dispatch (schema 2), queue and retries intact', () => {
    const config = project();
    openStore(config).close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${config.env.database}${suffix}`, { force: true });
    const old = new Database(config.env.database);
    migrate(old, MIGRATIONS.slice(0, 2), 'old.db');
    old.exec(`
      INSERT INTO dispatches (id, release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
        VALUES (1, 'sv/x', 'sv', 'nyheter', 'smtp', 'X', 'h', 'open', 3, 0);
      INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, attempts, next_attempt_at, updated_at) VALUES
        (1, 1, 'a@example.com', 'sent', 1, 0, 0),
        (1, 2, 'b@example.com', 'pending', 1, 5000, 0),
        (1, 3, 'c@example.com', 'pending', 0, 0, 0);
    `);
    old.close();
    const store = openStore(config);
    try {
      expect(store.ledger.due(1, 10, new Date(4999)).map((r) => r.email)).toEqual(['c@example.com']);
      expect(store.ledger.nextRetryAt(1)).toEqual(new Date(5000));
      expect(store.ledger.due(1, 10, new Date(5000), 3).map((r) => r.email)).toEqual(['b@example.com']);
    } finally {
      store.close();
    }
    const db = new Database(config.env.database, { readonly: true });
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' ORDER BY name",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(['deliveries_retry', 'deliveries_subscriber']);
    db.close();
  });

  it('runs each step once, even when opened again and again', () => {
    const config = project();
    openStore(config).close();
    openStore(config).close();
    const db = new Database(config.env.database);
    expect(migrate(db, MIGRATIONS, 'x').applied).toEqual([]);
    db.close();
  });

  it('rolls a failing step back whole, leaving the last good version', () => {
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
    expect(() => migrate(db, steps, 'mem')).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer scs', () => {
    const config = project();
    openStore(config).close();
    const db = new Database(config.env.database);
    db.pragma('user_version = 99');
    db.close();
    expect(codeOf(() => openStore(config))).toEqual(['store-too-new']);
  });

  it('refuses a file that is not a database', () => {
    const config = project({ SCS_DATABASE: 'notes.txt' });
    writeFileSync(config.env.database, 'These are my notes, not a database.\n'.repeat(50));
    expect(codeOf(() => openStore(config))).toEqual(['store-unreadable']);
  });

  it('refuses to open with another secret than the one the suppression list was keyed with', () => {
    const config = project({ SCS_SECRET: 'the-first-secret-of-this-project' });
    openStore(config).close();
    const other = loadConfig({ root: config.root, env: { SCS_SECRET: 'a-completely-different-secret!!' } });
    expect(codeOf(() => openStore(other))).toEqual(['store-secret-mismatch']);
  });
});
