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
});
