import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { fatal } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import { secretFingerprint } from './address-hash.js';
import { locateStore, type StoreLocation } from './location.js';
import { connectPostgres, postgresError, quoteIdent } from './postgres/connect.js';
import { migratePostgres } from './postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres/migrations/index.js';
import { openDatabase } from './sqlite/database.js';
import { migrate } from './sqlite/migrate.js';
import { MIGRATIONS } from './sqlite/migrations/index.js';

/**
 * `scs db copy`: moves a newsroom's data between SQLite and PostgreSQL (either way), table by table, in
 * one transaction on the target. Both schemas keep the same tables and column shapes, so rows move as
 * they are; a table or a filled column the target lacks stops the copy rather than losing data.
 */
export interface CopyResult {
  from: string;
  to: string;
  /** Rows copied per table, each verified against the source's count. */
  tables: { table: string; rows: number }[];
}

/** Parents before children, for the foreign keys; tables not named here follow in name order. */
const ORDER = [
  'meta',
  'subscribers',
  'subscriptions',
  'subscriber_events',
  'suppressions',
  'dispatches',
  'deliveries',
];
/** Each store's own bookkeeping: schema versions, and who is sending right now. */
const LOCAL = new Set(['sqlite_sequence', 'scs_schema', 'dispatch_lock', 'dispatch_workers']);
const BATCH = 500;

type Row = Record<string, unknown>;

/** One side of a copy: the same few operations over either store. */
interface Side {
  shown: string;
  tables(): Promise<string[]>;
  /** Column name → whether it holds integers (SQLite's STRICT tables want numbers, not strings). */
  columns(table: string): Promise<Map<string, boolean>>;
  count(table: string, where?: string): Promise<number>;
  rows(table: string): AsyncIterable<Row[]>;
  insert(table: string, columns: string[], rows: Row[]): Promise<void>;
  begin(readOnly: boolean): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export async function copyDatabase(options: {
  from: string;
  to: string;
  root: string;
  secret: string;
  now: Date;
}): Promise<CopyResult> {
  const fromLocation = locateStore(options.from, options.root);
  const toLocation = locateStore(options.to, options.root);
  if (fromLocation.kind === 'sqlite' && !existsSync(fromLocation.file)) {
    throw fatal(2, 'store-copy-refused', { database: fromLocation.shown, reason: 'there is no such file' });
  }
  if (fromLocation.shown === toLocation.shown) {
    throw fatal(2, 'store-copy-refused', { database: toLocation.shown, reason: 'it is the source itself' });
  }
  const source = await open(fromLocation, options, false);
  // A file this copy creates goes again when the copy fails: nothing half-made is left behind.
  const created = toLocation.kind === 'sqlite' && !existsSync(toLocation.file) ? toLocation.file : undefined;
  let target: Side | undefined;
  let done = false;
  try {
    target = await open(toLocation, options, true);
    const result = await copy(source, target, secretFingerprint(options.secret));
    done = true;
    return result;
  } catch (e) {
    if (e instanceof ScsError) throw e;
    throw fatal(1, 'store-copy-failed', { reason: (e as Error).message });
  } finally {
    await target?.close();
    await source.close();
    if (created && !done)
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${created}${suffix}`, { force: true });
  }
}

async function copy(source: Side, target: Side, fingerprint: string): Promise<CopyResult> {
  await source.begin(true);
  await target.begin(false);
  try {
    // Suppression hashes and sent links are keyed with the secret: the copy must be used with the same.
    const keyed = await source.count('meta', "key = 'secret-fingerprint'");
    if (keyed && !(await source.count('meta', `key = 'secret-fingerprint' AND value = '${fingerprint}'`))) {
      throw fatal(2, 'store-secret-mismatch', { database: source.shown });
    }
    const tables = (await source.tables()).filter((t) => !LOCAL.has(t));
    tables.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const present = new Set(await target.tables());
    for (const table of tables) {
      if (!present.has(table)) refuse(target, `it has no table ${table} (migrate it with a newer scs)`);
      if (table !== 'meta' && (await target.count(table)) > 0) {
        refuse(target, `it holds data already (table ${table}); copy only into an empty database`);
      }
    }
    const copied: CopyResult['tables'] = [];
    for (const table of tables) {
      const from = await source.columns(table);
      const to = await target.columns(table);
      for (const column of from.keys()) {
        if (!to.has(column) && (await source.count(table, `${quoteIdent(column)} IS NOT NULL`)) > 0) {
          refuse(
            target,
            `its table ${table} has no column ${column}, which holds data (migrate it with a newer scs)`,
          );
        }
      }
      const columns = [...from.keys()].filter((c) => to.has(c));
      let rows = 0;
      for await (const batch of source.rows(table)) {
        await target.insert(
          table,
          columns,
          batch.map((r) => coerce(r, columns, to)),
        );
        rows += batch.length;
      }
      const expected = await source.count(table);
      const written = table === 'meta' ? rows : await target.count(table);
      if (rows !== expected || written !== expected) {
        throw fatal(1, 'store-copy-mismatch', { table, expected, written });
      }
      copied.push({ table, rows });
    }
    await target.commit();
    await source.commit();
    return { from: source.shown, to: target.shown, tables: copied };
  } catch (e) {
    await target.rollback();
    await source.rollback();
    throw e;
  }
}

function rank(table: string): number {
  const i = ORDER.indexOf(table);
  return i === -1 ? ORDER.length : i;
}

function refuse(target: Side, reason: string): never {
  throw fatal(2, 'store-copy-refused', { database: target.shown, reason });
}

/** PostgreSQL hands bigints over as strings; SQLite's integer columns want numbers. */
function coerce(row: Row, columns: string[], integer: Map<string, boolean>): Row {
  const out: Row = {};
  for (const c of columns) {
    const v = row[c];
    out[c] = integer.get(c) && typeof v === 'string' ? Number(v) : v;
  }
  return out;
}

async function open(
  location: StoreLocation,
  options: { secret: string; now: Date },
  asTarget: boolean,
): Promise<Side> {
  if (location.kind === 'sqlite') {
    const db = asTarget
      ? openDatabase(location.file, location.shown)
      : readOnly(location.file, location.shown);
    if (asTarget) {
      try {
        migrate(db, MIGRATIONS, location.shown, { secret: options.secret, now: options.now });
      } catch (e) {
        db.close();
        throw e;
      }
    }
    return sqliteSide(db, location.shown);
  }
  const client = await connectPostgres(location);
  try {
    if (asTarget) await migratePostgres(client, location, POSTGRES_MIGRATIONS);
  } catch (e) {
    await client.end();
    throw e instanceof ScsError ? e : postgresError(location, e);
  }
  return postgresSide(client, location);
}

function readOnly(file: string, shown: string): Database.Database {
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw fatal(2, 'store-unreadable', { database: shown, reason: (e as Error).message });
  }
}

function sqliteSide(db: Database.Database, shown: string): Side {
  const ident = quoteIdent;
  return {
    shown,
    async tables() {
      return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    },
    async columns(table) {
      const info = db.prepare(`PRAGMA table_info(${ident(table)})`).all() as { name: string; type: string }[];
      return new Map(info.map((c) => [c.name, /INT/i.test(c.type)]));
    },
    async count(table, where) {
      return db
        .prepare(`SELECT count(*) FROM ${ident(table)}${where ? ` WHERE ${where}` : ''}`)
        .pluck()
        .get() as number;
    },
    async *rows(table) {
      let batch: Row[] = [];
      for (const row of db.prepare(`SELECT * FROM ${ident(table)}`).iterate() as Iterable<Row>) {
        batch.push(row);
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    async insert(table, columns, rows) {
      const conflict = table === 'meta' ? ' ON CONFLICT (key) DO UPDATE SET value = excluded.value' : '';
      const insert = db.prepare(
        `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})${conflict}`,
      );
      for (const row of rows) insert.run(row);
    },
    async begin() {
      db.exec('BEGIN');
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    async close() {
      db.close();
    },
  };
}

function postgresSide(client: pg.Client, location: StoreLocation & { kind: 'postgres' }): Side {
  const ident = quoteIdent;
  const q = async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => {
    try {
      return await client.query<R>(sql, params);
    } catch (e) {
      throw e instanceof ScsError ? e : postgresError(location, e);
    }
  };
  let cursors = 0;
  const written = new Set<string>();
  return {
    shown: location.shown,
    async tables() {
      const r = await q<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
        [location.schema],
      );
      return r.rows.map((row) => row.table_name);
    },
    async columns(table) {
      const r = await q<{ column_name: string; data_type: string }>(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [location.schema, table],
      );
      return new Map(r.rows.map((c) => [c.column_name, /int/i.test(c.data_type)]));
    },
    async count(table, where) {
      const r = await q<{ n: string }>(
        `SELECT count(*) AS n FROM ${ident(table)}${where ? ` WHERE ${where}` : ''}`,
      );
      return Number(r.rows[0]!.n);
    },
    async *rows(table) {
      const cursor = `scs_copy_${++cursors}`;
      await q(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT * FROM ${ident(table)}`);
      for (;;) {
        const r = await q<Row>(`FETCH ${BATCH} FROM ${cursor}`);
        if (!r.rows.length) break;
        yield r.rows;
      }
      await q(`CLOSE ${cursor}`);
    },
    async insert(table, columns, rows) {
      if (!rows.length) return;
      written.add(table);
      const params: unknown[] = [];
      const values = rows.map((row) => `(${columns.map((c) => `$${params.push(row[c])}`).join(', ')})`);
      const conflict = table === 'meta' ? ' ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value' : '';
      // Identity columns take the copied ids as they are (OVERRIDING), so every reference stays true.
      await q(
        `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values.join(', ')}${conflict}`,
        params,
      );
      if (columns.includes('id')) {
        await q(
          `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${ident(table)}))
           WHERE pg_get_serial_sequence($1, 'id') IS NOT NULL`,
          [`${ident(location.schema)}.${ident(table)}`],
        );
      }
    },
    async begin(readOnly) {
      await q(readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    },
    async commit() {
      // The copied tables' sizes for the planner at once (see refreshStatistics).
      if (written.size) await q(`ANALYZE ${[...written].map(ident).join(', ')}`);
      await q('COMMIT');
    },
    async rollback() {
      await client.query('ROLLBACK').catch(() => {});
    },
    async close() {
      await client.end();
    },
  };
}
