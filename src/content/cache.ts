import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Config } from '../config/types.js';
import type { FileResult } from './read.js';
import type { Release } from './types.js';

/** Bump when the Release model or the rules change, so old results are never reused. */
const CACHE_VERSION = 1;

interface Entry extends Omit<FileResult, 'release'> {
  size: number;
  mtimeMs: number;
  /** The release with its body as UTF-8 bytes: half the size of V8's two-byte strings on disk. */
  release?: Omit<Release, 'body'> & { body: Buffer };
}

interface CacheFile {
  key: string;
  entries: Map<string, Entry>;
}

/**
 * Results of reading release files, reused while a file's size and modification time, the existence
 * of what it refers to, and the config are unchanged: a rebuild after editing one release reads one file.
 */
export class ParseCache {
  private readonly file: string;
  private readonly key: string;
  private entries = new Map<string, Entry>();
  private dirty = false;

  constructor(config: Config, version: string) {
    this.file = path.join(config.stateDir, 'cache', 'releases.bin');
    // Secrets are not part of the result: leave the environment out of the key.
    const { env: _env, ...rest } = config;
    this.key = createHash('sha256')
      .update(JSON.stringify([CACHE_VERSION, version, rest]))
      .digest('hex');
    try {
      const data = deserialize(readFileSync(this.file)) as CacheFile;
      if (data.key === this.key) this.entries = data.entries;
      else this.dirty = true;
    } catch {
      // No cache yet, or one from another version: start empty.
    }
  }

  get(abs: string, size: number, mtimeMs: number, exists: (p: string) => boolean): FileResult | undefined {
    const e = this.entries.get(abs);
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs) return undefined;
    if (e.deps.some(([p, was]) => exists(p) !== was)) return undefined;
    const { release, ...rest } = e;
    return release ? { ...rest, release: { ...release, body: release.body.toString('utf8') } } : rest;
  }

  set(result: FileResult, size: number, mtimeMs: number): void {
    const { release, ...rest } = result;
    this.entries.set(result.path, {
      ...rest,
      size,
      mtimeMs,
      ...(release ? { release: { ...release, body: Buffer.from(release.body) } } : {}),
    });
    this.dirty = true;
  }

  /** Drops entries for files that are gone, and writes the cache atomically when it changed. */
  save(present: ReadonlySet<string>): void {
    for (const k of this.entries.keys()) {
      if (!present.has(k)) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, serialize({ key: this.key, entries: this.entries } satisfies CacheFile));
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
