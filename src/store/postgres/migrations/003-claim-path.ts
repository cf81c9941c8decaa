import type { PostgresMigration } from '../migrate.js';

/**
 * The claim path of several workers: each `due` looks for pending rows only, past its sweep or from
 * the start; without this index it would walk every row already sent, at every read ahead.
 */
export const migration: PostgresMigration = {
  version: 3,
  name: 'claim-path',
  sql: `
    CREATE INDEX deliveries_pending ON deliveries (dispatch_id, subscriber_id) WHERE status = 'pending';
  `,
};
