import type Database from 'better-sqlite3';
import type { MigrationResult } from './migrate.js';
import type { Store, StoreRepos, StoreTx } from '../types.js';
import { createSqliteBounces } from './bounces.js';
import { createSqliteLedger } from './ledger.js';
import { createSqliteSubscribers } from './subscribers.js';

/** The subscriber repository's methods that stream (return an AsyncIterable) rather than a Promise. */
const SUBSCRIBER_STREAMS: ReadonlySet<string> = new Set(['recipients', 'list']);

/**
 * The store on one SQLite connection. better-sqlite3 answers synchronously (which is what makes it fast);
 * the repositories return promises already settled. A transaction spans awaits, and everything on the
 * connection would run inside it: so while one is open, any call not made through its `tx` (another
 * request to `scs serve`, say) waits for it to end.
 */
export function createSqliteStore(
  db: Database.Database,
  secret: string,
  shown: string,
  migration: MigrationResult,
): Store {
  const repos: StoreRepos = {
    subscribers: createSqliteSubscribers(db, secret),
    ledger: createSqliteLedger(db),
    bounces: createSqliteBounces(db),
  };
  // Inside a transaction calls come one after another through `tx` (the mutex keeps others out), so a
  // depth is enough to name each savepoint.
  let depth = 0;
  const tx: StoreTx = {
    ...repos,
    async transaction(fn) {
      const name = `scs_tx_${++depth}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw e;
      } finally {
        depth--;
      }
    },
  };
  /** Settles when the open transaction ends; undefined when none is open. */
  let open: Promise<void> | undefined;
  const free = async () => {
    while (open !== undefined) await open;
  };

  /** A repository whose calls wait while a transaction is open; they go straight in otherwise. */
  const guarded = <T extends object>(repo: T, streams: ReadonlySet<string> = new Set()): T => {
    const out: Record<string, unknown> = {};
    for (const [name, method] of Object.entries(repo) as [string, (...args: unknown[]) => unknown][]) {
      out[name] = streams.has(name)
        ? (...args: unknown[]) => guardedStream(() => method.apply(repo, args) as AsyncIterable<unknown>)
        : (...args: unknown[]) =>
            open !== undefined ? free().then(() => method.apply(repo, args)) : method.apply(repo, args);
    }
    return out as T;
  };
  // Each row waits too: a page read in the middle of someone's transaction would see it half-done.
  async function* guardedStream<T>(start: () => AsyncIterable<T>): AsyncGenerator<T> {
    if (open !== undefined) await free();
    const rows = start()[Symbol.asyncIterator]();
    for (;;) {
      if (open !== undefined) await free();
      const next = await rows.next();
      if (next.done) return;
      yield next.value;
    }
  }

  return {
    kind: 'sqlite',
    description: `SQLite ${shown}`,
    migration,
    subscribers: guarded(repos.subscribers, SUBSCRIBER_STREAMS),
    ledger: guarded(repos.ledger),
    bounces: guarded(repos.bounces),
    async transaction(fn) {
      await free();
      let end!: () => void;
      open = new Promise((resolve) => {
        end = resolve;
      });
      try {
        // The repositories' own transactions nest inside as savepoints (better-sqlite3 sees one open).
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(tx);
          db.exec('COMMIT');
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      } finally {
        open = undefined;
        end();
      }
    },
    async checkpoint() {
      await free();
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return result?.busy === 0;
    },
    async close() {
      await free();
      db.close();
    },
  };
}
