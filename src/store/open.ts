import { existsSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { resolveSecret } from '../config/secret.js';
import { checkSecret } from './address-hash.js';
import { storeLocation } from './location.js';
import { openPostgresStore } from './postgres/store.js';
import { openDatabase } from './sqlite/database.js';
import { migrate } from './sqlite/migrate.js';
import { MIGRATIONS } from './sqlite/migrations/index.js';
import { createSqliteStore } from './sqlite/store.js';
import type { Store } from './types.js';

/**
 * Whether there is a store to read: an SQLite file that exists (reading must not create one), or any
 * PostgreSQL database (opening it says what it can do).
 */
export function storeExists(config: Config): boolean {
  const location = storeLocation(config);
  return location.kind === 'postgres' || existsSync(location.file);
}

/**
 * Opens the project's store where `SCS_DATABASE` says: an SQLite file (default `.scs/scs.db`) or a
 * PostgreSQL database, migrated to the newest schema, its suppression list keyed with the project's
 * secret. `now` stamps what a migration records.
 */
export async function openStore(config: Config, options: { now?: Date } = {}): Promise<Store> {
  const location = storeLocation(config);
  if (location.kind === 'postgres') return openPostgresStore(location, config);
  const { file, shown } = location;
  const db = openDatabase(file, shown);
  try {
    const { secret } = resolveSecret(config);
    const query = async (sql: string) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all() as { value: string }[];
      statement.run();
      return [];
    };
    // A migration may hash with the key: an existing database proves it is the right one first.
    const existing = (db.pragma('user_version', { simple: true }) as number) > 0;
    if (existing) await checkSecret(query, secret, shown);
    const migration = migrate(db, MIGRATIONS, shown, { secret, now: options.now ?? new Date() });
    if (!existing) await checkSecret(query, secret, shown);
    return createSqliteStore(db, secret, shown, migration);
  } catch (e) {
    db.close();
    throw e;
  }
}
