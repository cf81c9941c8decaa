import { rmSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { cacheFiles } from './cache-files.js';
import type { Parsed } from './parallel.js';
import { type FileRecord, type Pack, packRecords, unpackRecords } from './record.js';
import { cacheKey as keyOf, codeFingerprint, readCacheFile, writeCacheFile } from '../cache/index.js';

/** While the journal holds fewer entries than this share of the cache, a run writes only the journal. */
const JOURNAL_SHARE = 0.05;

/**
 * Identifies what a cache's results depend on: the config and scs's code (its fingerprint changes with
 * any rule, model or record change, so old results are never reused). Secrets are not part of them.
 */
function cacheKey(config: Config, code: string): string {
  // Where the archive goes and how it looks change no release's result: `scs check` and
  // `scs build --out …` share the cache. The environment holds secrets, and is left out too.
  const { env: _env, site, newsletter: _newsletter, ...rest } = config;
  return keyOf([rest, site.phoneRegion], code);
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

  /** `code`: the fingerprint of the code the results come from (another only in tests). */
  constructor(
    config: Config,
    private readonly code = codeFingerprint(),
  ) {
    ({ file: this.file, journal: this.journalFile } = cacheFiles(config));
    this.key = cacheKey(config, code);
    this.hasBase = this.read(this.file, false);
    if (this.hasBase) this.read(this.journalFile, true);
  }

  /** Loads a cache file's records; false when there is none, or it is damaged or for another key. */
  private read(file: string, journal: boolean): boolean {
    // None yet, damaged or for another key: use none of it.
    const records = readCacheFile(file, (data) => readPackFile(data, this.key));
    if (!records) return false;
    for (const e of records) {
      const abs = typeof e === 'string' ? e : e.path;
      if (journal) this.journal.set(abs, typeof e === 'string' ? null : e);
      if (typeof e === 'string') this.entries.delete(abs);
      else this.entries.set(abs, e);
    }
    return true;
  }

  /** Whether this cache is for `config` (the same settings and scs), so that a long-lived process may keep it. */
  isFor(config: Config): boolean {
    return this.key === cacheKey(config, this.code);
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
      const kept: (FileRecord | string)[] = [];
      for (const [abs, e] of from) if (!fresh.has(abs) && !gone.includes(abs)) kept.push(e ?? abs);
      return packRecords(kept);
    };
    try {
      const changes = new Set([...this.journal.keys(), ...fresh, ...gone]).size;
      const journalOnly = this.hasBase && changes < this.entries.size * JOURNAL_SHARE;
      if (journalOnly) {
        writePackFile(this.journalFile, this.key, [older(this.journal), ...parsed.packs, packRecords(gone)]);
      } else {
        writePackFile(this.file, this.key, [older(this.entries), ...parsed.packs]);
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

/** Writes packs as one file, atomically: a JSON header line (the key, each pack's length), then the packs. */
function writePackFile(file: string, key: string, packs: Pack[]): void {
  writeCacheFile(file, [`${JSON.stringify({ key, packs: packs.map((p) => p.byteLength) })}\n`, ...packs]);
}

/** The records of a file written by writePackFile with this key (undefined: another key); throws when damaged. */
function readPackFile(data: Buffer, key: string): (FileRecord | string)[] | undefined {
  const newline = data.indexOf(0x0a);
  if (newline < 0) throw new RangeError('not a cache file');
  const header = JSON.parse(data.toString('utf8', 0, newline)) as { key?: unknown; packs?: number[] };
  if (header.key !== key) return undefined;
  const records: (FileRecord | string)[] = [];
  let at = newline + 1;
  for (const length of header.packs ?? []) {
    if (at + length > data.length) throw new RangeError('cache file ends early');
    for (const r of unpackRecords(data.subarray(at, at + length))) records.push(r);
    at += length;
  }
  return records;
}
