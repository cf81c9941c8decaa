import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where scripts/bundle.mjs writes the fingerprint of the built code, in the code's root folder. */
export const FINGERPRINT_FILE = 'code-fingerprint';

/** dist/ or src/: this module lives one level down (dist/cache/, dist/bundle/, src/cache/). */
const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** scs's built-in templates, beside the code's root (they shape pages and mail as much as code does). */
const TEMPLATES_ROOT = path.join(CODE_ROOT, '..', 'templates');

/** A hash of the files below `root` that `keep` accepts (paths and bytes); no folder: a hash of nothing. */
function hashTree(root: string, keep: (file: string) => boolean): string {
  const h = createHash('sha256');
  let files: string[];
  try {
    files = (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((d) => d.isFile())
      .map((d) =>
        path
          .relative(root, path.join(d.parentPath ?? d.path, d.name))
          .split(path.sep)
          .join('/'),
      )
      .filter(keep)
      .sort();
  } catch {
    files = [];
  }
  for (const f of files) h.update(`${f}\0`).update(readFileSync(path.join(root, f)));
  return h.digest('hex');
}

/** A hash of every code file below `root` (paths and bytes; no type declarations or source maps). */
export function hashCodeTree(root: string): string {
  return hashTree(root, (f) => /\.(?:[cm]?js|ts)$/.test(f) && !f.endsWith('.d.ts'));
}

/** The fingerprint of scs: its code below `codeRoot` and every file of its built-in templates. */
export function hashScs(codeRoot: string, templatesRoot: string): string {
  return createHash('sha256')
    .update(`${hashCodeTree(codeRoot)}\0${hashTree(templatesRoot, () => true)}`)
    .digest('hex');
}

let fingerprint: string | undefined;

/**
 * One fingerprint of scs's code and built-in templates, which versions every cache: any change to
 * either gives another, so no version number is ever bumped by hand. A build computes it once (a file
 * read here); code run from its sources (tests, library use) hashes every source file, once per process.
 */
export function codeFingerprint(): string {
  if (fingerprint === undefined) {
    try {
      fingerprint = readFileSync(path.join(CODE_ROOT, FINGERPRINT_FILE), 'utf8').trim();
    } catch {
      fingerprint = hashScs(CODE_ROOT, TEMPLATES_ROOT);
    }
  }
  return fingerprint;
}
