import type { PostgresMigration } from '../migrate.js';

/**
 * The bulk paths (an import of a million subscribers, a dispatch planned to all of them) check their
 * references once per statement instead of once per row. A foreign key looks up and locks the
 * referenced row for every inserted one: a third of the time of both. The statement triggers keep the
 * rule (a membership names a subscriber, a delivery names a dispatch; scs never changes those ids) as one anti-join over the new
 * rows, and erasure removes the memberships as the cascade did. `UNIQUE (email)` goes too: `email_key`,
 * a function of the address, is unique already.
 */
export const migration: PostgresMigration = {
  version: 3,
  name: 'bulk-references',
  sql: `
    ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_subscriber_id_fkey;
    ALTER TABLE deliveries DROP CONSTRAINT deliveries_dispatch_id_fkey;
    ALTER TABLE subscribers DROP CONSTRAINT subscribers_email_key;

    -- TG_ARGV: the referenced table, and the new rows' column that names its id.
    CREATE FUNCTION scs_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE missing boolean;
    BEGIN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM %I p WHERE p.id = n.%I))',
        TG_ARGV[0], TG_ARGV[1]) INTO missing;
      IF missing THEN
        RAISE EXCEPTION '% names a row of % that does not exist', TG_TABLE_NAME, TG_ARGV[0]
          USING ERRCODE = 'foreign_key_violation';
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER subscriptions_references AFTER INSERT ON subscriptions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION scs_references_exist('subscribers', 'subscriber_id');
    CREATE TRIGGER deliveries_references AFTER INSERT ON deliveries
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION scs_references_exist('dispatches', 'dispatch_id');

    CREATE FUNCTION subscriptions_forget_erased() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM subscriptions WHERE subscriber_id = OLD.id;
      RETURN OLD;
    END $$;
    CREATE TRIGGER subscriptions_forget_erased AFTER DELETE ON subscribers
      FOR EACH ROW EXECUTE FUNCTION subscriptions_forget_erased();
    CREATE FUNCTION deliveries_forget_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM deliveries WHERE dispatch_id = OLD.id;
      RETURN OLD;
    END $$;
    CREATE TRIGGER deliveries_forget_dispatch AFTER DELETE ON dispatches
      FOR EACH ROW EXECUTE FUNCTION deliveries_forget_dispatch();
  `,
};
