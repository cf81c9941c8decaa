import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import path from 'node:path';

/** The files in one output folder: path → key of what was written there. */
export interface FolderState {
  /** Identity of the folder (device, inode, birth time), which survives renames. */
  id: string;
  files: Map<string, string>;
}

/** What scs knows about an output folder and its spare, kept in `.scs/cache/site/`. */
export interface OutputState {
  current?: FolderState;
  prev?: FolderState;
}

function folderId(dir: string): string | undefined {
  try {
    const st = statSync(dir);
    return st.isDirectory() ? `${st.dev}:${st.ino}:${st.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

export interface WorkFolders {
  /** The spare: the previous build's output. */
  prev: string;
  /** The new output while it is being filled. */
  next: string;
}

function device(dir: string): number | undefined {
  try {
    return statSync(dir).dev;
  } catch {
    return undefined;
  }
}

/**
 * Where the spare and the folder being filled live: in the cache folder (`<cache>/<name>.prev`,
 * `.next`) when it is on the output's file system, since they are swapped in by renaming; otherwise
 * next to the output (`.<out>.scs-prev`, `.scs-next`).
 */
export function workFolders(out: string, cacheDir: string, name: string): WorkFolders {
  mkdirSync(cacheDir, { recursive: true });
  const parent = path.dirname(out);
  mkdirSync(parent, { recursive: true });
  if (device(parent) === device(cacheDir)) {
    return { prev: path.join(cacheDir, `${name}.prev`), next: path.join(cacheDir, `${name}.next`) };
  }
  const base = path.basename(out);
  return { prev: path.join(parent, `.${base}.scs-prev`), next: path.join(parent, `.${base}.scs-next`) };
}

/** True when `out` is the folder the last build left (not replaced or removed since). */
export function isLastOutput(out: string, state: OutputState): boolean {
  return !!state.current && folderId(out) === state.current.id;
}

/** True when `out` holds files that scs did not write (a folder it must not replace). */
export function isForeignOutput(out: string, state: OutputState): boolean {
  if (!existsSync(out)) return false;
  if (isLastOutput(out, state)) return false;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    return false;
  }
  const ours =
    entries.includes('robots.txt') && entries.includes('sitemap.xml') && entries.includes('index.html');
  return entries.length > 0 && !ours;
}

/**
 * A build in progress. The new output is assembled in a work folder (see workFolders) and swapped in with
 * two renames only when complete, so a failed or interrupted build leaves the published folder as it
 * was. To keep warm builds cheap the folder being filled is the previous build's output (the spare),
 * in which only changed files are replaced; unchanged files that changed since are hard-linked from the
 * current output. Files are never rewritten in place (see write.ts), so linked files stay intact.
 */
export class Staging {
  readonly dir: string;
  /** Files already in `dir`: path → key. */
  readonly has: Map<string, string>;
  private readonly current: ReadonlyMap<string, string>;
  private readonly outKnown: boolean;
  constructor(
    readonly out: string,
    private readonly folders: WorkFolders,
    private readonly state: OutputState,
    clean: boolean,
  ) {
    const { prev, next } = folders;
    // A leftover of an interrupted build: its content is unknown.
    if (existsSync(next)) rmSync(next, { recursive: true, force: true });
    this.has = new Map();
    if (existsSync(prev)) {
      if (!clean && state.prev && folderId(prev) === state.prev.id) {
        renameSync(prev, next);
        this.has = new Map(state.prev.files);
      } else rmSync(prev, { recursive: true, force: true });
    }
    mkdirSync(next, { recursive: true });
    this.dir = next;
    this.outKnown = !clean && isLastOutput(out, state);
    this.current = this.outKnown ? state.current!.files : new Map();
  }

  /** Hard-links the current output's copy of `rel` when it has the same key; false when it cannot. */
  link(rel: string, key: string): boolean {
    if (this.current.get(rel) !== key) return false;
    const target = path.join(this.dir, rel);
    try {
      if (this.has.delete(rel)) unlinkSync(target);
      try {
        linkSync(path.join(this.out, rel), target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        mkdirSync(path.dirname(target), { recursive: true });
        linkSync(path.join(this.out, rel), target);
      }
      return true;
    } catch {
      // Another file system, or the file was removed by hand: write it instead.
      return false;
    }
  }

  /** The current output's files below `prefix` with their keys. */
  currentFiles(prefix: string): [string, string][] {
    return [...this.current].filter(([rel]) => rel.startsWith(prefix));
  }

  /** Removes a file the new output does not have, and folders it leaves empty. */
  remove(rel: string): void {
    this.has.delete(rel);
    try {
      unlinkSync(path.join(this.dir, rel));
    } catch {
      return;
    }
    for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) {
      try {
        rmdirSync(path.join(this.dir, dir));
      } catch {
        break;
      }
    }
  }

  /** Swaps the new output in; the old one becomes the spare. Returns the state to save. */
  commit(files: Map<string, string>): OutputState {
    const { prev } = this.folders;
    const hadOutput = existsSync(this.out);
    if (hadOutput) renameSync(this.out, prev);
    renameSync(this.dir, this.out);
    const current = { id: folderId(this.out)!, files };
    // The old output is a usable spare only when its content is known.
    return this.outKnown && hadOutput ? { current, prev: this.state.current! } : { current };
  }
}
