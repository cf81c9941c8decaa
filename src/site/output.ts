import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { makePrivateDir } from '../core/private-dir.js';

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
  makePrivateDir(cacheDir);
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

/**
 * The file scs puts in every output folder it makes, naming the project it was made for. A folder is
 * replaced, and a spare deleted, only when it carries this project's marker.
 */
export const MARKER = '.scs-output';

/**
 * A stable id of the project: a hash of its root's real path. It does not depend on anything in
 * `.scs/`, so deleting the cache does not disown the output.
 */
export function projectId(root: string): string {
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // A root that does not exist yet has no other name.
  }
  return createHash('sha256').update(`scs-project\0${real}`).digest('hex').slice(0, 32);
}

function markerText(project: string): string {
  return `${JSON.stringify({ scs: 'output', project })}\n`;
}

function markerProject(dir: string): string | undefined {
  try {
    const v = JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8')) as { project?: unknown };
    return typeof v.project === 'string' ? v.project : undefined;
  } catch {
    return undefined;
  }
}

/** What is at a path scs wants to replace or delete, and why it may not when it is `foreign`. */
export type Found = { kind: 'none' | 'empty' | 'ours' } | { kind: 'foreign'; why: string };

/**
 * Looks at `dir` without following a symbolic link. It is `ours` when it carries this project's marker,
 * or is the very folder the saved state recorded (`known`: made by a version before markers).
 */
export function inspectFolder(dir: string, project: string, known?: string): Found {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a file on the way, which writing the output will report.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'none' };
    return { kind: 'foreign', why: `cannot be read (${code})` };
  }
  if (st.isSymbolicLink()) return { kind: 'foreign', why: 'is a symbolic link' };
  if (!st.isDirectory()) return { kind: 'foreign', why: 'is a file, not a folder' };
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    return { kind: 'foreign', why: `cannot be read (${(e as NodeJS.ErrnoException).code})` };
  }
  if (entries.length === 0) return { kind: 'empty' };
  const marked = entries.includes(MARKER) ? markerProject(dir) : undefined;
  if (marked === project || (known !== undefined && folderId(dir) === known)) return { kind: 'ours' };
  if (marked !== undefined) return { kind: 'foreign', why: 'was made by scs for another project' };
  return { kind: 'foreign', why: 'holds files scs did not write' };
}

/** A folder scs may not replace or delete; reported as `out-not-scs`. */
export class NotOurs extends Error {
  constructor(
    readonly dir: string,
    readonly why: string,
  ) {
    super(`${dir} ${why}`);
  }
}

/** Deletes a work folder only when it is ours (or empty); throws NotOurs otherwise. */
function removeOurs(dir: string, project: string, known?: string): void {
  const found = inspectFolder(dir, project, known);
  if (found.kind === 'foreign') throw new NotOurs(dir, found.why);
  if (found.kind !== 'none') rmSync(dir, { recursive: true, force: true });
}

/**
 * Moves what is at `out` aside to a free `<out>.before-scs[-N]` next to it (for --force-out): scs never
 * deletes what it did not make. Returns where it went.
 */
export function moveAside(out: string): string {
  for (let n = 1; ; n++) {
    const to = `${out}.before-scs${n === 1 ? '' : `-${n}`}`;
    if (present(to)) continue;
    renameSync(out, to);
    return to;
  }
}

/** Whether anything is at `p`, a dangling symbolic link included. */
function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why an output folder must never be used, or undefined: the output is replaced whole on every
 * build, so it may not be (or contain) the project, its releases, templates or `.scs/`, or the home folder.
 */
export function refusedOutput(config: Config, home = homedir()): string | undefined {
  const out = realish(config.site.outDir);
  const guarded: [string, string][] = [
    [config.root, 'the project folder'],
    [config.releasesDir, 'the releases folder'],
    [config.templatesDir, 'the templates folder'],
    [config.stateDir, 'the state folder .scs/'],
    [home, 'your home folder'],
  ];
  for (const [dir, what] of guarded) {
    const d = realish(dir);
    if (d === out) return `is ${what}`;
    if (d.startsWith(out.endsWith(path.sep) ? out : out + path.sep)) return `contains ${what}`;
  }
  return undefined;
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realish(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realish(parent), path.basename(abs));
  }
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
    private readonly project: string,
  ) {
    const { prev, next } = folders;
    // A leftover of an interrupted build: its content is unknown.
    removeOurs(next, project);
    this.has = new Map();
    if (!clean && state.prev && folderId(prev) === state.prev.id) {
      renameSync(prev, next);
      this.has = new Map(state.prev.files);
    } else removeOurs(prev, project, state.prev?.id);
    mkdirSync(next, { recursive: true });
    writeFileSync(path.join(next, MARKER), markerText(project));
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
    // Checked to be ours before the build; one made by a version before markers gets one now.
    if (hadOutput) writeFileSync(path.join(prev, MARKER), markerText(this.project));
    const current = { id: folderId(this.out)!, files };
    // The old output is a usable spare only when its content is known.
    return this.outKnown && hadOutput ? { current, prev: this.state.current! } : { current };
  }
}
