import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScsAsync } from '../../helpers/scs.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { DUE, newsroom, readers } from '../../publish/newsroom.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => server?.stop());

/** Every table scs copies, as sorted rows of JSON, for comparing two SQLite files. */
function dump(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'dispatch_lock')",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [
        t,
        (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

describe('scs db copy', () => {
  it('moves a newsroom from SQLite to PostgreSQL and back without losing or changing a row', async () => {
    const room = newsroom();
    try {
      await room.seed('nyheter', readers(40));
      await room.seed('news', ['english@example.com', 'second@example.com']);
      const scs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
        runScsAsync(args, { cwd: room.dir, env: { ...room.env, ...env } });
      const published = await scs(['publish', '--now', DUE]);
      expect(published.code, published.stderr).toBe(0);
      expect((await scs(['subscribers', 'remove', 'reader0003@example.com', '--list', 'nyheter'])).code).toBe(
        0,
      );
      const source = path.join(room.dir, '.scs', 'scs.db');
      const url = `${server.createDatabase('copy')}?schema=press`;

      const there = await scs(['db', 'copy', '--from', '.scs/scs.db', '--to', url, '--json']);
      expect(there.code, there.stderr).toBe(0);
      const copied = JSON.parse(there.stdout) as { tables: { table: string; rows: number }[] };
      const rows = Object.fromEntries(copied.tables.map((t) => [t.table, t.rows]));
      expect(rows).toMatchObject({ subscribers: 42, dispatches: 2, deliveries: 42 });
      expect(Number(server.psql('SELECT count(*) FROM press.deliveries', 'copy'))).toBe(42);
      // The planner knows the copied sizes at once (see refreshStatistics), not after autovacuum's round.
      expect(
        server.psql("SELECT reltuples FROM pg_class WHERE oid = 'press.deliveries'::regclass", 'copy').trim(),
      ).toBe('42');

      const back = await scs(['db', 'copy', '--from', url, '--to', 'back.db']);
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toMatch(
        /^Copied \d+ rows from postgres:\/\/postgres@127\.0\.0\.1:\d+\/copy \(schema press\) to back\.db/,
      );
      expect(dump(path.join(room.dir, 'back.db'))).toEqual(dump(source));

      // The copy is a working store: scs reads it as its own.
      const status = await scs(['status', '--json'], { SCS_DATABASE: 'back.db' });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).dispatches).toHaveLength(2);
    } finally {
      await room.cleanup();
    }
  });

  it('refuses a target that holds data, or a different secret, and writes nothing', async () => {
    const room = newsroom();
    try {
      await room.seed('nyheter', readers(3));
      const scs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
        runScsAsync(args, { cwd: room.dir, env: { ...room.env, ...env } });
      const url = server.createDatabase('full');
      const first = await scs(['db', 'copy', '--from', '.scs/scs.db', '--to', url]);
      expect(first.code, first.stderr).toBe(0);
      const again = await scs(['db', 'copy', '--from', '.scs/scs.db', '--to', url]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('store-copy-refused');
      expect(again.stderr).toMatch(/holds data already \(table subscribers\)/);
      expect(Number(server.psql('SELECT count(*) FROM subscribers', 'full'))).toBe(3);

      const otherKey = await scs(['db', 'copy', '--from', url, '--to', 'other.db'], {
        SCS_SECRET: 'another-secret-that-is-long-enough',
      });
      expect(otherKey.code).toBe(2);
      expect(otherKey.stderr).toContain('store-secret-mismatch');
      expect(existsSync(path.join(room.dir, 'other.db'))).toBe(false);

      const itself = await scs(['db', 'copy', '--from', '.scs/scs.db', '--to', '.scs/scs.db']);
      expect(itself.code).toBe(2);
      expect(itself.stderr).toContain('it is the source itself');
    } finally {
      await room.cleanup();
    }
  });
});
