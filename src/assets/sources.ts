import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../core/sha256.js';
import { readJson, writeAtomic } from './cache.js';
import { type ImageInfo, type ImageProblem, inspectImage } from './inspect.js';

/** What is known of a source image, valid while its size and modification time match. */
export interface Known {
  size: number;
  mtimeMs: number;
  /** SHA-256 of its bytes. */
  hash: string;
  info?: ImageInfo;
  problem?: ImageProblem;
}

/**
 * `sources.json` in the image cache: each source's content hash and header (or why it cannot be used),
 * so that a warm run, and every email, learns them from a `stat` instead of reading the image.
 */
export class SourceIndex {
  private readonly file: string;
  private readonly saved: Record<string, Known>;
  private readonly used: Record<string, Known> = {};

  constructor(dir: string) {
    this.file = path.join(dir, 'sources.json');
    this.saved = readJson<Record<string, Known>>(this.file) ?? {};
  }

  /** What is known of `file`, and its bytes when they had to be read; undefined when it cannot be read. */
  async describe(file: string): Promise<{ known: Known; bytes?: Buffer } | undefined> {
    const seen = this.used[file];
    if (seen) return { known: seen };
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch {
      return undefined; // content/ reports a missing image
    }
    const old = this.saved[file];
    if (old && old.size === st.size && old.mtimeMs === st.mtimeMs) {
      // A copy: `fail` changes it, and `save` must then see it differ from what was saved.
      const known = { ...old };
      this.used[file] = known;
      return { known };
    }
    const bytes = readFileSync(file);
    const known: Known = { size: st.size, mtimeMs: st.mtimeMs, hash: sha256Hex(bytes) };
    const inspected = await inspectImage(bytes);
    if ('info' in inspected) known.info = inspected.info;
    else known.problem = inspected.problem;
    this.used[file] = known;
    return { known, bytes };
  }

  /** Records that `file` cannot be used after all (its pixels did not decode). */
  fail(file: string, problem: ImageProblem): void {
    const known = this.used[file];
    if (!known) return;
    delete known.info;
    known.problem = problem;
  }

  /** Keeps what this run used (only that), if it changed. */
  save(): void {
    if (JSON.stringify(this.used) !== JSON.stringify(this.saved))
      writeAtomic(this.file, JSON.stringify(this.used));
  }
}
