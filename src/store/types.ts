import type { LedgerRepo } from './ledger-types.js';
import type { SubscriberRepo } from './subscriber-types.js';

/**
 * The one store interface everything reads and writes through. SQLite is the embedded default;
 * another backend (PostgreSQL) implements the same repositories without touching the callers.
 */
export interface Store {
  readonly kind: 'sqlite';
  /** Where the data lives, for people ("SQLite .scs/scs.db"). */
  readonly description: string;
  /** Subscribers, lists, consent, suppression. */
  readonly subscribers: SubscriberRepo;
  /** Dispatches and deliveries: who was sent what, and when. */
  readonly ledger: LedgerRepo;
  close(): void;
}
