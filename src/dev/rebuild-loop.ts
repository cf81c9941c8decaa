import path from 'node:path';
import type { Config } from '../config/types.js';
import { ProjectWatcher } from './watcher.js';

/** What one build tells the loop. */
export interface LoopBuild {
  /**
   * The config it used: its releases, templates and config file are watched next. None: it could not be
   * read, and the watch goes on as before.
   */
  config?: Config;
  /** When the next hidden release comes due. */
  nextDue?: Date;
}

export interface RebuildLoopOptions {
  /**
   * `changed`: the files the watcher reported since the last build began; undefined when every file must
   * be looked at (the first build, new folders, a watcher that failed, a verification that found more).
   */
  build: (reason: string, changed?: ReadonlySet<string>) => Promise<LoopBuild>;
  /**
   * After a build that trusted `changed`: whether the files are still as that build found them. False
   * (the watcher missed a change: an overflowing event queue, a file system without events) brings a
   * build that looks at every file.
   */
  verify?: () => boolean;
  /** Wait this long after a change for more changes before rebuilding (an editor saves in steps). */
  debounceMs?: number;
  /** Rebuild when a hidden release comes due (with the real clock; not with a fixed one). */
  followClock: boolean;
  /** A folder the build reads cannot be watched: its changes go unnoticed. */
  onUnwatchable?: (dir: string, code: string) => void;
}

/** setTimeout's longest delay (about 24.8 days); a later due time is reached in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Runs a build, then again after every change to what the archive is built from, and when a hidden
 * release comes due: one build at a time, with the changes made meanwhile coalesced into one more.
 * Shared by `scs preview` and `scs build --watch`.
 */
export class RebuildLoop {
  private running: Promise<void> | undefined;
  private again: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Files the watcher reported since the current build began; undefined: look at every file next time. */
  private changed: Set<string> | undefined;
  private readonly watcher: ProjectWatcher;

  constructor(private readonly options: RebuildLoopOptions) {
    this.watcher = new ProjectWatcher((file) => {
      this.changed?.add(file);
      this.schedule(path.basename(file) || 'change');
    }, options.onUnwatchable);
  }

  /** The first build; watching starts with it. */
  start(): Promise<void> {
    return this.run('start');
  }

  private run(reason: string): Promise<void> {
    if (this.running !== undefined) {
      this.again = reason;
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.once(reason);
        while (this.again !== undefined && !this.closed) {
          const next = this.again;
          this.again = undefined;
          await this.once(next);
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async once(reason: string): Promise<void> {
    const changed = this.changed;
    this.changed = new Set();
    const built = await this.options.build(reason, changed);
    if (this.closed) return;
    // Without a config nothing was looked at; and a folder watched only now may have got files before:
    // either way the next build looks at every file.
    if (!built.config || this.watcher.refresh(built.config)) this.changed = undefined;
    if (changed && this.options.verify && !this.options.verify()) {
      this.changed = undefined;
      this.schedule('verify');
    }
    clearTimeout(this.dueTimer);
    if (built.nextDue && this.options.followClock) this.wakeAt(built.nextDue);
  }

  private wakeAt(due: Date): void {
    const wait = due.getTime() - Date.now();
    this.dueTimer = setTimeout(
      () => (wait > MAX_DELAY ? this.wakeAt(due) : this.schedule('due')),
      Math.max(0, Math.min(wait, MAX_DELAY)),
    );
    // Waiting for a due time alone does not keep the process alive.
    this.dueTimer.unref();
  }

  private schedule(reason: string): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(reason), this.options.debounceMs ?? 50);
  }

  /** Stops watching and waits for a build in progress to finish. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.dueTimer);
    this.watcher.close();
    await this.running;
  }
}
