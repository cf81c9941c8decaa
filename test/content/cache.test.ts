import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { readReleaseBody } from '../../src/content/body.js';
import { ParseCache } from '../../src/content/cache.js';
import { checkReleases, type LoadReuse, releasesUnchanged } from '../../src/content/load.js';
import { parseFilesParallel } from '../../src/content/parallel.js';
import { exampleProject } from '../helpers/scs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the release cache', () => {
  it('is shared by runs that differ only in where the archive goes or how it looks', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const cacheFile = path.join(p.dir, '.scs/cache/releases/releases.bin');
    await checkReleases(loadConfig({ root: p.dir, env: {} }));
    const written = statSync(cacheFile).mtimeMs;
    // As `scs build --out dist --base-url …` after `scs check`: nothing is read again, nothing written.
    const other = loadConfig({
      root: p.dir,
      env: {},
      overrides: { outDir: 'dist', baseUrl: 'https://staging.example.org/' },
    });
    expect((await checkReleases(other)).diagnostics).toEqual([]);
    expect(statSync(cacheFile).mtimeMs).toBe(written);
    expect(existsSync(path.join(p.dir, '.scs/cache/releases/releases.journal.bin'))).toBe(false);
  });

  it('reuses unchanged files and never returns a stale result', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    // Bodies are read back from the files: include a BOM, CRLF lines and a derived lead.
    writeFileSync(
      path.join(p.dir, 'releases/crlf.md'),
      '\uFEFF---\r\ntitle: Radslut\r\ndate: 2026-01-10\r\n---\r\n\r\nIngress.\r\n\r\n\r\n  Indraget stycke.\r\n',
    );
    const first = await checkReleases(config);
    expect(readReleaseBody(first.releases.find((r) => r.slug === 'radslut')!)).toBe('  Indraget stycke.\r\n');
    expect(first.diagnostics).toEqual([]);
    expect(existsSync(path.join(p.dir, '.scs/cache/releases/releases.bin'))).toBe(true);
    // Same answer from the cache, Dates and all.
    const again = await checkReleases(config);
    expect(again.releases).toEqual(first.releases);

    // An edited file is read again.
    const file = path.join(p.dir, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
    appendFileSync(file, '\n– Ett nytt citat utan talare.\n');
    expect((await checkReleases(config)).diagnostics.map((d) => d.code)).toEqual(['quote-unattributed']);

    // A referenced image that disappears is noticed although the release itself did not change.
    const image = path.join(p.dir, 'releases/images/elcyklar.jpg');
    renameSync(image, `${image}.bak`);
    expect((await checkReleases(config)).diagnostics.map((d) => d.code)).toContain('image-missing');
    renameSync(`${image}.bak`, image);
    expect((await checkReleases(config)).diagnostics.map((d) => d.code)).not.toContain('image-missing');

    // Another config means other results (here: the topic is no longer known).
    writeFileSync(
      path.join(p.dir, 'scs.config.yml'),
      readFileSync(path.join(p.dir, 'scs.config.yml'), 'utf8').replace(
        '  mobilitet: { sv: Mobilitet, en: Mobility }\n',
        '',
      ),
    );
    const changed = loadConfig({ root: p.dir, env: {} });
    expect((await checkReleases(changed)).diagnostics.map((d) => d.code)).toContain('topic-unknown');
  });

  it('keeps the cache in memory for a process that checks again and again, never stale', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    const reuse: LoadReuse = {};
    const first = await checkReleases(config, { reuse });
    expect(reuse.cache).toBeDefined();
    // Unchanged files give the very same results, not read again from disk or the cache file.
    rmSync(path.join(p.dir, '.scs/cache'), { recursive: true });
    const again = await checkReleases(config, { reuse });
    expect(again.releases).toHaveLength(first.releases.length);
    for (const [i, r] of again.releases.entries()) expect(r).toBe(first.releases[i]);

    // An edit, a new file and a removed one are all seen, in this run and the next.
    const file = path.join(p.dir, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
    appendFileSync(file, '\n– Ett nytt citat utan talare.\n');
    writeFileSync(path.join(p.dir, 'releases/ny.md'), '---\ntitle: Ny\ndate: 2026-01-10\n---\n\nIngress.\n');
    const edited = await checkReleases(config, { reuse });
    expect(edited.diagnostics.map((d) => d.code)).toEqual(['quote-unattributed']);
    expect(edited.releases.map((r) => r.slug)).toContain('ny');
    rmSync(path.join(p.dir, 'releases/ny.md'));
    const after = await checkReleases(config, { reuse });
    expect(after.releases.map((r) => r.slug)).not.toContain('ny');
    expect(after.diagnostics.map((d) => d.code)).toEqual(['quote-unattributed']);

    // Another config does not reuse the results kept for the old one.
    const changed = { ...config, topics: {} };
    expect((await checkReleases(changed, { reuse })).diagnostics.map((d) => d.code)).toContain(
      'topic-unknown',
    );
  });
});

describe('the cache on disk', () => {
  const cacheFiles = (dir: string) => ({
    base: path.join(dir, '.scs/cache/releases/releases.bin'),
    journal: path.join(dir, '.scs/cache/releases/releases.journal.bin'),
  });

  it("takes a watcher's word for which files changed, and tells when that missed one", async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    const reuse: LoadReuse = {};
    await checkReleases(config, { reuse });
    expect(releasesUnchanged(config, reuse)).toBe(true);
    const seen = path.join(p.dir, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
    const missed = path.join(p.dir, 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md');
    appendFileSync(seen, '\n– Ett citat utan talare.\n');
    appendFileSync(missed, '\n– Ett annat citat utan talare.\n');
    const added = path.join(p.dir, 'releases/2026/2026-11-01-ny.sv.md');
    writeFileSync(added, '---\ntitle: Ny\ndate: 2026-11-01\n---\n\nIngress.\n\n– Tyst citat.\n');
    // Told of one edit only: that file is read again, and a new file is found, but the other edit is not
    // looked at...
    reuse.changed = new Set([seen]);
    const hinted = await checkReleases(config, { reuse });
    expect(reuse.changed).toBeUndefined();
    const unattributed = (r: typeof hinted) =>
      r.diagnostics.filter((d) => d.code === 'quote-unattributed').map((d) => path.basename(d.file!));
    expect(unattributed(hinted).sort()).toEqual([path.basename(added), path.basename(seen)].sort());
    // ...which the verification notices, and a check without the hint reads it.
    expect(releasesUnchanged(config, reuse)).toBe(false);
    expect(unattributed(await checkReleases(config, { reuse })).sort()).toEqual(
      [path.basename(added), path.basename(seen), path.basename(missed)].sort(),
    );
    expect(releasesUnchanged(config, reuse)).toBe(true);
    rmSync(added);
    expect(releasesUnchanged(config, reuse)).toBe(false);
  });

  it('writes only a journal for a few changes, and folds it in when it grows', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    for (let i = 0; i < 40; i++) {
      writeFileSync(
        path.join(p.dir, `releases/extra-${i}.md`),
        `---\ntitle: Extra nummer ${i}\ndate: 2025-03-${String((i % 28) + 1).padStart(2, '0')}\n---\n\nIngress ${i}.\n`,
      );
    }
    const config = loadConfig({ root: p.dir, env: {} });
    const files = cacheFiles(p.dir);
    const first = await checkReleases(config);
    expect(first.diagnostics).toEqual([]);
    expect(existsSync(files.base)).toBe(true);
    expect(existsSync(files.journal)).toBe(false);
    const base = readFileSync(files.base);

    // One edit and one removal: the journal records them, the cache itself is not rewritten.
    writeFileSync(
      path.join(p.dir, 'releases/extra-3.md'),
      '---\ntitle: Ändrad\ndate: 2025-03-04\n---\n\nNy.\n',
    );
    rmSync(path.join(p.dir, 'releases/extra-4.md'));
    const second = await checkReleases(config);
    expect(readFileSync(files.base)).toEqual(base);
    expect(existsSync(files.journal)).toBe(true);
    expect(second.releases.map((r) => r.title)).toContain('Ändrad');
    expect(second.releases.some((r) => r.file === 'releases/extra-4.md')).toBe(false);
    // What the cache and journal give back is what reading the files gives.
    const fresh = await checkReleases(config, { cache: false });
    expect(await checkReleases(config)).toEqual(fresh);

    // A journal left beside a newer cache (a run interrupted between its two writes) gives nothing stale.
    const journal = readFileSync(files.journal);
    for (let i = 10; i < 20; i++) appendFileSync(path.join(p.dir, `releases/extra-${i}.md`), '\nMer.\n');
    await checkReleases(config);
    expect(existsSync(files.journal)).toBe(false);
    writeFileSync(files.journal, journal);
    expect(await checkReleases(config)).toEqual(await checkReleases(config, { cache: false }));
  });

  it('starts over from a damaged cache', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    const expected = await checkReleases(config);
    const files = cacheFiles(p.dir);
    writeFileSync(files.base, readFileSync(files.base).subarray(0, 200));
    expect(await checkReleases(config)).toEqual(expected);
  });

  it('ignores results written by other code: no version number to bump by hand', async () => {
    const p = exampleProject();
    cleanup = p.cleanup;
    const config = loadConfig({ root: p.dir, env: {} });
    const file = path.join(p.dir, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
    const { size, mtimeMs } = statSync(file);
    const parsed = await parseFilesParallel(config, [file]);
    expect(parsed.records[0]!.release).toBeDefined();
    new ParseCache(config, 'code-a').save(new Set([file]), parsed);

    // Same config: only the code's fingerprint differs.
    const same = new ParseCache(config, 'code-a');
    expect(same.get(file, size, mtimeMs, existsSync)).toEqual(parsed.records[0]);
    const other = new ParseCache(config, 'code-b');
    expect(other.get(file, size, mtimeMs, existsSync)).toBeUndefined();
    expect(same.isFor(config)).toBe(true);
    expect(other.isFor(config)).toBe(true);
    expect(new ParseCache(config).isFor(config)).toBe(true);
    expect(same.has(file) && !other.has(file)).toBe(true);
  });
});
