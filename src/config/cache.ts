import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeFingerprint } from '../core/code-fingerprint.js';
import type { Config } from './types.js';
import { makePrivateDir } from '../core/private-dir.js';

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
    this.file = path.join(root, '.scs', 'cache', 'config.json');
    this.key = createHash('sha256')
      .update(
        JSON.stringify([
          // Any change to scs's code (the Config shape, its validation) gives another key.
          codeFingerprint(),
          process.version,
          root,
          configFile,
          overrides,
          text,
        ]),
      )
      .digest('hex');
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
      makePrivateDir(path.dirname(this.file));
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ entries }));
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }

  private read(): { key: string; config: CachedConfig }[] {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as {
        entries?: { key: string; config: CachedConfig }[];
      };
      return Array.isArray(saved.entries) ? saved.entries : [];
    } catch {
      return [];
    }
  }
}
