import type { Migration } from '../migrate.js';

/**
 * Bounces and complaints as they arrive (DSNs, ARF reports, relay webhooks), each tied to its delivery:
 * what suppressed an address, and the rates `scs status` and `scs bounces report` show. `key` makes
 * applying the same report twice a no-op. A bounce is matched to its delivery by Message-ID when it
 * carries no VERP token, hence the index.
 */
export const migration: Migration = {
  version: 7,
  name: 'bounce-events',
  up(db) {
    db.exec(`
      CREATE TABLE bounce_events (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        dispatch_id INTEGER NOT NULL,
        subscriber_id INTEGER NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('hard', 'soft', 'complaint', 'delayed')),
        status TEXT,
        detail TEXT,
        -- Where it came from: "maildir", "imap", "mbox", "stdin", "ses", "postmark", "mailgun", "sendgrid".
        source TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, type, at);
      CREATE INDEX bounce_events_dispatch ON bounce_events (dispatch_id, type);
      CREATE INDEX deliveries_message_id ON deliveries (message_id) WHERE message_id IS NOT NULL;

      -- Erasing a subscriber keeps the counts but not the remote server's words, which may name them.
      CREATE TRIGGER bounce_events_forget_erased AFTER DELETE ON subscribers
      BEGIN
        UPDATE bounce_events SET detail = NULL WHERE subscriber_id = OLD.id;
      END;
    `);
  },
};
