import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';

/**
 * `.scs/cache/images/`: derived files under their public names (plan.ts), and `sources.json`, what
 * is known of each source (content hash and header) by size and modification time, so that a warm run
 * reads no image. Every file is written whole or not at all (temporary file, then rename).
 * TODO(#17): move onto src/cache/ (the single owner of .scs/cache) once it is on main.
 */
export const imageCacheDir = (config: Config) => path.join(config.stateDir, 'cache', 'images');

/** A file written completely, or not at all: a crash leaves at most a `.tmp` file, never half an image. */
export function writeAtomic(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The cached copy of a derived file (its public path's last part), if it is there. */
export function cachedFile(dir: string, publicPath: string): string | undefined {
  const file = path.join(dir, path.basename(publicPath));
  return existsSync(file) ? file : undefined;
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
