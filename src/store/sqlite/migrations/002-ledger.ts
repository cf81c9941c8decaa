import type { Migration } from '../migrate.js';

/**
 * The delivery ledger and the dispatch lock. Times are Unix milliseconds: the send loop compares and
 * writes them for every recipient.
 */
export const migration: Migration = {
  version: 2,
  name: 'ledger',
  up(db) {
    db.exec(`
      CREATE TABLE dispatches (
        id INTEGER PRIMARY KEY,
        release_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        list_id TEXT NOT NULL,
        transport TEXT NOT NULL CHECK (transport IN ('smtp', 'outbox')),
        subject TEXT NOT NULL,
        release_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'done')),
        pause_reason TEXT,
        total INTEGER NOT NULL,
        planned_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        -- An outbox run never stands in for an SMTP one: the transport is part of the identity.
        UNIQUE (release_id, list_id, transport)
      ) STRICT;

      CREATE TABLE deliveries (
        dispatch_id INTEGER NOT NULL REFERENCES dispatches (id) ON DELETE CASCADE,
        subscriber_id INTEGER NOT NULL,
        email TEXT NOT NULL,
        name TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_reply TEXT,
        message_id TEXT,
        sent_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (dispatch_id, subscriber_id)
      ) STRICT, WITHOUT ROWID;
      -- The send loop's queue: only pending rows are indexed, so it stays small as the dispatch progresses.
      CREATE INDEX deliveries_pending ON deliveries (dispatch_id, subscriber_id) WHERE status = 'pending';
      CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

      -- Erasing a subscriber (GDPR) also removes their address and name from past dispatches.
      CREATE TRIGGER deliveries_forget_erased AFTER DELETE ON subscribers
      BEGIN
        UPDATE deliveries SET email = '', name = NULL,
          status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
          last_reply = CASE WHEN status = 'pending' THEN 'erased before sending' ELSE last_reply END
        WHERE subscriber_id = OLD.id;
      END;

      CREATE TABLE dispatch_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        command TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
