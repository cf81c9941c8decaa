import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { memoize } from '../core/memo.js';

/** A path as shown to the user: relative to the project root, with forward slashes. */
export function projectPath(root: string, abs: string): string {
  // The common case without path.relative, which is slow enough to show over ten thousand files.
  const rel =
    abs.startsWith(root) && abs[root.length] === path.sep
      ? abs.slice(root.length + 1)
      : path.relative(root, abs);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** The real path of a project root, asked once per run. */
const realRoot = memoize((root: string) => {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
});

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Whether `file` lies outside the project `root`: by its path (through `..`) or, when it exists, by
 * where its symbolic links lead. An image there would publish any file the user can read.
 */
export function outsideProject(root: string, file: string): boolean {
  if (!isInside(root, path.resolve(file))) return true;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    // Missing: "image-missing" says so.
    return false;
  }
  return !isInside(realRoot(root), real);
}

/** existsSync that asks once per path: many releases share an image. */
export function existsOnce(): (p: string) => boolean {
  return memoize((p: string) => existsSync(p));
}

export interface FoundFiles {
  /** Absolute paths of `*.md` files, sorted. */
  files: string[];
  diagnostics: Diagnostic[];
}

/**
 * Every `*.md` below the given folders or files; dot-folders, node_modules and the `exclude` folders
 * (the build output, which may sit inside the releases folder) are skipped.
 */
export function findReleaseFiles(
  roots: string[],
  show: (abs: string) => string,
  exclude: string[] = [],
): FoundFiles {
  const skip = new Set(exclude);
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      diagnostics.push(
        report('file-unreadable', {
          reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
          folder: true,
          file: show(dir),
        }),
      );
      return;
    }
    // `dir` is absolute and normalised, an entry name a single segment: joined without path.join,
    // which normalises all over again (ten thousand times in a large tree).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const abs = prefix + entry.name;
      if (skip.has(abs)) continue;
      if (entry.isDirectory()) {
        if (entry.name.endsWith('.md')) {
          diagnostics.push(report('file-is-directory', { name: entry.name, file: show(abs) }));
        }
        walk(abs);
      } else if (entry.name.endsWith('.md')) files.push(abs);
    }
  };
  for (const root of roots) {
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = statSync(root);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      diagnostics.push(report('path-missing', { path: show(root), file: show(root) }));
    } else if (stat.isDirectory()) {
      if (root.endsWith('.md')) {
        diagnostics.push(report('file-is-directory', { name: path.basename(root), file: show(root) }));
      }
      walk(root);
    } else files.push(root);
  }
  return { files: [...new Set(files)].sort(), diagnostics };
}
