import type { Config } from '../../config/types.js';
import { resolveSecret } from '../../config/secret.js';
import { ScsError } from '../../core/diagnostic.js';
import { checkSecret } from '../address-hash.js';
import type { Store, StoreRepos, StoreTx } from '../types.js';
import { createPostgresBounces } from './bounces.js';
import { connectPostgres, postgresError } from './connect.js';
import { createPostgresLedger } from './ledger.js';
import type { PostgresLocation } from './location.js';
import { migratePostgres, postgresVersion } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';
import { createSqlPool, type Sql } from './sql.js';
import { createPostgresSubscribers } from './subscribers.js';

/**
 * Opens the store on a PostgreSQL database: migrates it to the newest schema (under the advisory lock,
 * so that runners starting at once migrate once), proves the secret is the one the database was set up
 * with, and gives the repositories over a pool. `now` is accepted for symmetry with SQLite, whose
 * migrations stamp what they record; PostgreSQL's record nothing.
 */
export async function openPostgresStore(
  location: PostgresLocation,
  config: Config,
  _options: { now?: Date } = {},
): Promise<Store> {
  const { secret } = resolveSecret(config);
  const client = await connectPostgres(location);
  let migration: Store['migration'];
  try {
    // As on SQLite: an existing database proves it is the right one before anything changes.
    const query = async (sql: string) => (await client.query<{ value: string }>(sql)).rows;
    const existing = (await postgresVersion(client, location)) > 0;
    if (existing) await checkSecret(query, secret, location.shown);
    migration = await migratePostgres(client, location, POSTGRES_MIGRATIONS);
    if (!existing) await checkSecret(query, secret, location.shown);
  } catch (e) {
    throw e instanceof ScsError ? e : postgresError(location, e);
  } finally {
    await client.end().catch(() => {});
  }
  const pool = createSqlPool(location);
  const repos = (sql: Sql): StoreRepos => ({
    subscribers: createPostgresSubscribers(sql, secret),
    ledger: createPostgresLedger(sql),
    bounces: createPostgresBounces(sql),
  });
  // Inside a transaction `sql` is its connection, and a nested one is a savepoint of it.
  const bound = (sql: Sql): StoreTx => ({
    ...repos(sql),
    transaction: (fn) => sql.transaction((inner) => fn(bound(inner))),
  });
  return {
    kind: 'postgres',
    description: `PostgreSQL ${location.shown}`,
    migration,
    ...repos(pool.sql),
    // One write transaction at a time, as on SQLite (BEGIN IMMEDIATE): the callers look up, then write
    // what they found missing, which under READ COMMITTED alone two processes could both do at once.
    transaction: (fn) =>
      pool.sql.transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(hashtext($1))', [`scs-write:${location.schema}`]);
        return fn(bound(tx));
      }),
    // The server's WAL and vacuum are its own: nothing of an erasure lingers in scs's reach.
    checkpoint: async () => true,
    close: () => pool.end(),
  };
}
