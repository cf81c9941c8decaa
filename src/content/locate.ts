import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface FilePosition {
  file: string;
  line?: number;
  column?: number;
}

/**
 * Finds where something sits in a release or config file, for diagnostics. The release model keeps
 * only the body's line, so the email checks search for the offending text itself; files are read
 * only when there is something to report.
 */
export class Locator {
  private readonly files = new Map<string, string[] | null>();
  constructor(private readonly root: string) {}

  private lines(abs: string): string[] | null {
    if (!this.files.has(abs)) {
      try {
        this.files.set(abs, readFileSync(abs, 'utf8').split('\n'));
      } catch {
        this.files.set(abs, null);
      }
    }
    return this.files.get(abs)!;
  }

  shown(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/') || abs;
  }

  /** The first occurrence of `needle` (its first line, if it spans several) at or after `fromLine`. */
  find(abs: string, needle: string, fromLine = 1): FilePosition {
    const lines = this.lines(abs);
    const first = needle.split('\n')[0]!.trim();
    if (lines && first) {
      for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
        const col = lines[i]!.indexOf(first);
        if (col >= 0) return { file: this.shown(abs), line: i + 1, column: col + 1 };
      }
    }
    return fromLine > 1 ? { file: this.shown(abs), line: fromLine } : { file: this.shown(abs) };
  }

  /** The line of a top-level frontmatter field (`key:`) of a release file. */
  key(abs: string, key: string): FilePosition {
    const lines = this.lines(abs);
    if (lines && lines[0]?.trim() === '---') {
      const re = new RegExp(`^${key}\\s*:`);
      for (let i = 1; i < lines.length && lines[i]!.trim() !== '---'; i++) {
        if (re.test(lines[i]!)) return { file: this.shown(abs), line: i + 1, column: 1 };
      }
    }
    return { file: this.shown(abs) };
  }
}
