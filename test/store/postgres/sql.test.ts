import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresLocation, parsePostgresUrl } from '../../../src/store/postgres/location.js';
import { createSqlPool, textArray } from '../../../src/store/postgres/sql.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

describe('textArray', () => {
  it('makes literals the server reads back as the very values, as pg’s own do', async () => {
    const pool = createSqlPool(parsePostgresUrl(server.createDatabase('arrays')) as PostgresLocation);
    try {
      const cases: (string | null)[][] = [
        [],
        [null],
        ['NULL', 'null', null, ''],
        ['"', '\\', '\\"', 'a"b\\c', '{', '}', ',', '{a,b}', ' lead', 'trail ', '\t\n'],
        ['Åsa Öberg', '日本語', '😀', 'x'.repeat(10_000)],
      ];
      for (const values of cases) {
        const [mine] = await pool.sql.rows<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [
          textArray(values),
        ]);
        const [theirs] = await pool.sql.rows<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [values]);
        expect(mine!.a).toEqual(values);
        expect(theirs!.a).toEqual(values);
      }
    } finally {
      await pool.end();
    }
  });
});
