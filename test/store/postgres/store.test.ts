import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { openPostgresStore } from '../../../src/store/postgres/store.js';
import type { NewSubscriber } from '../../../src/store/subscriber-types.js';
import { failure, pgLocation, startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { exampleProject } from '../../helpers/scs.js';

const SECRET = 'a-test-secret-that-is-long-enough';
const T0 = new Date('2026-03-02T09:00:00Z');

let server: TestPostgres;
let project: ReturnType<typeof exampleProject>;
beforeAll(async () => {
  server = await startPostgres();
  project = exampleProject();
}, 60_000);
afterAll(() => {
  project?.cleanup();
  server?.stop();
});

const config = (secret = SECRET) => loadConfig({ root: project.dir, env: { SCS_SECRET: secret } });
const open = (url: string, secret = SECRET) => openPostgresStore(pgLocation(url), config(secret));

const person = (email: string): NewSubscriber => ({
  email,
  name: null,
  lang: 'sv',
  status: 'confirmed',
  consent: { source: 'cli', at: T0, ip: null, detail: null, confirmedAt: T0 },
});

describe('the PostgreSQL store', () => {
  it('migrates on open, says where it is, and opens again without migrating', async () => {
    const url = `${server.createDatabase('open')}?schema=press`;
    const first = await open(url);
    expect(first.kind).toBe('postgres');
    expect(first.description).toMatch(
      /^PostgreSQL postgres:\/\/postgres@127\.0\.0\.1:\d+\/open \(schema press\)$/,
    );
    expect(first.migration.applied).toHaveLength(POSTGRES_MIGRATIONS.length);
    expect(await first.checkpoint()).toBe(true);
    await first.close();
    const again = await open(url);
    expect(again.migration.applied).toEqual([]);
    await again.close();
  });

  it('migrates once when several processes open a fresh database at the same moment', async () => {
    const url = server.createDatabase('race');
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    expect(stores.flatMap((s) => s.migration.applied)).toHaveLength(POSTGRES_MIGRATIONS.length);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses another secret key, and a schema newer than this scs', async () => {
    const url = server.createDatabase('refuse');
    await (await open(url)).close();
    const other = await failure(open(url, 'another-secret-that-is-long-enough'));
    expect(other.diagnostics[0]!.code).toBe('store-secret-mismatch');
    expect(other.exitCode).toBe(2);
    server.psql('UPDATE scs_schema SET version = 99', 'refuse');
    const newer = await failure(open(url));
    expect(newer.diagnostics[0]).toMatchObject({ code: 'store-too-new' });
  });

  it('names an unknown user, a missing database and a silent server, never the password', async () => {
    const secret = 'hunter2-NEVER-SHOWN';
    const cases: [string, string][] = [
      [`postgres://nobody:${secret}@127.0.0.1:${server.port}/postgres`, 'store-auth-failed'],
      [`postgres://postgres:${secret}@127.0.0.1:${server.port}/no_such_db`, 'store-database-missing'],
      [`postgres://postgres:${secret}@127.0.0.1:1/postgres`, 'store-unreachable'],
    ];
    for (const [url, code] of cases) {
      const e = await failure(open(url));
      expect(e.diagnostics[0]!.code).toBe(code);
      expect(JSON.stringify(e.diagnostics)).not.toContain(secret);
    }
  });

  it('keeps a transaction to itself until it commits, on one connection for all repositories', async () => {
    const store = await open(server.createDatabase('tx'));
    try {
      let seenInside: number | undefined;
      let seenOutside = true;
      await store.transaction(async (tx) => {
        const [id] = await tx.subscribers.insertMany(
          [{ subscriber: person('t@example.com'), lists: [] }],
          T0,
        );
        await tx.subscribers.addEvent(id!, { kind: 'imported' }, T0);
        seenInside = (await tx.subscribers.find('t@example.com'))?.id;
        seenOutside = (await store.subscribers.find('t@example.com')) !== undefined;
        expect(await tx.bounces.seen('nothing')).toBe(false);
      });
      expect(seenInside).toBeTypeOf('number');
      expect(seenOutside).toBe(false);
      expect((await store.subscribers.find('T@example.com'))?.id).toBe(seenInside);
    } finally {
      await store.close();
    }
  });
});

describe('transactions on PostgreSQL', () => {
  it('run one at a time, as on SQLite: two that look an address up and add it if missing add it once', async () => {
    const url = server.createDatabase('serial');
    const [a, b] = [await open(url), await open(url)];
    try {
      const enrol = (store: typeof a) =>
        store.transaction(async (tx) => {
          if (await tx.subscribers.find('same@example.com')) return 'found';
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.subscribers.insertMany([{ subscriber: person('same@example.com'), lists: [] }], T0);
          return 'added';
        });
      expect((await Promise.all([enrol(a), enrol(b)])).sort()).toEqual(['added', 'found']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
