import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER, projectId } from '../../src/site/output.js';
import { type RunResult, runScs } from '../helpers/scs.js';
import { throwaway, workFolder } from './helpers.js';

const { project, folder } = throwaway();

const build = (dir: string, ...args: string[]) =>
  runScs(['build', '--no-search', '--now', '2026-04-01T12:00', ...args], { cwd: dir });

/**
 * Every entry below `dir` with its inode and mode, and a file's size, time and bytes: equal only when
 * nothing changed.
 * `.scs/` (the check's and the config's caches) is left out when `skipState`.
 */
function snapshot(dir: string, skipState = false): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (skipState && p === path.join(dir, '.scs')) return;
    const st = lstatSync(p);
    // A folder's own time changes with its entries, which are listed.
    const file = st.isFile() ? `${st.size} ${st.mtimeMs} ${readFileSync(p).toString('base64')}` : '';
    out.push(`${path.relative(dir, p)} ${st.ino} ${st.mode} ${file}`);
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

function expectRefused(r: RunResult, code: string, exit: number, text: string) {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stderr).toContain(`[${code}]`);
  expect(r.stderr).toContain(text);
  // A message for a person, not a crash.
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A folder shaped like a built site, but the user's own. */
function foreignSite(dir: string, name: string): string {
  const out = path.join(dir, name);
  mkdirSync(path.join(out, 'notes'), { recursive: true });
  writeFileSync(path.join(out, 'robots.txt'), 'User-agent: *\n');
  writeFileSync(path.join(out, 'sitemap.xml'), '<urlset/>\n');
  writeFileSync(path.join(out, 'index.html'), '<p>my own page</p>\n');
  writeFileSync(path.join(out, 'notes', 'plan.txt'), 'keep me\n');
  return out;
}

describe('an output folder scs did not make', () => {
  it('is refused and left byte for byte as it was, even when it looks like a built site', () => {
    const dir = project();
    const out = foreignSite(dir, 'public');
    const before = snapshot(out);
    expectRefused(build(dir), 'out-not-scs', 1, 'The output folder public holds files scs did not write');
    expect(snapshot(out)).toEqual(before);
    // Nothing was moved into the cache either.
    expect(existsSync(workFolder(dir, 'prev'))).toBe(false);
  });

  it('is refused when it is a file: --out NOTES.md leaves the file alone', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'NOTES.md'), '# My notes\n');
    const before = snapshot(path.join(dir, 'NOTES.md'));
    expectRefused(build(dir, '--out', 'NOTES.md'), 'out-not-scs', 1, 'NOTES.md is a file, not a folder');
    expect(snapshot(path.join(dir, 'NOTES.md'))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['.scs', 'NOTES.md', 'releases', 'scs.config.yml']);
  });

  it('is refused when scs made it for another project', () => {
    const dir = project();
    const other = project();
    expect(build(other).code).toBe(0);
    renameSync(path.join(other, 'public'), path.join(dir, 'public'));
    const before = snapshot(path.join(dir, 'public'));
    expectRefused(build(dir), 'out-not-scs', 1, 'was made by scs for another project');
    expect(snapshot(path.join(dir, 'public'))).toEqual(before);
  });

  it('is taken over with --force-out, which moves it aside whole instead of deleting it', () => {
    const dir = project();
    const out = foreignSite(dir, 'public');
    const before = snapshot(out);
    const r = build(dir, '--force-out');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--force-out: public was moved to public.before-scs. [out-moved-aside]');
    expect(snapshot(path.join(dir, 'public.before-scs'))).toEqual(before);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Hamnverket');
    // A second take-over keeps the first one's folder.
    rmSync(out, { recursive: true });
    writeFileSync(out, 'a file now');
    expect(build(dir, '--force-out').code).toBe(0);
    expect(readFileSync(path.join(dir, 'public.before-scs-2'), 'utf8')).toBe('a file now');
    expect(snapshot(path.join(dir, 'public.before-scs'))).toEqual(before);
  });

  it('may be an empty folder, which then carries the marker', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'site'));
    const r = build(dir, '--out', 'site');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'site', 'index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'site', MARKER))).toBe(true);
  });
});

describe('the marker', () => {
  it('is in every output, names the project, and lets a later build replace the folder', () => {
    const dir = project();
    expect(build(dir).code).toBe(0);
    const marker = path.join(dir, 'public', MARKER);
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({ scs: 'output', project: projectId(dir) });
    // Without the build state (.scs/ deleted) the marker alone says whose the folder is.
    rmSync(path.join(dir, '.scs'), { recursive: true });
    const again = build(dir, '--clean');
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    // An output of a version before markers is known by the state it left.
    rmSync(marker);
    expect(build(dir, '--clean').code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    // ... and so is the spare it becomes, which the next builds replace.
    for (let i = 0; i < 2; i++) {
      const r = build(dir, '--clean');
      expect(r.code, r.stderr).toBe(0);
    }
  });
});

describe('the spare of the last swap', () => {
  it('is deleted only when it carries the marker', () => {
    const dir = project();
    expect(build(dir).code).toBe(0);
    expect(build(dir, '--clean').code).toBe(0);
    const spare = workFolder(dir, 'prev');
    expect(existsSync(path.join(spare, MARKER))).toBe(true);
    // Something else now lies where the spare was.
    rmSync(spare, { recursive: true });
    foreignSite(path.dirname(spare), path.basename(spare));
    const before = snapshot(spare);
    expectRefused(build(dir, '--clean'), 'out-not-scs', 1, "The output's spare folder");
    expect(snapshot(spare)).toEqual(before);
    // Its own spare is used, and replaced, as before.
    rmSync(spare, { recursive: true });
    expect(build(dir, '--clean').code).toBe(0);
    expect(build(dir, '--clean').code).toBe(0);
    expect(existsSync(path.join(spare, MARKER))).toBe(true);
  });
});

describe('folders that are never an output', () => {
  const cases: [string, (dir: string, home: string) => string, string][] = [
    ['the project folder', () => '.', 'is the project folder'],
    ['the releases folder', () => 'releases', 'is the releases folder'],
    ['the templates folder', () => 'templates', 'is the templates folder'],
    ['.scs/', () => '.scs', 'is the state folder .scs/'],
    ['the home folder', (_dir, home) => home, 'is your home folder'],
    ['/', () => '/', 'contains the project folder'],
    ['a folder above the project', () => '..', 'contains the project folder'],
  ];
  for (const [name, out, text] of cases) {
    it(`refuses ${name} before touching anything`, () => {
      const dir = project();
      mkdirSync(path.join(dir, 'templates/site'), { recursive: true });
      const home = folder('scs-home-');
      writeFileSync(path.join(home, '.profile'), 'export EDITOR=vi\n');
      const before = [snapshot(dir, true), snapshot(home)];
      const r = runScs(['build', '--no-search', '--out', out(dir, home)], {
        cwd: dir,
        env: { HOME: home },
      });
      expectRefused(r, 'out-refused', 2, text);
      expect([snapshot(dir, true), snapshot(home)]).toEqual(before);
      expect(existsSync(path.join(dir, '.scs', MARKER))).toBe(false);
    });
  }
});

describe('.scs/', () => {
  it('is created readable by its owner only', () => {
    const dir = project();
    expect(build(dir).code).toBe(0);
    expect(statSync(path.join(dir, '.scs')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, '.scs', 'cache')).mode & 0o777).toBe(0o700);
  });

  it('is created private by the check alone too', () => {
    const dir = project();
    const r = runScs(['check'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(path.join(dir, '.scs')).mode & 0o777).toBe(0o700);
  });
});
