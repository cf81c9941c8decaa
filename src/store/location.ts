import path from 'node:path';
import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import { isPostgresUrl, type PostgresLocation, parsePostgresUrl } from './postgres/location.js';

/** Where the store lives, as `SCS_DATABASE` says: an SQLite file, or a PostgreSQL database. */
export type StoreLocation =
  | { kind: 'sqlite'; file: string; shown: string }
  | ({ kind: 'postgres' } & PostgresLocation);

export function storeLocation(config: Config): StoreLocation {
  const database = config.env.database;
  if (isPostgresUrl(database)) {
    const parsed = parsePostgresUrl(database);
    if ('code' in parsed) throw new ScsError([parsed], 2);
    return { kind: 'postgres', ...parsed };
  }
  return { kind: 'sqlite', file: database, shown: path.relative(config.root, database) || database };
}
