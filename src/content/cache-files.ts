import { statSync } from 'node:fs';
import { cacheFile } from '../cache/index.js';
import type { Config } from '../config/types.js';

/** Where the release cache lives (a module of its own: commands ask before loading the parser). */
export function cacheFiles(config: Config) {
  return {
    file: cacheFile(config.stateDir, 'releases', 'releases.bin'),
    journal: cacheFile(config.stateDir, 'releases', 'releases.journal.bin'),
  };
}

/** The size of the release cache on disk (0: none), a measure of how big the tree was. */
export function parseCacheSize(config: Config): number {
  try {
    return statSync(cacheFiles(config).file).size;
  } catch {
    return 0;
  }
}
