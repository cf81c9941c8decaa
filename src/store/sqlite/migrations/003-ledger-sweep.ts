import type { Migration } from '../migrate.js';

/**
 * The send loop's queue without an index entry per pending recipient. `deliveries_pending` listed every
 * pending row, so each claim also took an entry out of it: one more page in every small transaction of a
 * send. A send now sweeps the primary key in subscriber order, remembering where it got to; only the
 * recipients waiting for a retry, which the sweep has passed, need an index (and only while they wait).
 */
export const migration: Migration = {
  version: 3,
  name: 'ledger-sweep',
  up(db) {
    db.exec(`
      DROP INDEX deliveries_pending;
      CREATE INDEX deliveries_retry ON deliveries (dispatch_id, next_attempt_at)
        WHERE status = 'pending' AND next_attempt_at > 0;
    `);
  },
};
