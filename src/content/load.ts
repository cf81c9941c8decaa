import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { diag, sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { findReleaseFiles } from './files.js';
import { parseRelease } from './parse.js';
import { crossFileRules } from './rules.js';
import type { Release } from './types.js';

/** Releases are a few KB; anything past this is a mistake (a pasted binary, a runaway export). */
export const MAX_RELEASE_BYTES = 1024 * 1024;

export interface LoadOptions {
  /** Files or folders to report on; default every release below the config's releases folder. */
  paths?: string[];
}

export interface LoadResult {
  /** Valid releases, sorted newest first (then by id). */
  releases: Release[];
  diagnostics: Diagnostic[];
  /** The release files looked at (relative paths). */
  files: string[];
}

/** Reads a file whole, refusing overly large ones without reading them. */
function readRelease(abs: string, file: string): { bytes?: Buffer; diagnostic?: Diagnostic } {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const { size } = fstatSync(fd);
    if (size > MAX_RELEASE_BYTES) {
      return {
        diagnostic: diag('file-too-large', 'error', `The file is ${(size / 1048576).toFixed(1)} MB; releases may be at most 1 MB.`, {
          file,
          line: 1,
          column: 1,
          hint: 'Move large material (images, attachments) out of the Markdown and link to it.',
        }),
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
      diagnostic: diag(code === 'EISDIR' ? 'file-is-directory' : 'file-unreadable', 'error', `Cannot read the file (${code ?? (e as Error).message}).`, {
        file,
        hint: code === 'EACCES' ? 'Give yourself read permission on it.' : 'Check that the file exists and is a regular, readable file (a broken link?).',
      }),
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const byDateDesc = (a: Release, b: Release) => b.date.getTime() - a.date.getTime() || a.id.localeCompare(b.id);

/** Reads and validates every release file; diagnostics per file, no rules across files. */
export function loadReleases(config: Config, options: LoadOptions = {}): LoadResult {
  const show = (abs: string) => path.relative(config.root, abs).split(path.sep).join('/') || '.';
  const roots = [config.releasesDir, ...(options.paths ?? []).map((p) => path.resolve(config.root, p))];
  const found = findReleaseFiles(roots, show);
  const releases: Release[] = [];
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const exists = new Map<string, boolean>();
  const fileExists = (p: string) => {
    let v = exists.get(p);
    if (v === undefined) {
      v = existsSync(p);
      exists.set(p, v);
    }
    return v;
  };
  for (const abs of found.files) {
    const file = show(abs);
    const read = readRelease(abs, file);
    if (read.diagnostic) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const result = parseRelease({ file, path: abs, bytes: read.bytes! }, config, fileExists);
    diagnostics.push(...result.diagnostics);
    if (result.release) releases.push(result.release);
  }
  releases.sort(byDateDesc);
  return { releases, diagnostics, files: found.files.map(show) };
}


/**
 * The full check: every file, then the rules across files. With `paths`, all releases are still read
 * (a duplicate slug needs the others) but only problems in the given files are reported.
 */
export function checkReleases(config: Config, options: LoadOptions = {}): LoadResult {
  const loaded = loadReleases(config, options);
  let diagnostics = [...loaded.diagnostics, ...crossFileRules(loaded.releases)];
  let files = loaded.files;
  if (options.paths?.length) {
    const show = (abs: string) => path.relative(config.root, abs).split(path.sep).join('/') || '.';
    const wanted = options.paths.map((p) => show(path.resolve(config.root, p)));
    const inScope = (f?: string) => !!f && wanted.some((w) => w === '.' || f === w || f.startsWith(`${w}/`));
    diagnostics = diagnostics.filter((d) => inScope(d.file));
    files = files.filter(inScope);
  }
  // A release with an error in a rule across files is not valid either.
  const bad = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  return { releases: loaded.releases.filter((r) => !bad.has(r.file)), diagnostics: sortDiagnostics(diagnostics), files };
}
