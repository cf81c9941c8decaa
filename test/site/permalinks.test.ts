import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Release } from '../../src/content/types.js';
import {
  formatPermalinks,
  PERMALINKS_FILE,
  parsePermalinks,
  planPermalinks,
  readPermalinks,
  writePermalinks,
} from '../../src/site/permalinks.js';
import { throwaway } from './helpers.js';

const tmp = throwaway();
const NOW = new Date('2026-04-01T10:00:00Z');

/** The fields of a release the permalinks look at. */
function release(file: string, slug: string, more: Partial<Release> = {}): Release {
  return {
    file,
    slug,
    lang: 'sv',
    localDate: '2026-03-02',
    draft: false,
    publishAt: new Date('2026-03-02T08:00:00Z'),
    ...more,
  } as Release;
}

const recorded = (text: string) => parsePermalinks(text).entries;
const exists = (files: string[]) => (f: string) => files.includes(f);

describe('scs.permalinks: reading and writing', () => {
  it('reads addresses and files, keeps the comment lines on top, and writes them back sorted', () => {
    const text =
      '# mine\r\n# second\n/sv/2026/03/02/b/ releases/b.md\n\n/sv/2026/03/02/a/ releases/my file.md\n';
    const parsed = parsePermalinks(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.header).toEqual(['# mine', '# second']);
    expect(parsed.entries).toEqual([
      { url: '/sv/2026/03/02/b/', file: 'releases/b.md', line: 3 },
      { url: '/sv/2026/03/02/a/', file: 'releases/my file.md', line: 5 },
    ]);
    const map = new Map(parsed.entries.map((e) => [e.url, e.file]));
    expect(formatPermalinks(parsed.header, map)).toBe(
      '# mine\n# second\n/sv/2026/03/02/a/ releases/my file.md\n/sv/2026/03/02/b/ releases/b.md\n',
    );
    // A new file gets scs's own header.
    expect(formatPermalinks([], map)).toMatch(/^# Every address the press archive has published/);
  });

  it('writes the file whole and only when the plan changed it', () => {
    const dir = tmp.folder();
    const file = path.join(dir, PERMALINKS_FILE);
    const r = release('releases/a.md', 'a');
    const first = readPermalinks(dir);
    expect(first.text).toBeUndefined();
    const plan = planPermalinks(first.entries, [r], NOW, exists([r.file]));
    expect(plan.changed).toBe(true);
    expect(writePermalinks(first, plan)).toBe(true);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('/sv/2026/03/02/a/ releases/a.md\n');
    expect(readdirSync(dir)).toEqual([PERMALINKS_FILE]);
    const before = statSync(file);
    const again = readPermalinks(dir);
    const same = planPermalinks(again.entries, [r], NOW, exists([r.file]));
    expect(same.changed).toBe(false);
    expect(writePermalinks(again, same)).toBe(false);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(file).ino).toBe(before.ino);
  });

  it('reports a file it cannot read instead of throwing', () => {
    const dir = tmp.folder();
    // A folder where the file should be.
    mkdirSync(path.join(dir, PERMALINKS_FILE));
    const read = readPermalinks(dir);
    expect(read.diagnostics.map((d) => d.code)).toEqual(['permalinks-unreadable']);
  });
});

describe('planning the addresses of a build (pure)', () => {
  it('records a newly published release, and not a draft or one held back', () => {
    const a = release('releases/a.md', 'a');
    const draft = release('releases/d.md', 'd', { draft: true });
    const later = release('releases/l.md', 'l', { publishAt: new Date('2026-05-01T08:00:00Z') });
    const plan = planPermalinks([], [a, draft, later], NOW, exists([]));
    expect([...plan.entries]).toEqual([['/sv/2026/03/02/a/', 'releases/a.md']]);
    expect(plan.unrecorded).toEqual([a]);
    expect(plan.redirects).toEqual([]);
  });

  it('redirects the old address of a release whose slug changed, fresh until the new one is recorded', () => {
    const moved = release('releases/a.md', 'new-title');
    const plan = planPermalinks(
      recorded('/sv/2026/03/02/old-title/ releases/a.md\n'),
      [moved],
      NOW,
      exists([]),
    );
    expect(plan.redirects).toEqual([
      { from: 'sv/2026/03/02/old-title/', release: moved, fresh: true, line: 1 },
    ]);
    expect([...plan.entries.keys()].sort()).toEqual([
      '/sv/2026/03/02/new-title/',
      '/sv/2026/03/02/old-title/',
    ]);
    const next = planPermalinks(recorded(formatPermalinks([], plan.entries)), [moved], NOW, exists([]));
    expect(next.redirects.map((r) => r.fresh)).toEqual([false]);
    expect(next.changed).toBe(false);
  });

  it('follows a file renamed at the same address', () => {
    const r = release('releases/renamed.md', 'a');
    const plan = planPermalinks(
      recorded('/sv/2026/03/02/a/ releases/old-name.md\n'),
      [r],
      NOW,
      exists([r.file]),
    );
    expect([...plan.entries]).toEqual([['/sv/2026/03/02/a/', 'releases/renamed.md']]);
    expect(plan.lost).toEqual([]);
    expect(plan.taken).toEqual([]);
    expect(plan.changed).toBe(true);
  });

  it('refuses an address published for a release that still exists', () => {
    const owner = release('releases/owner.md', 'moved-on');
    const usurper = release('releases/usurper.md', 'a');
    const plan = planPermalinks(
      recorded('/sv/2026/03/02/a/ releases/owner.md\n'),
      [owner, usurper],
      NOW,
      exists([]),
    );
    expect(plan.taken.map((t) => t.release)).toEqual([usurper]);
    expect(plan.entries.get('/sv/2026/03/02/a/')).toBe('releases/owner.md');
    expect(plan.redirects).toEqual([]);
  });

  it('keeps an address whose release is gone or unpublished, and says so', () => {
    const draft = release('releases/d.md', 'd', { draft: true });
    const text =
      '/sv/2026/01/01/gone/ releases/gone.md\n/sv/2026/03/02/d/ releases/d.md\n/sv/2026/01/02/broken/ releases/broken.md\n';
    // broken.md exists but has errors: it answers for itself.
    const plan = planPermalinks(
      recorded(text),
      [draft],
      NOW,
      exists(['releases/d.md', 'releases/broken.md']),
    );
    expect(plan.lost.map((l) => [l.entry.url, l.release?.file])).toEqual([
      ['/sv/2026/01/01/gone/', undefined],
      ['/sv/2026/03/02/d/', 'releases/d.md'],
    ]);
    expect(plan.entries.size).toBe(3);
    expect(plan.changed).toBe(false);
  });

  it('treats a withdrawn release as published: its address shows the notice, old ones redirect there', () => {
    const w = release('releases/w.md', 'now', { withdrawn: {} });
    const plan = planPermalinks(recorded('/sv/2026/03/02/then/ releases/w.md\n'), [w], NOW, exists([]));
    expect(plan.redirects.map((r) => r.from)).toEqual(['sv/2026/03/02/then/']);
    expect(plan.entries.get('/sv/2026/03/02/now/')).toBe('releases/w.md');
  });
});
