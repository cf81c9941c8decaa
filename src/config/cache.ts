import path from 'node:path';
import { cacheFile, cacheKey, readCacheFile, writeCacheFile } from '../cache/index.js';
import type { Config } from './types.js';

/** Entries kept: `scs check` and `scs build --out …` in turn must not push each other out. */
const MAX_ENTRIES = 4;

/** A valid config as loaded, without the secrets (which are never written anywhere). */
export type CachedConfig = Omit<Config, 'env'>;

/**
 * The last valid config, so that a run whose config file did not change skips parsing and validating
 * it (and loading the YAML parser, the schema and the phone number metadata that takes). Stored in
 * `.scs/cache/config.json` under a key made of everything the result depends on.
 */
export class ConfigCache {
  private readonly file: string;
  readonly key: string;

  constructor(root: string, configFile: string, text: string, overrides: unknown) {
    // Read before the config says where the state folder is: always `<root>/.scs` (config/load.ts).
    this.file = cacheFile(path.join(root, '.scs'), 'config', 'config.json');
    // scs's fingerprint is part of every key: any change to the Config shape or its validation gives another.
    this.key = cacheKey([process.version, root, configFile, overrides, text]);
  }

  get(): CachedConfig | undefined {
    return this.read().find((e) => e.key === this.key)?.config;
  }

  /** Keeps the newest entries: one per set of command-line overrides in use (`--out`, `--base-url`). */
  set(config: Config): void {
    const { env: _secrets, ...rest } = config;
    const entries = [{ key: this.key, config: rest }, ...this.read().filter((e) => e.key !== this.key)].slice(
      0,
      MAX_ENTRIES,
    );
    try {
      writeCacheFile(this.file, JSON.stringify({ entries }));
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }

  private read(): { key: string; config: CachedConfig }[] {
    const saved = readCacheFile(
      this.file,
      (data) => JSON.parse(data.toString('utf8')) as { entries?: { key: string; config: CachedConfig }[] },
    );
    return Array.isArray(saved?.entries) ? saved.entries : [];
  }
}
