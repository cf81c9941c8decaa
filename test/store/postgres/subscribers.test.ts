import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('the subscriber repository on PostgreSQL', () => {
  it('gives each of two bulk inserts running at once ids of its own, in its entries’ order', async () => {
    const l = parsePostgresUrl(server.createDatabase('ids')) as PostgresLocation;
    const client = await connectPostgres(l);
    await migratePostgres(client, l, POSTGRES_MIGRATIONS);
    await client.end();
    const pool = createSqlPool(l);
    try {
      const people = (prefix: string) =>
        Array.from({ length: 20_000 }, (_, i) => ({
          subscriber: {
            email: `${prefix}.${i}@example.org`,
            name: null,
            lang: 'sv',
            status: 'confirmed' as const,
            consent: { source: 'import' as const, at: T0, ip: null, detail: null, confirmedAt: T0 },
          },
          lists: [{ listId: 'nyheter', status: 'active' as const }],
        }));
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
