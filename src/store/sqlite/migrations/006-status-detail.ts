import type { Migration } from '../migrate.js';

/**
 * A status's detail says how it came about and no longer repeats the status, which `subscribers show`
 * prints beside it: "unsubscribed (one-click)" becomes "via one-click", "marked bounced in people.csv:5"
 * becomes "marked in people.csv:5" (the only two forms scs ever wrote that repeat it).
 */
export const migration: Migration = {
  version: 6,
  name: 'status-detail',
  up(db) {
    db.exec(`
      UPDATE subscribers
        SET status_detail = 'via ' || substr(status_detail, length('unsubscribed (') + 1,
          length(status_detail) - length('unsubscribed (') - 1)
        WHERE status = 'unsubscribed' AND status_detail GLOB 'unsubscribed (*)';
      UPDATE subscribers
        SET status_detail = 'marked in ' || substr(status_detail, length('marked ' || status || ' in ') + 1)
        WHERE status IN ('bounced', 'complained') AND status_detail GLOB 'marked ' || status || ' in *';
    `);
  },
};
