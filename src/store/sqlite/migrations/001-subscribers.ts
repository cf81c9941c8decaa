import type { Migration } from '../migrate.js';

/** Subscribers with their consent record, list memberships, history, and the suppression list. */
export const migration: Migration = {
  version: 1,
  name: 'subscribers',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- AUTOINCREMENT: an id is never reused, so an old signed link can never act on someone new.
      CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL UNIQUE,
        email_hash TEXT NOT NULL,
        name TEXT,
        lang TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bounced', 'complained')),
        status_detail TEXT,
        consent_source TEXT NOT NULL CHECK (consent_source IN ('form', 'import', 'cli')),
        consent_at TEXT NOT NULL,
        consent_ip TEXT,
        -- Where exactly: "people.csv:12" for an import.
        consent_detail TEXT,
        confirmed_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE subscriptions (
        list_id TEXT NOT NULL,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (list_id, subscriber_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX subscriptions_subscriber ON subscriptions (subscriber_id);

      CREATE TABLE subscriber_events (
        id INTEGER PRIMARY KEY,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        list_id TEXT,
        source TEXT,
        ip TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX subscriber_events_subscriber ON subscriber_events (subscriber_id);

      -- Keyed hashes (HMAC with the secret) of addresses that must not be mailed again; no address is kept.
      CREATE TABLE suppressions (
        hash TEXT PRIMARY KEY,
        reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained', 'erased')),
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
