import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';

/** A folder to watch (its entries, not below them). */
interface Place {
  dir: string;
  /** Only this entry of the folder. */
  only?: string;
}

const inside = (dir: string, p: string) =>
  p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * What a build never reads, for `rel` below a watched `dir`: dot-folders and node_modules (the release
 * scan skips them too), and the `skip` folders.
 */
function ignored(dir: string, rel: string, skip: readonly string[]): boolean {
  if (rel.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules')) return true;
  const abs = path.join(dir, rel);
  return skip.some((s) => inside(s, abs));
}

/**
 * One place per folder from `dir` down, leaving out the `skip` folders (releases: "." puts the output and
 * .scs/ inside the releases). Not a recursive watch: on Linux, Node's follows files rather than
 * folders, and loses a file that an editor saved by replacing it.
 */
function watchTree(dir: string, skip: readonly string[]): Place[] {
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !ignored(dir, e.name, skip))
      .map((e) => path.join(dir, e.name));
  } catch {
    // Not there (yet), or gone meanwhile: the next refresh looks again.
  }
  return [{ dir }, ...children.flatMap((child) => watchTree(child, skip))];
}

function folderId(dir: string): string {
  try {
    const st = statSync(dir);
    return `${st.dev}:${st.ino}`;
  } catch {
    return '';
  }
}

/** The places a rebuild follows: releases, the project's templates, and the config file. */
function watchedPlaces(config: Config, skip: readonly string[]): Place[] {
  return [
    ...watchTree(config.releasesDir, skip),
    ...watchTree(config.templatesDir, skip),
    ...(config.file ? [{ dir: path.dirname(config.file), only: path.basename(config.file) }] : []),
  ];
}

/**
 * Calls `onChange` when anything the archive is built from changes, but not for what the build itself
 * writes (the output, `.scs/`). Folders that do not exist yet, or are new, are picked up by refresh(),
 * which is called after every build.
 */
export class ProjectWatcher {
  /** By place: the watcher, and the identity of the folder it watches. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; id: string }>();
  /** Folders that could not be watched, told once each. */
  private readonly failed = new Set<string>();

  /**
   * `onUnwatchable`: a folder that exists cannot be watched (e.g. ENOSPC, the system's limit of watched
   * folders): changes in it would go unnoticed, which the user must know. `watchFolder`: for tests.
   */
  constructor(
    private readonly onChange: (what: string) => void,
    private readonly onUnwatchable?: (dir: string, code: string) => void,
    private readonly watchFolder: typeof watch = watch,
  ) {}

  /** Watches what `config` builds from; true when it began watching a folder it did not watch before. */
  refresh(config: Config): boolean {
    let added = false;
    const skip = [config.site.outDir, config.stateDir];
    const keys = new Set<string>();
    for (const wish of watchedPlaces(config, skip)) {
      // A folder that does not exist yet (no templates/ so far): watch the nearest one that does, for it
      // to appear. The rebuild that follows calls refresh() again, which then watches the folder itself.
      let place = wish;
      if (!existsSync(wish.dir)) {
        let parent = wish.dir;
        while (!existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
        const child = path.relative(parent, wish.dir).split(path.sep)[0]!;
        place = { dir: parent, only: child };
      }
      const key = `${place.dir}|${place.only ?? ''}`;
      keys.add(key);
      const id = folderId(place.dir);
      const known = this.watchers.get(key);
      // A folder removed and made again is another folder: the old watch sees nothing of it.
      if (known?.id === id) continue;
      known?.watcher.close();
      this.watchers.delete(key);
      try {
        const watcher = this.watchFolder(place.dir, (_event, name) => {
          const file = name ? String(name) : '';
          if (place.only && file !== place.only) return;
          if (file && ignored(place.dir, file, skip)) return;
          this.onChange(path.join(place.dir, file));
        });
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(key);
        });
        this.watchers.set(key, { watcher, id });
        this.failed.delete(place.dir);
        added = true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        // Gone between the check and the watch: the next refresh tries again.
        if (code === 'ENOENT' || code === 'ENOTDIR' || this.failed.has(place.dir)) continue;
        this.failed.add(place.dir);
        this.onUnwatchable?.(place.dir, code);
      }
    }
    for (const [key, known] of this.watchers) {
      if (!keys.has(key)) {
        known.watcher.close();
        this.watchers.delete(key);
      }
    }
    return added;
  }

  close(): void {
    for (const known of this.watchers.values()) known.watcher.close();
    this.watchers.clear();
  }
}
