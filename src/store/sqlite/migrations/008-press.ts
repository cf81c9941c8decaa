import type { Migration } from '../migrate.js';

/**
 * The press office's ledger and press lists (issue 16). A dispatch gets a kind: the public `newsletter`,
 * an embargoed `briefing` of a press list, a `correction` (its `variant` the correction's date) or a
 * `notice` to the briefed (`variant`: "withdrawn", or "embargo:" and the new embargo), each its own
 * entry, so a correction or a notice can never go twice. `detail` keeps what the check and the notices
 * compare with later: a correction's text, a briefing's embargo. `covers` lists the corrections (dates)
 * the mailed version already carried, which are not mailed again. Subscribers get what press lists
 * know of a journalist (outlet, beat) and who added them, and why.
 */
export const migration: Migration = {
  version: 8,
  name: 'press',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE dispatches_008 (
        id INTEGER PRIMARY KEY,
        release_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        list_id TEXT NOT NULL,
        transport TEXT NOT NULL CHECK (transport IN ('smtp', 'outbox')),
        kind TEXT NOT NULL DEFAULT 'newsletter' CHECK (kind IN ('newsletter', 'briefing', 'correction', 'notice')),
        variant TEXT NOT NULL DEFAULT '',
        detail TEXT,
        covers TEXT,
        subject TEXT NOT NULL,
        release_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'done')),
        pause_reason TEXT,
        total INTEGER NOT NULL,
        planned_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        UNIQUE (release_id, list_id, transport, kind, variant)
      ) STRICT;
      INSERT INTO dispatches_008 (id, release_id, lang, list_id, transport, subject, release_hash, state,
          pause_reason, total, planned_at, started_at, finished_at)
        SELECT id, release_id, lang, list_id, transport, subject, release_hash, state,
          pause_reason, total, planned_at, started_at, finished_at FROM dispatches;
      DROP TABLE dispatches;
      ALTER TABLE dispatches_008 RENAME TO dispatches;

      ALTER TABLE subscribers ADD COLUMN outlet TEXT;
      -- JSON array of topic ids.
      ALTER TABLE subscribers ADD COLUMN beat TEXT;
      ALTER TABLE subscribers ADD COLUMN consent_by TEXT;
      ALTER TABLE subscribers ADD COLUMN consent_reason TEXT;
    `);
  },
};
