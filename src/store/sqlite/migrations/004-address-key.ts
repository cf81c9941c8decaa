import { addressKey } from '../../../subscribers/email.js';
import { addressHasher } from '../../address-hash.js';
import type { Migration } from '../migrate.js';

interface Row {
  id: number;
  email: string;
  email_hash: string;
  name: string | null;
  status: string;
  updated_at: string;
}

// The order of protection: what keeps a person from being mailed wins a merge.
const STATUS_RANK: Record<string, number> = {
  complained: 5,
  bounced: 4,
  unsubscribed: 3,
  confirmed: 2,
  pending: 1,
};
const sqlRank = (column: string, ranks: string[]) =>
  `CASE ${column} ${ranks.map((r, i) => `WHEN '${r}' THEN ${ranks.length - i}`).join(' ')} ELSE 0 END`;

/**
 * One identity per address: `email_key` (see addressKey: the whole address lower-cased, IDNA domain)
 * becomes the unique key, and `email_hash` the hash of the key, so that "Bob@x.se" and "bob@x.se" are
 * one person and one suppression entry. The address as typed stays in `email` for display and sending.
 *
 * Rows that share a key are merged into one, keeping the row whose status protects the person most
 * (complained > bounced > unsubscribed > confirmed > pending; then the latest change, then the oldest
 * id). Memberships merge list by list the same way (unsubscribed > active > pending); history and
 * deliveries move over; a "merged" event records it. Every suppression of a row's address as typed is
 * copied onto the key's hash. The suppression entries of addresses erased before this step keep the
 * hash of the address as typed (nothing else is left to hash), which lookups of such a database still
 * check (meta `suppressions-by-spelling`).
 */
export const migration: Migration = {
  version: 4,
  name: 'address-key',
  up(db, { secret, now: at, note }) {
    const hash = addressHasher(secret);
    // Entries keyed by an address as typed: only then need lookups look for that spelling too.
    if (db.prepare('SELECT 1 FROM suppressions LIMIT 1').get())
      db.prepare("INSERT INTO meta (key, value) VALUES ('suppressions-by-spelling', '1')").run();
    db.exec("ALTER TABLE subscribers ADD COLUMN email_key TEXT NOT NULL DEFAULT ''");
    const rows = db
      .prepare('SELECT id, email, email_hash, name, status, updated_at FROM subscribers ORDER BY id')
      .all() as Row[];
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = addressKey(row.email);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const q = {
      setKey: db.prepare('UPDATE subscribers SET email_key = ?, email_hash = ?, name = ? WHERE id = ?'),
      suppression: db.prepare('SELECT reason FROM suppressions WHERE hash = ?').pluck(),
      suppress: db.prepare(`
        INSERT INTO suppressions (hash, reason, created_at) VALUES (@hash, @reason, @now)
        ON CONFLICT (hash) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at
        WHERE ${sqlRank('excluded.reason', ['complained', 'bounced', 'unsubscribed'])} >
          ${sqlRank('reason', ['complained', 'bounced', 'unsubscribed'])}`),
      mergeSubscriptions: db.prepare(`
        INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at)
        SELECT list_id, @into, status, created_at, updated_at FROM subscriptions WHERE subscriber_id = @from
        ON CONFLICT (list_id, subscriber_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
        WHERE ${sqlRank('excluded.status', ['unsubscribed', 'active', 'pending'])} >
          ${sqlRank('status', ['unsubscribed', 'active', 'pending'])}`),
      moveEvents: db.prepare(
        'UPDATE subscriber_events SET subscriber_id = @into WHERE subscriber_id = @from',
      ),
      // A dispatch that has both rows keeps the survivor's; deleting the other blanks what is left of it.
      moveDeliveries: db.prepare(
        'UPDATE OR IGNORE deliveries SET subscriber_id = @into WHERE subscriber_id = @from',
      ),
      event: db.prepare(`
        INSERT INTO subscriber_events (subscriber_id, at, kind, source, detail)
        VALUES (?, ?, 'merged', 'migration', ?)`),
      delete: db.prepare('DELETE FROM subscribers WHERE id = ?'),
    };
    const now = at.toISOString();
    const merges: string[] = [];
    for (const [key, group] of groups) {
      const keyHash = hash(key);
      // Suppressions of any of the addresses as typed now hold for the key.
      for (const row of group) {
        const reason = q.suppression.get(row.email_hash) as string | undefined;
        if (reason && row.email_hash !== keyHash) q.suppress.run({ hash: keyHash, reason, now });
      }
      const [keep, ...others] = [...group].sort(
        (a, b) =>
          (STATUS_RANK[b.status] ?? 0) - (STATUS_RANK[a.status] ?? 0) ||
          b.updated_at.localeCompare(a.updated_at) ||
          a.id - b.id,
      ) as [Row, ...Row[]];
      q.setKey.run(key, keyHash, keep.name ?? others.find((o) => o.name)?.name ?? null, keep.id);
      if (!others.length) continue;
      for (const other of others) {
        const ids = { into: keep.id, from: other.id };
        q.mergeSubscriptions.run(ids);
        q.moveEvents.run(ids);
        q.moveDeliveries.run(ids);
        q.delete.run(other.id);
        q.event.run(
          keep.id,
          now,
          `merged with ${other.email} (#${other.id}, ${other.status}): the same address`,
        );
      }
      merges.push(
        `merged ${group.map((r) => `${r.email} (#${r.id}, ${r.status})`).join(', ')} into #${keep.id} (${keep.status})`,
      );
    }
    db.exec('CREATE UNIQUE INDEX subscribers_email_key ON subscribers (email_key)');
    if (!merges.length) return;
    note(
      `Merged ${merges.length} duplicate address${merges.length === 1 ? '' : 'es'} (the same address in other letter case):`,
    );
    // Each merge is in the person's history; a long list would only scroll past.
    for (const m of merges.slice(0, 20)) note(m);
    if (merges.length > 20) note(`… and ${merges.length - 20} more (see "scs subscribers show <email>")`);
  },
};
