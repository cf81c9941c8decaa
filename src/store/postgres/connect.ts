import pg from 'pg';
import { report } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';
import type { PostgresLocation } from './location.js';

/** How long to wait for the server before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One connection to the database, with `search_path` set to scs's schema. Failures become catalogue
 * errors that name the server as `location.shown` does: the password never reaches a message.
 */
export async function connectPostgres(location: PostgresLocation): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: location.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'scs',
  });
  // An idle connection that the server drops must not crash the process: the next query fails instead.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`SET search_path TO ${quoteIdent(location.schema)}`);
    return client;
  } catch (e) {
    await client.end().catch(() => {});
    throw postgresError(location, e);
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A connection or server failure as the user should read it. */
export function postgresError(location: PostgresLocation, e: unknown): ScsError {
  const err = e as { code?: string; message?: string };
  const database = location.shown;
  switch (err.code) {
    case '28P01':
    case '28000':
      return new ScsError([report('store-auth-failed', { database })], 2);
    case '3D000':
      return new ScsError([report('store-database-missing', { database })], 2);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
      return new ScsError([report('store-unreachable', { database, reason: err.code })], 2);
    default: {
      // Anything else (TLS, a timeout inside pg): its text names no credentials, but may echo the URL.
      const reason = (err.message ?? String(e)).replace(/\/\/[^@/\s]*@/g, '//');
      // A SQLSTATE: the server answered, and refused the statement (a constraint, a permission); not
      // a lost connection (08) or a server shutting down or a backend terminated (57).
      if (typeof err.code === 'string' && /^(?!08|57)[0-9A-Z]{5}$/.test(err.code))
        return new ScsError([report('store-server-error', { database, reason })], 2);
      return /timeout|terminated/i.test(reason)
        ? new ScsError([report('store-unreachable', { database, reason })], 2)
        : new ScsError([report('store-unreadable', { database, reason })], 2);
    }
  }
}
