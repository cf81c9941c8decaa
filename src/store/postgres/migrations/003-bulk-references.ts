import type { PostgresMigration } from '../migrate.js';

/**
 * The bulk paths (an import of a million subscribers, a dispatch planned to all of them) check their
 * references once per statement instead of once per row. A foreign key looks up and locks the
 * referenced row for every inserted one: a third of the time of both. The statement triggers keep the
 * rule (a membership names a subscriber, a delivery names a dispatch; scs never changes those ids) as one anti-join over the new
 * rows, and erasure removes the memberships as the cascade did. `UNIQUE (email)` goes too: `email_key`,
 * a function of the address, is unique already; and the memberships are keyed by subscriber first.
 */
export const migration: PostgresMigration = {
  version: 3,
  name: 'bulk-references',
  sql: `
    ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_subscriber_id_fkey;
    ALTER TABLE deliveries DROP CONSTRAINT deliveries_dispatch_id_fkey;
    ALTER TABLE subscribers DROP CONSTRAINT subscribers_email_key;
    -- A subscriber's memberships by the primary key; the list's members by a scan of it (planning reads
    -- the whole list anyway): one index fewer to keep on every membership.
    ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_pkey, ADD PRIMARY KEY (subscriber_id, list_id);
    DROP INDEX subscriptions_subscriber;

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

    -- The cascades the foreign keys made. TG_ARGV: the table of the rows, and their column naming OLD.id.
    CREATE FUNCTION scs_delete_referencing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      EXECUTE format('DELETE FROM %I WHERE %I = $1', TG_ARGV[0], TG_ARGV[1]) USING OLD.id;
      RETURN OLD;
    END $$;
    CREATE TRIGGER subscriptions_forget_erased AFTER DELETE ON subscribers
      FOR EACH ROW EXECUTE FUNCTION scs_delete_referencing('subscriptions', 'subscriber_id');
    CREATE TRIGGER deliveries_forget_dispatch AFTER DELETE ON dispatches
      FOR EACH ROW EXECUTE FUNCTION scs_delete_referencing('deliveries', 'dispatch_id');
  `,
};
