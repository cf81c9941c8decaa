import { createHmac, createSecretKey } from 'node:crypto';
import { fatal } from '../core/catalogue/index.js';

/**
 * The keyed hash the suppression list stores instead of an address (HMAC-SHA256 with the secret):
 * without the secret nobody can test whether an address is on the list, and nothing readable remains
 * after erasure. Returns a function, since the prepared key makes each hash much cheaper.
 */
export function addressHasher(secret: string): (email: string) => string {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (email) =>
    createHmac('sha256', key).update('scs-suppression-v1\n').update(email).digest('base64url');
}

/** A fingerprint of the secret, stored once, so opening the database with another key is caught. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('scs-key-check-v1').digest('base64url').slice(0, 16);
}

/**
 * Suppression hashes and every link already sent depend on the key; a different key would silently
 * let suppressed addresses back in, so it is refused. The first opening stores the fingerprint in
 * `meta`; `query` runs a statement on either store and returns its rows. (A fingerprint is base64url:
 * safe as a literal, so both dialects run the same text.)
 */
export async function checkSecret(
  query: (sql: string) => Promise<{ value: string }[]>,
  secret: string,
  database: string,
): Promise<void> {
  const fingerprint = secretFingerprint(secret);
  await query(
    `INSERT INTO meta (key, value) VALUES ('secret-fingerprint', '${fingerprint}') ON CONFLICT (key) DO NOTHING`,
  );
  const [stored] = await query("SELECT value FROM meta WHERE key = 'secret-fingerprint'");
  if (stored?.value !== fingerprint) {
    throw fatal(2, 'store-secret-mismatch', { database });
  }
}
