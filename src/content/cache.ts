import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { cacheFiles } from './cache-files.js';
import type { Parsed } from './parallel.js';
import { type Pack, PackWriter, readPackFile, writePackFile } from './packing.js';
import { type FileRecord, readRecord, writeRecord, writeRemoved } from './record.js';
import { makePrivateDir } from '../core/private-dir.js';

/** Bump when the Release model, the rules or the record layout change: old results are never reused. */
const CACHE_VERSION = 9;

/** While the journal holds fewer entries than this share of the cache, a run writes only the journal. */
const JOURNAL_SHARE = 0.05;

/** Identifies what a cache's results depend on. Secrets are not part of them: the environment is left out. */
function cacheKey(config: Config, version: string): string {
  // Where the archive goes and how it looks change no release's result: `scs check` and
  // `scs build --out …` share the cache. The environment holds secrets, and is left out too.
  const { env: _env, site, newsletter: _newsletter, ...rest } = config;
  return createHash('sha256')
    .update(JSON.stringify([CACHE_VERSION, version, rest, site.phoneRegion]))
    .digest('hex');
}

/**
 * Results of reading release files, reused while a file's size and modification time, the existence
 * of what it refers to, and the config are unchanged: a rebuild after editing one release reads one file.
 *
 * On disk: `releases.bin`, and `releases.journal.bin` with what changed since it was written, so a run
 * that re-read a few files writes a few records, not all of them. Every record is checked against its
 * file before use, so a journal left beside a newer cache by an interrupted run cannot give a stale result.
 */
export class ParseCache {
  private readonly file: string;
  private readonly journalFile: string;
  private readonly key: string;
  private readonly entries = new Map<string, FileRecord>();
  /** Records changed since `releases.bin` was written (null: the file is gone). */
  private readonly journal = new Map<string, FileRecord | null>();
  private hasBase: boolean;

  constructor(
    private readonly config: Config,
    version: string,
  ) {
    ({ file: this.file, journal: this.journalFile } = cacheFiles(config));
    this.key = cacheKey(config, version);
    this.hasBase = this.read(this.file, false);
    if (this.hasBase) this.read(this.journalFile, true);
  }

  /** Loads a cache file's records; false when there is none, or it is damaged or for another key. */
  private read(file: string, journal: boolean): boolean {
    const records: (FileRecord | string)[] = [];
    try {
      const { header, reader } = readPackFile(file);
      if (header.key !== this.key) return false;
      while (!reader.done) records.push(readRecord(reader, this.config));
    } catch {
      // None yet, or damaged: use none of it.
      return false;
    }
    for (const e of records) {
      const abs = typeof e === 'string' ? e : e.path;
      if (journal) this.journal.set(abs, typeof e === 'string' ? null : e);
      if (typeof e === 'string') this.entries.delete(abs);
      else this.entries.set(abs, e);
    }
    return true;
  }

  /** Whether this cache is for `config` (the same settings and scs), so that a long-lived process may keep it. */
  isFor(config: Config, version: string): boolean {
    return this.key === cacheKey(config, version);
  }

  /** Whether there is a record for the file at all (only then is it worth a stat). */
  has(abs: string): boolean {
    return this.entries.has(abs);
  }

  /** The size and modification time a file had when its record was made (none: no usable record). */
  stamp(abs: string): { size: number; mtimeMs: number } | undefined {
    const e = this.entries.get(abs);
    return e && e.size >= 0 ? { size: e.size, mtimeMs: e.mtimeMs } : undefined;
  }

  get(abs: string, size: number, mtimeMs: number, exists: (p: string) => boolean): FileRecord | undefined {
    const e = this.entries.get(abs);
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs) return undefined;
    if (e.deps.some(([p, was]) => exists(p) !== was)) return undefined;
    return e;
  }

  /**
   * Writes this run's changes atomically: the files parsed (already packed by the threads that parsed
   * them) and the ones that are gone. Only a journal, while that stays small.
   */
  save(present: ReadonlySet<string>, parsed: Parsed): void {
    const gone = [...this.entries.keys()].filter((k) => !present.has(k));
    if (!parsed.records.length && !gone.length) return;
    const fresh = new Set(parsed.records.map((r) => r.path));
    const older = (from: Iterable<[string, FileRecord | null]>): Pack => {
      const w = new PackWriter();
      for (const [abs, e] of from) {
        if (fresh.has(abs) || gone.includes(abs)) continue;
        if (e) writeRecord(w, this.config, e);
        else writeRemoved(w, abs);
      }
      return w.finish();
    };
    try {
      makePrivateDir(path.dirname(this.file));
      const changes = new Set([...this.journal.keys(), ...fresh, ...gone]).size;
      const journalOnly = this.hasBase && changes < this.entries.size * JOURNAL_SHARE;
      if (journalOnly) {
        const removed = new PackWriter();
        for (const abs of gone) writeRemoved(removed, abs);
        writePackFile(this.journalFile, { key: this.key }, [
          older(this.journal),
          ...parsed.packs,
          removed.finish(),
        ]);
      } else {
        writePackFile(this.file, { key: this.key }, [older(this.entries), ...parsed.packs]);
        rmSync(this.journalFile, { force: true });
      }
      // Kept up to date for the next run of a process that keeps this cache (`scs preview`).
      if (!journalOnly) this.journal.clear();
      this.hasBase = true;
      for (const r of parsed.records) {
        this.entries.set(r.path, r);
        if (journalOnly) this.journal.set(r.path, r);
      }
      for (const abs of gone) {
        this.entries.delete(abs);
        if (journalOnly) this.journal.set(abs, null);
      }
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
