import { constants, copyFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
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

export function writeFresh(dir: string, rel: string, data: string | Uint8Array): void {
  fresh(dir, rel, (file) => writeFileSync(file, data, { flag: 'wx' }));
}

export function copyFresh(dir: string, rel: string, source: string): void {
  fresh(dir, rel, (file) => copyFileSync(source, file, constants.COPYFILE_EXCL));
}
