import { createHmac, createSecretKey } from 'node:crypto';

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
