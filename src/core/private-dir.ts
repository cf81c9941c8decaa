import { mkdirSync } from 'node:fs';

/**
 * Creates a folder of local state, and any missing folder above it, readable by its owner only (0700):
 * `.scs/` holds the subscriber database, the signing secret, queued mail and build state.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
