import type { BounceRepo } from './bounce-types.js';
import type { LedgerRepo } from './ledger-types.js';
import type { MigrationResult } from './sqlite/migrate.js';
import type { SubscriberRepo } from './subscriber-types.js';

/**
 * The one store interface everything reads and writes through. SQLite is the embedded default;
 * another backend (PostgreSQL) implements the same repositories without touching the callers.
 */
export interface Store {
  readonly kind: 'sqlite';
  /** Where the data lives, for people ("SQLite .scs/scs.db"). */
  readonly description: string;
  /** What opening did to the schema (steps applied, and what they had to say, such as merges). */
  readonly migration: MigrationResult;
  /** Subscribers, lists, consent, suppression. */
  readonly subscribers: SubscriberRepo;
  /** Dispatches and deliveries: who was sent what, and when. */
  readonly ledger: LedgerRepo;
  /** Bounces and complaints, each tied to its delivery. */
  readonly bounces: BounceRepo;
  /**
   * Writes every committed change into the database file and empties the write-ahead log, so that
   * nothing deleted lingers there (after an erasure). False when another connection's open read kept
   * the log from being emptied.
   */
  checkpoint(): boolean;
  close(): void;
}
