import type { PostgresMigration } from '../migrate.js';

/**
 * SQLite's step 008 (sqlite/migrations/008-press.ts) on PostgreSQL: a dispatch's kind and variant
 * (briefing, correction, notice beside the newsletter) in its key, what it keeps to compare with later,
 * the corrections the mailed version carried; and a journalist's outlet, beat and consent record.
 */
export const migration: PostgresMigration = {
  version: 2,
  name: 'press',
  sql: `
    ALTER TABLE dispatches
      ADD COLUMN kind text NOT NULL DEFAULT 'newsletter'
        CHECK (kind IN ('newsletter', 'briefing', 'correction', 'notice')),
      ADD COLUMN variant text NOT NULL DEFAULT '',
      ADD COLUMN detail text,
      ADD COLUMN covers text;
    ALTER TABLE dispatches DROP CONSTRAINT dispatches_release_id_list_id_transport_key;
    ALTER TABLE dispatches ADD CONSTRAINT dispatches_release_id_list_id_transport_kind_variant_key
      UNIQUE (release_id, list_id, transport, kind, variant);
    ALTER TABLE subscribers
      ADD COLUMN outlet text,
      ADD COLUMN beat text,
      ADD COLUMN consent_by text,
      ADD COLUMN consent_reason text;
  `,
};
