import pg from 'pg';
import { postgresError, quoteIdent } from './connect.js';
import type { PostgresLocation } from './location.js';

/**
 * A statement's text, or a named one: the server parses and plans a named statement once per
 * connection, where it would parse an unnamed one on every call (for the send loop's statements, run
 * thousands of times, that was half of the server's time).
 */
export type Statement = string | { name: string; text: string };

/** A statement run on every claim or commit of the send loop: parsed once per connection. */
export const prepared = (name: string, text: string): Statement => ({ name: `scs_${name}`, text });

/**
 * A `text[]` parameter as the server reads it (an array literal), made by the caller. pg makes it only
 * when it sends the statement, while the server waits; a bulk insert makes the next piece's while the
 * server inserts the one before.
 */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i) out += ',';
    out += v === null ? 'NULL' : /[\\"]/.test(v) ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

/**
 * How the PostgreSQL repositories talk to the server: on the store's pool, or on the one connection of
 * a transaction. Every failure of the server or the connection becomes a catalogue error (through
 * `postgresError`), so no repository handles pg's errors itself.
 */
export interface Sql {
  /** The rows a statement returns. */
  rows<R>(text: Statement, values?: readonly unknown[]): Promise<R[]>;
  /** How many rows a statement changed. */
  run(text: Statement, values?: readonly unknown[]): Promise<number>;
  /**
   * Runs `fn` in one transaction, on a connection of its own (`BEGIN … COMMIT`, `ROLLBACK` when it
   * throws); inside a transaction already, as a savepoint of it.
   */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Streams a query's rows through a server-side cursor, `batch` at a time: memory stays flat. */
  cursor<R>(text: string, values?: readonly unknown[], batch?: number): AsyncIterable<R>;
}

const config = (text: Statement, values: readonly unknown[] | undefined): pg.QueryConfig =>
  typeof text === 'string' ? { text, values: values as unknown[] } : { ...text, values: values as unknown[] };

/** The pool behind a store, and the `Sql` over it. */
export interface SqlPool {
  sql: Sql;
  end(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pool of connections to scs's schema. `max` bounds the connections one process opens (a send worker
 * needs two: its claims and its heartbeat).
 */
export function createSqlPool(location: PostgresLocation, options: { max?: number } = {}): SqlPool {
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'scs',
    max: options.max ?? 4,
    options: `-c search_path=${quoteIdent(location.schema)}`,
  });
  // A connection the server drops while idle must not crash the process: the next query fails instead.
  pool.on('error', () => {});
  const fail = (e: unknown): never => {
    throw postgresError(location, e);
  };
  const on = (client: pg.ClientBase, depth: number): Sql => ({
    async rows<R>(text: Statement, values?: readonly unknown[]) {
      const result = await client.query(config(text, values)).catch(fail);
      return result.rows as R[];
    },
    async run(text, values) {
      const result = await client.query(config(text, values)).catch(fail);
      return result.rowCount ?? 0;
    },
    async transaction(fn) {
      const name = `s${depth + 1}`;
      await client.query(`SAVEPOINT ${name}`).catch(fail);
      try {
        const value = await fn(on(client, depth + 1));
        await client.query(`RELEASE SAVEPOINT ${name}`).catch(fail);
        return value;
      } catch (e) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
        throw e;
      }
    },
    cursor: (text, values, batch) => streamRows(client, text, values, batch, fail, false),
  });
  const transaction = async <T>(fn: (sql: Sql) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch(fail);
    let broken = false;
    try {
      await client.query('BEGIN').catch(fail);
      const value = await fn(on(client, 0));
      await client.query('COMMIT').catch(fail);
      return value;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw e;
    } finally {
      client.release(broken);
    }
  };
  const sql: Sql = {
    async rows<R>(text: Statement, values?: readonly unknown[]) {
      const result = await pool.query(config(text, values)).catch(fail);
      return result.rows as R[];
    },
    async run(text, values) {
      const result = await pool.query(config(text, values)).catch(fail);
      return result.rowCount ?? 0;
    },
    transaction,
    async *cursor<R>(text: string, values?: readonly unknown[], batch?: number): AsyncIterable<R> {
      const client = await pool.connect().catch(fail);
      let broken = false;
      try {
        yield* streamRows<R>(client, text, values, batch, fail, true);
      } catch (e) {
        broken = true;
        throw e;
      } finally {
        client.release(broken);
      }
    },
  };
  return { sql, end: () => pool.end() };
}

let cursors = 0;

/**
 * `DECLARE … CURSOR` and `FETCH` in a read-only transaction of its own (`own`), or in the current one.
 * A consumer that stops early (`break`) closes the cursor.
 */
async function* streamRows<R>(
  client: pg.ClientBase,
  text: string,
  values: readonly unknown[] | undefined,
  batch = 1000,
  fail: (e: unknown) => never,
  own: boolean,
): AsyncGenerator<R> {
  const name = `scs_cursor_${++cursors}`;
  if (own) await client.query('BEGIN READ ONLY').catch(fail);
  let open = false;
  try {
    await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values as unknown[]).catch(fail);
    open = true;
    for (;;) {
      const { rows } = await client.query(`FETCH ${batch} FROM ${name}`).catch(fail);
      for (const row of rows) yield row as R;
      if (rows.length < batch) break;
    }
  } finally {
    if (own) await client.query('COMMIT').catch(() => {});
    else if (open) await client.query(`CLOSE ${name}`).catch(() => {});
  }
}
