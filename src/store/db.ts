import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Config } from '../config/types.js';
import { fatal } from '../core/catalogue/index.js';
import { type StoreLocation, storeLocation } from './location.js';
import { openStore } from './open.js';
import { connectPostgres } from './postgres/connect.js';
import { migratePostgres, postgresVersion } from './postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres/migrations/index.js';
import type { MigrationResult } from './sqlite/migrate.js';
import { MIGRATIONS } from './sqlite/migrations/index.js';

/** Where a database stands (`scs db status`). */
export interface DatabaseStatus {
  kind: StoreLocation['kind'];
  /** For people; never a password. */
  database: string;
  /** False when there is nothing there yet (no file; no scs schema). */
  exists: boolean;
  version: number;
  latest: number;
  state: 'missing' | 'behind' | 'current' | 'too-new';
}

/** Reads the schema version without creating or changing anything. */
export async function databaseStatus(config: Config): Promise<DatabaseStatus> {
  const location = storeLocation(config);
  let version = 0;
  let latest: number;
  if (location.kind === 'sqlite') {
    latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (existsSync(location.file)) {
      let db: Database.Database | undefined;
      try {
        db = new Database(location.file, { readonly: true, fileMustExist: true });
        version = db.pragma('user_version', { simple: true }) as number;
      } catch (e) {
        throw fatal(2, 'store-unreadable', { database: location.shown, reason: (e as Error).message });
      } finally {
        db?.close();
      }
    }
  } else {
    latest = POSTGRES_MIGRATIONS.length;
    const client = await connectPostgres(location);
    try {
      version = await postgresVersion(client, location);
    } finally {
      await client.end();
    }
  }
  const state =
    version === 0 ? 'missing' : version < latest ? 'behind' : version > latest ? 'too-new' : 'current';
  return { kind: location.kind, database: location.shown, exists: version > 0, version, latest, state };
}

/** Brings the database to the newest schema (`scs db migrate`); safe to run from several machines at once. */
export async function migrateDatabase(
  config: Config,
  options: { now?: Date } = {},
): Promise<MigrationResult & { kind: StoreLocation['kind']; database: string }> {
  const location = storeLocation(config);
  if (location.kind === 'sqlite') {
    const store = await openStore(config, options);
    await store.close();
    return { ...store.migration, kind: 'sqlite', database: location.shown };
  }
  const client = await connectPostgres(location);
  try {
    return {
      ...(await migratePostgres(client, location, POSTGRES_MIGRATIONS)),
      kind: 'postgres',
      database: location.shown,
    };
  } finally {
    await client.end();
  }
}
