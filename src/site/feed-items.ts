import { readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { readCacheFile, writeCacheFile } from '../cache/index.js';

/** Where planSite finds and leaves the rendered content of feed entries. */
export interface FeedItemStore {
  get(key: string): string | undefined;
  set(key: string, contentXml: string): void;
}

/**
 * The full content of feed entries, rendered and escaped for XML, one file per entry key in the build's
 * cache: a feed that changes because one of its releases did renders that one entry, not all fifty.
 * A key covers everything an entry is made from (see planSite), so an entry is never stale.
 */
export class FeedItemCache implements FeedItemStore {
  private wrote = false;

  /** `read`: false to render every entry again (`--clean`), still keeping what is rendered. */
  constructor(
    private readonly dir: string,
    private readonly read = true,
  ) {}

  get(key: string): string | undefined {
    if (!this.read) return undefined;
    return readCacheFile(path.join(this.dir, key), (data) => data.toString('utf8'));
  }

  set(key: string, contentXml: string): void {
    try {
      // Written whole or not at all: an entry is trusted by its name.
      writeCacheFile(path.join(this.dir, key), contentXml);
      this.wrote = true;
    } catch {
      // A cache that cannot be written only costs time on the next build.
    }
  }

  /** After a build that rendered entries: removes those no feed shows any more. */
  prune(keep: ReadonlySet<string>): void {
    if (!this.wrote) return;
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (keep.has(name)) continue;
      try {
        unlinkSync(path.join(this.dir, name));
      } catch {
        // Gone already.
      }
    }
  }
}
