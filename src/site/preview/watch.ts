import { existsSync, type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';

/** The places a preview rebuilds on: releases, the project's templates, and the config file. */
function watchedPlaces(config: Config): { dir: string; recursive: boolean; only?: string }[] {
  return [
    { dir: config.releasesDir, recursive: true },
    { dir: config.templatesDir, recursive: true },
    ...(config.file ? [{ dir: path.dirname(config.file), recursive: false, only: path.basename(config.file) }] : []),
  ];
}

/**
 * Calls `onChange` when anything the archive is built from changes. Folders that do not exist yet are
 * picked up by refresh(), which the preview calls after every build.
 */
export class ProjectWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(private readonly onChange: (what: string) => void) {}

  refresh(config: Config): void {
    const wanted = watchedPlaces(config);
    const keys = new Set(wanted.map((w) => `${w.dir}|${w.only ?? ''}`));
    for (const [key, w] of this.watchers) {
      if (!keys.has(key)) {
        w.close();
        this.watchers.delete(key);
      }
    }
    for (const place of wanted) {
      const key = `${place.dir}|${place.only ?? ''}`;
      if (this.watchers.has(key) || !existsSync(place.dir)) continue;
      try {
        const w = watch(place.dir, { recursive: place.recursive }, (_event, name) => {
          const file = name ? String(name) : '';
          if (place.only && file !== place.only) return;
          this.onChange(path.join(place.dir, file));
        });
        w.on('error', () => {
          w.close();
          this.watchers.delete(key);
        });
        this.watchers.set(key, w);
      } catch {
        // Gone between the check and the watch: the next refresh tries again.
      }
    }
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
