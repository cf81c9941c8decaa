import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { existsOnce, projectPath } from './files.js';
import { parseRelease } from './parse.js';
import type { FileRecord } from './record.js';
import type { Release } from './types.js';

/** Releases are a few KB; anything past this is a mistake (a pasted binary, a runaway export). */
const MAX_RELEASE_BYTES = 1024 * 1024;

/** What one file gave, with the other files its checks looked at (for the cache to re-check). */
export interface FileResult {
  path: string;
  release?: Release;
  diagnostics: Diagnostic[];
  /** Paths whose existence a rule tested (images), and what it found. */
  deps: [string, boolean][];
}

/**
 * Reads and validates release files one by one. Files are read into one buffer that grows as needed,
 * not a new one each: ten thousand allocations of outside memory otherwise make the garbage collector
 * run far more often.
 */
export class FileReader {
  private buffer = Buffer.allocUnsafeSlow(64 * 1024);
  private readonly exists = existsOnce();

  constructor(private readonly config: Config) {}

  parse(abs: string): FileRecord {
    const file = projectPath(this.config.root, abs);
    const read = this.read(abs, file);
    if ('diagnostic' in read)
      return { path: abs, diagnostics: [read.diagnostic], deps: [], size: read.size, mtimeMs: read.mtimeMs };
    const deps: [string, boolean][] = [];
    const fileExists = (p: string) => {
      const v = this.exists(p);
      deps.push([p, v]);
      return v;
    };
    const result = parseRelease({ file, path: abs, bytes: read.bytes }, this.config, fileExists);
    return { path: abs, ...result, deps, size: read.size, mtimeMs: read.mtimeMs };
  }

  /**
   * The file's bytes (valid until the next read) with its size and modification time, refusing
   * overly large files without reading them.
   */
  private read(
    abs: string,
    file: string,
  ): { size: number; mtimeMs: number } & ({ bytes: Buffer } | { diagnostic: Diagnostic }) {
    let fd: number | undefined;
    let stat = { size: -1, mtimeMs: 0 };
    try {
      fd = openSync(abs, 'r');
      const { size, mtimeMs } = fstatSync(fd);
      stat = { size, mtimeMs };
      if (size > MAX_RELEASE_BYTES) {
        return {
          ...stat,
          diagnostic: report('file-too-large', {
            megabytes: (size / 1048576).toFixed(1),
            file,
            line: 1,
            column: 1,
          }),
        };
      }
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, this.buffer, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      return { ...stat, bytes: this.buffer.subarray(0, off) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        ...stat,
        diagnostic:
          code === 'EISDIR'
            ? report('file-is-directory', { name: path.basename(file), file })
            : report('file-unreadable', {
                reason: code ?? (e as Error).message,
                denied: code === 'EACCES',
                file,
              }),
      };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
