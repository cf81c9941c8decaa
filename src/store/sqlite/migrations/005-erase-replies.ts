import type { Migration } from '../migrate.js';

/**
 * Erasing a subscriber also clears the server replies of their past deliveries: a bounce or a rejection
 * often quotes the address. The trigger of step 2 kept them; this one replaces it, and clears the
 * replies of those erased before (their rows have no address left).
 */
export const migration: Migration = {
  version: 5,
  name: 'erase-replies',
  up(db) {
    db.exec(`
      DROP TRIGGER deliveries_forget_erased;
      CREATE TRIGGER deliveries_forget_erased AFTER DELETE ON subscribers
      BEGIN
        UPDATE deliveries SET email = '', name = NULL,
          status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
          last_reply = CASE WHEN status = 'pending' THEN 'erased before sending' ELSE NULL END
        WHERE subscriber_id = OLD.id;
      END;
      UPDATE deliveries SET last_reply = NULL
        WHERE email = '' AND last_reply IS NOT NULL AND last_reply <> 'erased before sending';
    `);
  },
};
