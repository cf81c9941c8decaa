import { existsSync, type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/types.js';

/** The places a preview rebuilds on: releases, the project's templates, and the config file. */
function watchedPlaces(config: Config): { dir: string; recursive: boolean; only?: string }[] {
  return [
    { dir: config.releasesDir, recursive: true },
    { dir: config.templatesDir, recursive: true },
    ...(config.file
      ? [{ dir: path.dirname(config.file), recursive: false, only: path.basename(config.file) }]
      : []),
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
    const keys = new Set<string>();
    for (const wish of wanted) {
      // A folder that does not exist yet (no templates/ so far): watch the nearest one that does, for it
      // to appear. The rebuild that follows calls refresh() again, which then watches the folder itself.
      let place = wish;
      if (!existsSync(wish.dir)) {
        let parent = wish.dir;
        while (!existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
        const child = path.relative(parent, wish.dir).split(path.sep)[0]!;
        place = { dir: parent, recursive: false, only: child };
      }
      const key = `${place.dir}|${place.only ?? ''}`;
      keys.add(key);
      if (this.watchers.has(key)) continue;
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
    for (const [key, w] of this.watchers) {
      if (!keys.has(key)) {
        w.close();
        this.watchers.delete(key);
      }
    }
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
