import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Config } from '../config/types.js';
import type { FileResult } from './read.js';
import type { Release } from './types.js';

/** Bump when the Release model or the rules change, so old results are never reused. */
const CACHE_VERSION = 2;

interface Entry extends Omit<FileResult, 'release'> {
  size: number;
  mtimeMs: number;
  /** The release without its body, which is read back from the (unchanged) file from `bodyLine` on. */
  release?: Omit<Release, 'body'>;
}

interface CacheFile {
  key: string;
  entries: Map<string, Entry>;
}

function withoutBody(release: Release): Omit<Release, 'body'> {
  const { body: _body, ...rest } = release;
  return rest;
}

/** The text of a release file from a 1-based line to the end (the body as parseRelease leaves it). */
function readBody(abs: string, line: number): string | undefined {
  try {
    let text = readFileSync(abs, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let at = 0;
    for (let n = 1; n < line; n++) {
      at = text.indexOf('\n', at) + 1;
      if (at === 0) return '';
    }
    return text.slice(at);
  } catch {
    return undefined;
  }
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
    if (!release) return rest;
    const body = readBody(abs, release.bodyLine);
    return body === undefined ? undefined : { ...rest, release: { ...release, body } };
  }

  set(result: FileResult, size: number, mtimeMs: number): void {
    const { release, ...rest } = result;
    this.entries.set(result.path, {
      ...rest,
      size,
      mtimeMs,
      ...(release ? { release: withoutBody(release) } : {}),
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
