import crypto, { type BinaryLike } from 'node:crypto';

/**
 * SHA-256 as hex, in one call. `crypto.hash` (Node ≥ 20.12) skips the Hash object that `createHash`
 * builds: a few microseconds each, which add up over ten thousand files.
 */
export const sha256Hex: (data: BinaryLike) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');
