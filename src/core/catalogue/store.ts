import { defineDiagnostics } from './define.js';

/** The database of subscribers and dispatches (store/). */
export const storeDiagnostics = defineDiagnostics({
  'store-unreadable': {
    severity: 'error',
    title: 'The database cannot be opened',
    message: (a: { database: string; reason: string }) =>
      `Cannot open the database ${a.database}: ${a.reason}.`,
    hint: 'Check that the file is an SQLite database scs wrote and that its folder is writable; SCS_DATABASE names another file.',
  },
  'store-too-new': {
    severity: 'error',
    title: 'The database was written by a newer scs',
    message: (a: { database: string; version: number; latest: number }) =>
      `The database ${a.database} has schema version ${a.version}, but this scs knows only up to version ${a.latest}.`,
    hint: 'A newer scs wrote it: upgrade scs, or point SCS_DATABASE at another file.',
  },
  'store-secret-mismatch': {
    severity: 'error',
    title: 'The database was set up with another secret key',
    message: (a: { database: string }) =>
      `The database ${a.database} was set up with a different secret key.`,
    hint: 'Set SCS_SECRET to the key it was created with (a generated key is kept in .scs/secret). Another key would break every link already sent and the suppression list.',
  },
  'store-url-invalid': {
    severity: 'error',
    title: 'SCS_DATABASE is not a usable PostgreSQL URL',
    message: (a: { reason: string }) => `SCS_DATABASE looks like a PostgreSQL URL, but ${a.reason}.`,
    hint: 'Write it as postgres://user:password@host:5432/database, optionally with ?sslmode=require and ?schema=<name>; a path selects SQLite.',
  },
  'store-unreachable': {
    severity: 'error',
    title: 'The database server cannot be reached',
    message: (a: { database: string; reason: string }) =>
      `Cannot reach the database server of ${a.database} (${a.reason}).`,
    hint: 'Check the host and port in SCS_DATABASE, that the server runs and accepts TCP connections from this machine (listen_addresses, pg_hba.conf, a firewall).',
  },
  'store-auth-failed': {
    severity: 'error',
    title: 'The database refused the credentials',
    message: (a: { database: string }) =>
      `The database server refused the user name or password for ${a.database}.`,
    hint: 'Check the user and password in SCS_DATABASE (percent-encode special characters in the password), and that pg_hba.conf lets this user connect from this machine.',
  },
  'store-database-missing': {
    severity: 'error',
    title: 'The database does not exist',
    message: (a: { database: string }) => `The database server has no database named in ${a.database}.`,
    hint: 'Create it first (createdb, or CREATE DATABASE), then run scs db migrate.',
  },
  'store-server-error': {
    severity: 'error',
    title: 'The database server refused a statement',
    message: (a: { database: string; reason: string }) =>
      `The database server of ${a.database} refused a statement: ${a.reason}.`,
    hint: "Nothing of it was written (its transaction was rolled back). Check that the user may write to the schema and that the schema is one scs set up (scs db status); the server's log says more.",
  },
  'store-copy-refused': {
    severity: 'error',
    title: 'scs db copy will not copy into this database',
    message: (a: { database: string; reason: string }) => `Not copying into ${a.database}: ${a.reason}.`,
    hint: 'Copy into a new, empty database (an SQLite path that does not exist yet, or an empty PostgreSQL database or schema); nothing was written.',
  },
  'store-copy-mismatch': {
    severity: 'error',
    title: 'A copied table does not match its source',
    message: (a: { table: string; expected: number; written: number }) =>
      `The copy of table ${a.table} has ${a.written} rows where the source has ${a.expected}; the copy was rolled back.`,
    hint: 'Make sure nothing writes to the source during the copy (stop scs serve and scheduled runs), then run scs db copy again.',
  },
  'store-copy-failed': {
    severity: 'error',
    title: 'scs db copy failed',
    message: (a: { reason: string }) => `The copy failed and was rolled back: ${a.reason}.`,
    hint: 'Nothing was written to the target. Check that both databases are ones scs wrote (scs db status), then run scs db copy again.',
  },
});
