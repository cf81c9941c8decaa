import { chmodSync, constants, copyFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates `rel` below `dir` as a new inode. Output folders share unchanged files through hard links,
 * so a file is never rewritten in place: an existing name is unlinked first.
 */
function fresh(dir: string, rel: string, create: (file: string) => void): void {
  const file = path.join(dir, rel);
  try {
    create(file);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') unlinkSync(file);
    else if (code === 'ENOENT') mkdirSync(path.dirname(file), { recursive: true });
    else throw e;
  }
  create(file);
}

/** Folders this thread made, so that files sharing one do not each try to make it. */
const made = new Set<string>();

/**
 * Writes `rel` below `dir`. In a folder that was empty when the build began (a cold build) most files
 * go into folders that do not exist yet: making the folder first saves a failed open per file.
 */
export function writeFresh(dir: string, rel: string, data: string | Uint8Array, emptyFolder = false): void {
  if (emptyFolder) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    try {
      writeFileSync(file, data, { flag: 'wx' });
      return;
    } catch {
      // A folder removed since, or a file already there: the careful way below.
    }
  }
  fresh(dir, rel, (file) => writeFileSync(file, data, { flag: 'wx' }));
}

/** Copies `source` to `rel` below `dir`, readable by the web server whatever the source's mode (the cache's is 0600). */
export function copyFresh(dir: string, rel: string, source: string): void {
  fresh(dir, rel, (file) => {
    copyFileSync(source, file, constants.COPYFILE_EXCL);
    chmodSync(file, 0o644);
  });
}
