import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScsError } from '../../../src/core/diagnostic.js';
import { connectPostgres } from '../../../src/store/postgres/connect.js';
import { type PostgresLocation, parsePostgresUrl } from '../../../src/store/postgres/location.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { createSqlPool } from '../../../src/store/postgres/sql.js';
import { createPostgresSubscribers } from '../../../src/store/postgres/subscribers.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';

const T0 = new Date('2026-03-02T09:00:00Z');

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

async function migrated(name: string) {
  const l = parsePostgresUrl(server.createDatabase(name)) as PostgresLocation;
  const client = await connectPostgres(l);
  await migratePostgres(client, l, POSTGRES_MIGRATIONS);
  await client.end();
  return createSqlPool(l);
}

const person = (email: string) => ({
  subscriber: {
    email,
    name: null,
    lang: 'sv',
    status: 'confirmed' as const,
    consent: { source: 'import' as const, at: T0, ip: null, detail: null, confirmedAt: T0 },
  },
  lists: [{ listId: 'nyheter', status: 'active' as const }],
});

describe('the subscriber repository on PostgreSQL', () => {
  it('refuses an address stored already as a catalogue error, and adds none of the others', async () => {
    const pool = await migrated('dup');
    try {
      const repo = createPostgresSubscribers(pool.sql, 'k'.repeat(32));
      await repo.insertMany([person('taken@example.org')], T0);
      const e = await repo.insertMany([person('new@example.org'), person('Taken@Example.org')], T0).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ScsError);
      expect((e as ScsError).diagnostics[0]).toMatchObject({ code: 'store-server-error' });
      expect((e as ScsError).diagnostics[0]!.message).toMatch(/duplicate key/);
      expect(await repo.find('new@example.org')).toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it('gives each of two bulk inserts running at once ids of its own, in its entries’ order', async () => {
    const pool = await migrated('ids');
    try {
      const people = (prefix: string) =>
        Array.from({ length: 20_000 }, (_, i) => person(`${prefix}.${i}@example.org`));
      const insert = (prefix: string) =>
        pool.sql.transaction((tx) =>
          createPostgresSubscribers(tx, 'k'.repeat(32)).insertMany(people(prefix), T0),
        );
      const [a, b] = await Promise.all([insert('a'), insert('b')]);
      expect(new Set([...a, ...b]).size).toBe(40_000);
      const repo = createPostgresSubscribers(pool.sql, 'k'.repeat(32));
      for (const [prefix, ids] of [
        ['a', a],
        ['b', b],
      ] as const) {
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        for (const i of [0, 12_345, 19_999]) {
          const s = await repo.find(`${prefix}.${i}@example.org`);
          expect(s?.id).toBe(ids[i]);
          expect(s?.subscriptions.map((m) => m.listId)).toEqual(['nyheter']);
        }
      }
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe('refreshStatistics', () => {
  it('gives the planner the new sizes after a bulk insert of a tenth of the table or more, not after less', async () => {
    const pool = await migrated('statistics');
    try {
      const repo = createPostgresSubscribers(pool.sql, 'k'.repeat(32));
      const sizes = async () =>
        Object.fromEntries(
          (
            await pool.sql.rows<{ relname: string; n: number }>(
              "SELECT relname, reltuples::float8 AS n FROM pg_class WHERE relname IN ('subscribers', 'subscriptions')",
            )
          ).map((r) => [r.relname, r.n]),
        );
      expect(await sizes()).toEqual({ subscribers: -1, subscriptions: -1 }); // never analysed
      const batch = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) => person(`s.${from + i}@example.org`));
      await pool.sql.transaction(async (tx) => {
        const inTx = createPostgresSubscribers(tx, 'k'.repeat(32));
        await inTx.insertMany(batch(0, 300), T0);
        await inTx.refreshStatistics(300);
      });
      expect(await sizes()).toEqual({ subscribers: 300, subscriptions: 300 });
      await repo.insertMany(batch(300, 29), T0);
      await repo.refreshStatistics(29); // under a tenth: left to autovacuum
      expect(await sizes()).toEqual({ subscribers: 300, subscriptions: 300 });
      await repo.insertMany(batch(329, 30), T0);
      await repo.refreshStatistics(30);
      expect(await sizes()).toEqual({ subscribers: 359, subscriptions: 359 });
    } finally {
      await pool.end();
    }
  });
});
