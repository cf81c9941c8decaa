import type { PostgresMigration } from '../migrate.js';

/** SQLite's 007-bounce-events: bounces and complaints, each tied to its delivery (same shapes). */
export const migration: PostgresMigration = {
  version: 2,
  name: 'bounce-events',
  sql: `
    CREATE TABLE bounce_events (
      id bigserial PRIMARY KEY,
      key text NOT NULL UNIQUE,
      dispatch_id bigint NOT NULL,
      subscriber_id bigint NOT NULL,
      type text NOT NULL CHECK (type IN ('hard', 'soft', 'complaint', 'delayed')),
      status text,
      detail text,
      source text NOT NULL,
      at bigint NOT NULL
    );
    CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, type, at);
    CREATE INDEX bounce_events_dispatch ON bounce_events (dispatch_id, type);
    CREATE INDEX deliveries_message_id ON deliveries (message_id) WHERE message_id IS NOT NULL;
    CREATE FUNCTION bounce_events_forget_erased() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE bounce_events SET detail = NULL WHERE subscriber_id = OLD.id;
      RETURN OLD;
    END $$;
    CREATE TRIGGER bounce_events_forget_erased AFTER DELETE ON subscribers
      FOR EACH ROW EXECUTE FUNCTION bounce_events_forget_erased();
  `,
};
