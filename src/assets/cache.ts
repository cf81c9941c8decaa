import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheFolder, readCacheFile, writeCacheFile } from '../cache/index.js';
import type { Config } from '../config/types.js';

/**
 * `.scs/cache/images/` (through src/cache, the owner of `.scs/cache`): derived files under their public
 * names (plan.ts), and `sources.json` (sources.ts). Every file is written whole or not at all
 * (temporary file, then rename), so a crash never leaves half an image.
 */
export const imageCacheDir = (config: Config) => cacheFolder(config.stateDir, 'images');

export const writeAtomic = writeCacheFile;

/** The cached copy of a derived file (its public path's last part), if it is there. */
export function cachedFile(dir: string, publicPath: string): string | undefined {
  const file = path.join(dir, path.basename(publicPath));
  return existsSync(file) ? file : undefined;
}

export function readJson<T>(file: string): T | undefined {
  return readCacheFile(file, (data) => JSON.parse(data.toString('utf8')) as T);
}
