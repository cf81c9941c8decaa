import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import { ScsError } from '../core/diagnostic.js';
import { resolveSecret } from '../config/secret.js';
import { secretFingerprint } from './address-hash.js';
import { storeLocation } from './location.js';
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
 * Opens the project's store: the SQLite file `SCS_DATABASE` (default `.scs/scs.db`), migrated to the
 * newest schema, its suppression list keyed with the project's secret. `now` stamps what a migration
 * records.
 */
export async function openStore(config: Config, options: { now?: Date } = {}): Promise<Store> {
  const location = storeLocation(config);
  if (location.kind === 'postgres') {
    throw new ScsError([report('store-postgres-db-only', { database: location.shown })], 2);
  }
  const { file, shown } = location;
  const db = openDatabase(file, shown);
  try {
    const { secret } = resolveSecret(config);
    // A migration may hash with the key: an existing database proves it is the right one first.
    const existing = (db.pragma('user_version', { simple: true }) as number) > 0;
    if (existing) checkSecret(db, secret, shown);
    const migration = migrate(db, MIGRATIONS, shown, { secret, now: options.now ?? new Date() });
    if (!existing) checkSecret(db, secret, shown);
    return createSqliteStore(db, secret, shown, migration);
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Suppression hashes and every link already sent depend on the key; a different key would silently
 * let suppressed addresses back in, so it is refused.
 */
function checkSecret(db: Database.Database, secret: string, shown: string): void {
  const fingerprint = secretFingerprint(secret);
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('secret-fingerprint', ?) ON CONFLICT (key) DO NOTHING",
  ).run(fingerprint);
  const stored = db
    .prepare("SELECT value FROM meta WHERE key = 'secret-fingerprint'")
    .pluck()
    .get() as string;
  if (stored !== fingerprint) {
    throw new ScsError([report('store-secret-mismatch', { database: shown })], 2);
  }
}
