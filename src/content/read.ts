import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { diag, type Diagnostic } from '../core/diagnostic.js';
import { parseRelease } from './parse.js';
import type { Release } from './types.js';

/** Releases are a few KB; anything past this is a mistake (a pasted binary, a runaway export). */
export const MAX_RELEASE_BYTES = 1024 * 1024;

/** What one file gave, with the other files its checks looked at (for the cache to re-check). */
export interface FileResult {
  path: string;
  release?: Release;
  diagnostics: Diagnostic[];
  /** Paths whose existence a rule tested (images), and what it found. */
  deps: [string, boolean][];
}

/** Reads a file whole, refusing overly large ones without reading them. */
function readRelease(abs: string, file: string): { bytes?: Buffer; diagnostic?: Diagnostic } {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const { size } = fstatSync(fd);
    if (size > MAX_RELEASE_BYTES) {
      return {
        diagnostic: diag(
          'file-too-large',
          'error',
          `The file is ${(size / 1048576).toFixed(1)} MB; releases may be at most 1 MB.`,
          {
            file,
            line: 1,
            column: 1,
            hint: 'Move large material (images, attachments) out of the Markdown and link to it.',
          },
        ),
      };
    }
    const bytes = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: bytes.subarray(0, off) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      diagnostic: diag(
        code === 'EISDIR' ? 'file-is-directory' : 'file-unreadable',
        'error',
        `Cannot read the file (${code ?? (e as Error).message}).`,
        {
          file,
          hint:
            code === 'EACCES'
              ? 'Give yourself read permission on it.'
              : 'Check that the file exists and is a regular, readable file (a broken link?).',
        },
      ),
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and validates the given release files (absolute paths), one by one. */
export function parseFiles(config: Config, files: readonly string[]): FileResult[] {
  const exists = new Map<string, boolean>();
  return files.map((abs) => {
    const file = path.relative(config.root, abs).split(path.sep).join('/');
    const read = readRelease(abs, file);
    if (read.diagnostic) return { path: abs, diagnostics: [read.diagnostic], deps: [] };
    const deps: [string, boolean][] = [];
    const fileExists = (p: string) => {
      let v = exists.get(p);
      if (v === undefined) {
        v = existsSync(p);
        exists.set(p, v);
      }
      deps.push([p, v]);
      return v;
    };
    const result = parseRelease({ file, path: abs, bytes: read.bytes! }, config, fileExists);
    return { path: abs, ...result, deps };
  });
}
