import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../../src/store/postgres/connect.js';
import { migratePostgres, postgresVersion } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { exampleProject, runScs } from '../../helpers/scs.js';
import { failure, pgLocation, startPostgres, type TestPostgres } from '../../helpers/postgres.js';

const ALL = POSTGRES_MIGRATIONS.map((m) => `${m.version}-${m.name}`);

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

describe('PostgreSQL schema', () => {
  it('migrates into the named schema once, and a second run finds nothing to do', async () => {
    const l = pgLocation(`${server.createDatabase('once')}?schema=press`);
    const client = await connectPostgres(l);
    try {
      expect(await postgresVersion(client, l)).toBe(0);
      const first = await migratePostgres(client, l, POSTGRES_MIGRATIONS);
      expect(first).toMatchObject({ from: 0, to: POSTGRES_MIGRATIONS.length, applied: ALL });
      const again = await migratePostgres(client, l, POSTGRES_MIGRATIONS);
      expect(again.applied).toEqual([]);
    } finally {
      await client.end();
    }
    const tables = server.psql(
      "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'press'",
      'once',
    );
    expect(tables.trim().split(',')).toEqual(
      expect.arrayContaining([
        'deliveries',
        'dispatch_workers',
        'dispatches',
        'meta',
        'scs_schema',
        'subscribers',
        'subscriptions',
        'suppressions',
      ]),
    );
  });

  it('migrates once when several runners start at the same moment', async () => {
    const l = pgLocation(server.createDatabase('race'));
    const clients = await Promise.all(Array.from({ length: 5 }, () => connectPostgres(l)));
    try {
      const results = await Promise.all(clients.map((c) => migratePostgres(c, l, POSTGRES_MIGRATIONS)));
      // Each step once, whichever runner took it (a step is a transaction of its own under the lock).
      expect(results.flatMap((r) => r.applied).sort()).toEqual([...ALL].sort());
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('refuses a schema newer than this scs', async () => {
    const url = server.createDatabase('newer');
    const l = pgLocation(url);
    const client = await connectPostgres(l);
    try {
      await migratePostgres(client, l, POSTGRES_MIGRATIONS);
      server.psql('UPDATE scs_schema SET version = 99', 'newer');
      const e = await failure(migratePostgres(client, l, POSTGRES_MIGRATIONS));
      expect(e.diagnostics[0]).toMatchObject({ code: 'store-too-new' });
    } finally {
      await client.end();
    }
  });

  it('forgets an erased subscriber in the ledger, as SQLite does', async () => {
    const l = pgLocation(server.createDatabase('erase'));
    const client = await connectPostgres(l);
    try {
      await migratePostgres(client, l, POSTGRES_MIGRATIONS);
      await client.query(`INSERT INTO subscribers (id, email, email_hash, email_key, lang, status, consent_source, consent_at, created_at, updated_at)
        VALUES (1, 'a@example.org', 'h', 'k', 'sv', 'confirmed', 'cli', 'x', 'x', 'x')`);
      await client.query(`INSERT INTO dispatches (id, release_id, lang, list_id, transport, subject, release_hash, state, total, planned_at)
        VALUES (1, 'sv/r', 'sv', 'nyheter', 'smtp', 's', 'h', 'open', 2, 0), (2, 'sv/q', 'sv', 'nyheter', 'smtp', 's', 'h', 'open', 1, 0)`);
      await client.query(`INSERT INTO deliveries (dispatch_id, subscriber_id, email, name, status, last_reply, updated_at)
        VALUES (1, 1, 'a@example.org', 'A', 'sent', '250 ok a@example.org', 0), (2, 1, 'a@example.org', 'A', 'pending', NULL, 0)`);
      await client.query('DELETE FROM subscribers WHERE id = 1');
      const { rows } = await client.query(
        'SELECT dispatch_id, email, name, status, last_reply FROM deliveries ORDER BY dispatch_id',
      );
      expect(rows).toEqual([
        { dispatch_id: '1', email: '', name: null, status: 'sent', last_reply: null },
        { dispatch_id: '2', email: '', name: null, status: 'skipped', last_reply: 'erased before sending' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('names the failure and never the password: unknown user, missing database, nobody listening', async () => {
    const secret = 'hunter2-NEVER-SHOWN';
    const cases: [string, string][] = [
      [`postgres://nobody:${secret}@127.0.0.1:${server.port}/postgres`, 'store-auth-failed'],
      [`postgres://postgres:${secret}@127.0.0.1:${server.port}/no_such_db`, 'store-database-missing'],
      [`postgres://postgres:${secret}@127.0.0.1:1/postgres`, 'store-unreachable'],
    ];
    for (const [url, code] of cases) {
      const e = await failure(connectPostgres(pgLocation(url)));
      expect(e.diagnostics[0]!.code).toBe(code);
      expect(JSON.stringify(e.diagnostics)).not.toContain(secret);
    }
  });
});

describe('scs db, end to end', () => {
  it('shows and migrates a PostgreSQL database, which the other commands then use', () => {
    const project = exampleProject();
    try {
      const url = `${server.createDatabase('e2e').replace('postgres@', 'postgres:pw-NEVER-SHOWN@')}?schema=scs`;
      const env = { SCS_DATABASE: url, SCS_SECRET: 'a-test-secret-that-is-long-enough' };
      const before = runScs(['db', 'status', '--json'], { cwd: project.dir, env });
      expect(before.code).toBe(0);
      expect(JSON.parse(before.stdout)).toMatchObject({ kind: 'postgres', state: 'missing', version: 0 });
      const migrated = runScs(['db', 'migrate'], { cwd: project.dir, env });
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toMatch(
        new RegExp(
          `Migrated PostgreSQL postgres://postgres@127\\.0\\.0\\.1:\\d+/e2e \\(schema scs\\) from schema version 0 to ${POSTGRES_MIGRATIONS.length}:`,
        ),
      );
      const after = runScs(['db', 'status'], { cwd: project.dir, env });
      expect(after.stdout).toMatch(`schema version ${POSTGRES_MIGRATIONS.length}, the newest`);
      // And the rest of scs works on it, as on SQLite.
      const status = runScs(['status'], { cwd: project.dir, env });
      expect(status.code, status.stderr).toBe(0);
      for (const r of [before, migrated, after, status])
        expect(r.stdout + r.stderr).not.toContain('NEVER-SHOWN');
    } finally {
      project.cleanup();
    }
  });

  it('shows and migrates the SQLite store too', () => {
    const project = exampleProject();
    try {
      const env = { SCS_SECRET: 'a-test-secret-that-is-long-enough' };
      expect(runScs(['db', 'status'], { cwd: project.dir, env }).stdout).toMatch(
        /SQLite \.scs\/scs\.db: not set up yet/,
      );
      expect(runScs(['db', 'migrate'], { cwd: project.dir, env }).stdout).toMatch(
        /Migrated SQLite \.scs\/scs\.db from schema version 0 to \d+/,
      );
      const s = JSON.parse(runScs(['db', 'status', '--json'], { cwd: project.dir, env }).stdout);
      expect(s).toMatchObject({ kind: 'sqlite', state: 'current' });
      expect(s.version).toBe(s.latest);
    } finally {
      project.cleanup();
    }
  });
});
