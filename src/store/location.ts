import path from 'node:path';
import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import { isPostgresUrl, type PostgresLocation, parsePostgresUrl } from './postgres/location.js';

/** Where the store lives, as `SCS_DATABASE` says: an SQLite file, or a PostgreSQL database. */
export type StoreLocation =
  | { kind: 'sqlite'; file: string; shown: string }
  | ({ kind: 'postgres' } & PostgresLocation);

export function storeLocation(config: Config): StoreLocation {
  return locateStore(config.env.database, config.root);
}

/** `database` as SCS_DATABASE or `scs db copy` give it: a path (relative to `root`) or a URL. */
export function locateStore(database: string, root: string): StoreLocation {
  if (isPostgresUrl(database)) {
    const parsed = parsePostgresUrl(database);
    if ('code' in parsed) throw new ScsError([parsed], 2);
    return { kind: 'postgres', ...parsed };
  }
  const file = path.resolve(root, database);
  return { kind: 'sqlite', file, shown: path.relative(root, file) || file };
}
