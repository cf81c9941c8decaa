import type { BounceRepo } from './bounce-types.js';
import type { LedgerRepo } from './ledger-types.js';
import type { MigrationResult } from './sqlite/migrate.js';
import type { SubscriberRepo } from './subscriber-types.js';

/** The repositories, as the store gives them, or bound to one transaction. */
export interface StoreRepos {
  /** Subscribers, lists, consent, suppression. */
  readonly subscribers: SubscriberRepo;
  /** Dispatches and deliveries: who was sent what, and when. */
  readonly ledger: LedgerRepo;
  /** Bounces and complaints, each tied to its delivery. */
  readonly bounces: BounceRepo;
}

/**
 * The repositories bound to one open transaction. `transaction` nests: `fn` runs in a savepoint, so
 * that when it throws only its own writes are undone and the outer transaction goes on.
 */
export interface StoreTx extends StoreRepos {
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

/**
 * The one store interface everything reads and writes through. SQLite is the embedded default;
 * PostgreSQL implements the same repositories without touching the callers. Every call is async (a
 * server answers over the network); SQLite answers at once.
 */
export interface Store extends StoreRepos {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, for people ("SQLite .scs/scs.db", "PostgreSQL db.example:5432/newsroom"). */
  readonly description: string;
  /** What opening did to the schema (steps applied, and what they had to say, such as merges). */
  readonly migration: MigrationResult;
  /**
   * Runs `fn` as one write transaction across the repositories it is given: all of it happens, or none
   * of it. Use only `tx` inside (not the store's own repositories, which would wait for it);
   * `tx.transaction` nests as a savepoint.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Makes sure nothing deleted lingers outside the tables (after an erasure): SQLite writes every
   * committed change into the database file and empties the write-ahead log; false when another
   * connection's open read kept the log from being emptied. PostgreSQL: true (its WAL is the server's).
   */
  checkpoint(): Promise<boolean>;
  close(): Promise<void>;
}
