import { createHmac } from 'node:crypto';

/**
 * The keyed hash the suppression list stores instead of an address: without the secret nobody can test
 * whether an address is on the list, and nothing readable remains after erasure.
 */
export function addressHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update('scs-suppression-v1\n').update(email).digest('base64url');
}

/** A fingerprint of the secret, stored once, so opening the database with another key is caught. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('scs-key-check-v1').digest('base64url').slice(0, 16);
}
