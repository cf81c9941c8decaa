import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../core/private-dir.js';
import { codeFingerprint } from './fingerprint.js';

export { codeFingerprint } from './fingerprint.js';

/**
 * The caches scs keeps in `<stateDir>/cache/`, one folder each, named here and nowhere else. Every one
 * is safe to delete: a missing, damaged or foreign entry is a miss.
 */
const FOLDERS = {
  /** The last valid configs (config/cache.ts). */
  config: 'config',
  /** Each release file's result (content/cache.ts). */
  releases: 'releases',
  /** Per output folder: its build state, lock and work folders (site/state.ts, site/output.ts). */
  site: 'site',
  /** Derived images by their public names, and what is known of each source (assets/). */
  images: 'images',
} as const;

export type CacheName = keyof typeof FOLDERS;

/** The folder of one cache (not created). */
export function cacheFolder(stateDir: string, name: CacheName): string {
  return path.join(stateDir, 'cache', FOLDERS[name]);
}

/** A file of one cache (its folder not created). */
export function cacheFile(stateDir: string, name: CacheName, file: string): string {
  return path.join(cacheFolder(stateDir, name), file);
}

/**
 * A key for cached results: a hash of scs's fingerprint (`code`: another only in tests) and what else
 * the results depend on (JSON values). The fingerprint versions every cache, so no cache has a version number of its own.
 */
export function cacheKey(parts: unknown, code = codeFingerprint()): string {
  return createHash('sha256')
    .update(JSON.stringify([code, parts]))
    .digest('hex');
}

type Chunk = string | NodeJS.ArrayBufferView;

/**
 * Writes a cache file atomically: to a temporary name in its folder (created private if missing), then
 * renamed over it, so a reader sees the old file or the new one, never half of one.
 */
export function writeCacheFile(file: string, data: Chunk | readonly Chunk[]): void {
  makePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      for (const chunk of Array.isArray(data) ? data : [data]) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A cache file's content as `decode` makes it; undefined (a miss) when there is none, or `decode`
 * rejects it (returns undefined or throws): damaged, foreign, or for another key.
 */
export function readCacheFile<T>(file: string, decode: (data: Buffer) => T | undefined): T | undefined {
  try {
    return decode(readFileSync(file));
  } catch {
    return undefined;
  }
}
