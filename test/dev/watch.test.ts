import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { RebuildLoop } from '../../src/dev/rebuild-loop.js';
import { type WatchEvent, watchSite } from '../../src/dev/watch.js';
import { ProjectWatcher } from '../../src/dev/watcher.js';
import { BIN, cleanEnv } from '../helpers/scs.js';
import { build, fixtureProject, inode, NOW, projectConfig, read } from '../site/helpers.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FERRY_FILE = 'releases/2026/2026-03-02-elfarjan-borjar-ga-i-maj.sv.md';
const FERRY_PAGE = 'public/sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html';
const OTHER_PAGE = 'public/sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html';

function project() {
  const p = fixtureProject();
  cleanups.push(p.cleanup);
  return p.dir;
}

/** Collects events and hands out the next one that matches. */
function events<T>() {
  const seen: T[] = [];
  const waiting: { test: (e: T) => boolean; resolve: (e: T) => void }[] = [];
  return {
    push(e: T) {
      seen.push(e);
      const i = waiting.findIndex((w) => w.test(e));
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(e);
    },
    next(test: (e: T) => boolean = () => true): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such event within 10 s')), 10000);
        waiting.push({
          test,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    seen,
  };
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('ProjectWatcher', () => {
  it('sees a release saved by replacing the file, again and again, and new folders after a refresh', async () => {
    const dir = project();
    const changes = events<string>();
    const watcher = new ProjectWatcher((file) => changes.push(file));
    cleanups.push(() => watcher.close());
    const config = projectConfig(dir);
    watcher.refresh(config);
    const file = path.join(dir, FERRY_FILE);
    // As editors with "safe write" save: a new file renamed over the old one.
    for (const n of [1, 2]) {
      const next = changes.next((f) => f === file);
      writeFileSync(`${file}.tmp`, `${readFileSync(file, 'utf8')}\nTillägg ${n}.\n`);
      renameSync(`${file}.tmp`, file);
      await next;
    }
    const inPlace = changes.next((f) => f === file);
    appendFileSync(file, '\nTillägg i samma fil.\n');
    await inPlace;

    mkdirSync(path.join(dir, 'releases/2027'));
    watcher.refresh(config);
    const later = path.join(dir, 'releases/2027/2027-01-10-nytt.sv.md');
    const created = changes.next((f) => f === later);
    writeFileSync(later, 'x');
    await created;
  });

  it('does not follow the output or .scs/ when they sit inside the releases folder', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'scs.config.yml'),
      read(dir, 'scs.config.yml').replace(/^site:/m, 'releases: .\nsite:'),
    );
    const config = projectConfig(dir);
    expect(config.releasesDir).toBe(dir);
    const changes = events<string>();
    const watcher = new ProjectWatcher((file) => changes.push(file));
    cleanups.push(() => watcher.close());
    mkdirSync(path.join(dir, 'public/sv'), { recursive: true });
    mkdirSync(path.join(dir, '.scs/cache'), { recursive: true });
    watcher.refresh(config);
    writeFileSync(path.join(dir, 'public/sv/index.html'), 'x');
    writeFileSync(path.join(dir, 'public/index.html'), 'x');
    writeFileSync(path.join(dir, '.scs/cache/state.json'), 'x');
    // As a build swaps its output in.
    renameSync(path.join(dir, 'public'), path.join(dir, '.scs/cache/spare'));
    await settle();
    expect(changes.seen).toEqual([]);
    const file = path.join(dir, FERRY_FILE);
    const next = changes.next((f) => f === file);
    appendFileSync(file, '\nTillägg.\n');
    await next;
  });

  it('tells once of a folder that cannot be watched, such as past the system limit', () => {
    const dir = project();
    const told: [string, string][] = [];
    const failing = (() => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    }) as unknown as typeof import('node:fs').watch;
    const watcher = new ProjectWatcher(
      () => {},
      (folder, code) => told.push([folder, code]),
      failing,
    );
    cleanups.push(() => watcher.close());
    const config = projectConfig(dir);
    watcher.refresh(config);
    watcher.refresh(config);
    expect(told).toContainEqual([path.join(dir, 'releases/2026'), 'ENOSPC']);
    expect(new Set(told.map(([folder]) => folder)).size).toBe(told.length);
  });
});

describe('RebuildLoop', () => {
  it('tells a build which files changed, or that it must look at every file', async () => {
    const dir = project();
    const config: Config = projectConfig(dir);
    const builds = events<{ reason: string; changed?: string[] }>();
    let verified = true;
    const loop = new RebuildLoop({
      followClock: false,
      debounceMs: 30,
      verify: () => verified,
      build: async (reason, changed) => {
        builds.push({ reason, ...(changed ? { changed: [...changed] } : {}) });
        return { config };
      },
    });
    cleanups.push(() => loop.close());
    await loop.start();
    const file = path.join(dir, FERRY_FILE);
    // One change, and the build it brings (after the events of the change have all come).
    const change = async (make: () => void, reason: string) => {
      const next = builds.next((b) => b.reason === reason);
      make();
      const built = await next;
      await settle(150);
      return built.changed;
    };
    const edit = () => appendFileSync(file, '\nTillägg.\n');
    // The first build looks at everything, and so does the next: the folders were watched only after it.
    expect(builds.seen[0]).toEqual({ reason: 'start' });
    expect(await change(edit, path.basename(file))).toBeUndefined();
    expect(await change(edit, path.basename(file))).toEqual([file]);
    // A new folder: files may have come into it before it was watched.
    const folder = path.join(dir, 'releases/2027');
    expect(await change(() => mkdirSync(folder), '2027')).toEqual([folder]);
    expect(await change(edit, path.basename(file))).toBeUndefined();
    expect(await change(edit, path.basename(file))).toEqual([file]);
    // Until a verification finds the watcher missed something.
    verified = false;
    const verify = builds.next((b) => b.reason === 'verify');
    await change(edit, path.basename(file));
    expect(await verify).toEqual({ reason: 'verify' });
  });

  it('rebuilds when a hidden release comes due, with the real clock only', async () => {
    const dir = project();
    const config: Config = projectConfig(dir);
    for (const followClock of [true, false]) {
      const builds = events<string>();
      const loop = new RebuildLoop({
        followClock,
        debounceMs: 10,
        build: async (reason) => {
          builds.push(reason);
          return { config, nextDue: new Date(Date.now() + 200) };
        },
      });
      cleanups.push(() => loop.close());
      await loop.start();
      if (followClock) await builds.next((r) => r === 'due');
      else await settle(600);
      await loop.close();
      expect(builds.seen.slice(0, 2)).toEqual(followClock ? ['start', 'due'] : ['start']);
    }
  });
});

describe('watchSite (scs build --watch)', () => {
  it('rebuilds what an edit changes, reports mistakes without touching the output, and recovers', async () => {
    const dir = project();
    const built = events<WatchEvent>();
    const watching = await watchSite({
      loadConfig: () => projectConfig(dir),
      now: NOW,
      search: false,
      debounceMs: 50,
      onBuild: (e) => built.push(e),
    });
    cleanups.push(() => watching.close());
    const start = built.seen[0]!;
    expect(start).toMatchObject({ ok: true, reason: 'start' });
    expect(start.result!.written).toBe(start.result!.files);
    expect(read(dir, FERRY_PAGE)).toContain('Elfärjan börjar gå i maj');

    const file = path.join(dir, FERRY_FILE);
    const original = readFileSync(file, 'utf8');
    const otherPage = inode(dir, OTHER_PAGE);
    let next = built.next();
    writeFileSync(file, `${original}\nEtt nytt stycke om elfärjan.\n`);
    const edited = await next;
    expect(edited).toMatchObject({ ok: true, reason: path.basename(file) });
    // The page and the lists and feeds that show it; not the other releases' pages.
    expect(edited.result!.written).toBeGreaterThan(0);
    expect(edited.result!.written).toBeLessThan(start.result!.files);
    expect(inode(dir, OTHER_PAGE)).toBe(otherPage);
    expect(read(dir, FERRY_PAGE)).toContain('Ett nytt stycke om elfärjan.');

    next = built.next();
    writeFileSync(file, original.replace('type: ', 'type: [oops'));
    const broken = await next;
    expect(broken.ok).toBe(false);
    expect(broken.result).toBeUndefined();
    expect(broken.diagnostics[0]).toMatchObject({ file: FERRY_FILE, severity: 'error' });
    expect(read(dir, FERRY_PAGE)).toContain('Ett nytt stycke om elfärjan.');

    next = built.next();
    writeFileSync(file, original);
    expect(await next).toMatchObject({ ok: true });
    expect(read(dir, FERRY_PAGE)).not.toContain('Ett nytt stycke om elfärjan.');
  });

  it('renders everything again in the first build with clean, and builds on it after', async () => {
    const dir = project();
    await build(dir);
    const built = events<WatchEvent>();
    const watching = await watchSite({
      loadConfig: () => projectConfig(dir),
      now: NOW,
      search: false,
      clean: true,
      debounceMs: 50,
      onBuild: (e) => built.push(e),
    });
    cleanups.push(() => watching.close());
    const start = built.seen[0]!.result!;
    expect(start.written).toBe(start.files);
    const next = built.next();
    appendFileSync(path.join(dir, FERRY_FILE), '\nEtt tillägg.\n');
    const edited = (await next).result!;
    expect(edited.written).toBeGreaterThan(0);
    expect(edited.written).toBeLessThan(start.files);
  });

  it('runs as "scs build --watch --json": a JSON line per build, and stops on Ctrl+C', async () => {
    const watch = watchScs(project(), ['--json']);
    const lines = () =>
      watch
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { reason: string; ok: boolean; written: number; elapsedMs: number });
    await watch.until(() => lines().length >= 1 && watch.stderr().includes('Press Ctrl+C'));
    expect(lines()[0]).toMatchObject({ reason: 'start', ok: true });
    appendFileSync(path.join(watch.dir, FERRY_FILE), '\nEtt tillägg.\n');
    await watch.until(() => lines().length >= 2);
    expect(lines()[1]).toMatchObject({ reason: path.basename(FERRY_FILE), ok: true });
    expect(lines()[1]!.written).toBeGreaterThan(0);
    expect(read(watch.dir, FERRY_PAGE)).toContain('Ett tillägg.');
    expect(await watch.stop()).toBe(0);
  });

  it('runs as "scs build --watch": "Built" for the first build, then one "Rebuilt (<file>)" line per rebuild', async () => {
    const watch = watchScs(project());
    await watch.until(() => watch.stderr().includes('Press Ctrl+C'));
    expect(watch.stdout()).toMatch(/^Built \d+ pages \(\d+ files\) into public\/ in [\d.]+ s: /m);
    appendFileSync(path.join(watch.dir, FERRY_FILE), '\nEtt tillägg.\n');
    await watch.until(() => watch.stdout().split(' into public/').length > 2);
    expect(watch.stdout()).toMatch(
      /^Rebuilt \(2026-03-02-elfarjan-borjar-ga-i-maj\.sv\.md\) into public\/ in [\d.]+ s: [1-9]\d* written, \d+ unchanged, 0 removed\.$/m,
    );
    expect(watch.stdout().match(/^Built /gm)).toHaveLength(1);
    expect(await watch.stop()).toBe(0);
  });
});

/** The real `scs build --watch` in `dir`, its output so far, a wait for a condition, and Ctrl+C. */
function watchScs(dir: string, flags: string[] = []) {
  const child = spawn(
    process.execPath,
    [BIN, 'build', '--watch', '--no-search', '--now', '2026-04-01T12:00', ...flags],
    { cwd: dir, env: cleanEnv() },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  cleanups.push(() => {
    child.kill('SIGINT');
  });
  return {
    dir,
    stdout: () => stdout,
    stderr: () => stderr,
    async until(test: () => boolean) {
      for (let i = 0; i < 400 && !test(); i++) await settle(50);
      expect(test(), `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
    },
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}
