import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where scripts/bundle.mjs writes the fingerprint of the built code, in the code's root folder. */
export const FINGERPRINT_FILE = 'code-fingerprint';

/** dist/ or src/: this module lives one level down (dist/core/, dist/bundle/, src/core/). */
const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A hash of every code file below `root` (paths and bytes; no type declarations or source maps). */
export function hashCodeTree(root: string): string {
  const h = createHash('sha256');
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => /\.(?:[cm]?js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
  for (const f of files) h.update(`${f}\0`).update(readFileSync(path.join(root, f)));
  return h.digest('hex');
}

let fingerprint: string | undefined;

/**
 * One fingerprint of scs's code, for caches whose results the code shapes: any change to the code
 * gives another, so no version number needs bumping by hand. A build computes it once (a file read
 * here); code run from its sources (tests) hashes them, once per process.
 */
export function codeFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      fingerprint = readFileSync(path.join(CODE_ROOT, FINGERPRINT_FILE), 'utf8').trim();
    } catch {
      fingerprint = hashCodeTree(CODE_ROOT);
    }
  }
  return fingerprint;
}
