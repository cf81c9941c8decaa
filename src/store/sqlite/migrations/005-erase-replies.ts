import type { Migration } from '../migrate.js';

/**
 * Erasing a subscriber also clears the server replies of their past deliveries: a bounce or a rejection
 * often quotes the address. Step 2's trigger blanks the address and name but kept the replies; this one
 * clears them, whichever of the two runs first, and those of people erased before.
 */
export const migration: Migration = {
  version: 5,
  name: 'erase-replies',
  up(db) {
    db.exec(`
      CREATE TRIGGER deliveries_forget_replies AFTER DELETE ON subscribers
      BEGIN
        UPDATE deliveries SET last_reply = NULL
        WHERE subscriber_id = OLD.id AND last_reply IS NOT 'erased before sending';
      END;
      UPDATE deliveries SET last_reply = NULL
        WHERE email = '' AND last_reply IS NOT 'erased before sending';
    `);
  },
};
