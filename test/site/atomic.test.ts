import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockOutput, stateFiles } from '../../src/site/state.js';
import { BIN, cleanEnv, runScs } from '../helpers/scs.js';
import { build, fixtureProject, inode, listTree, projectConfig, read, workFolder } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const project = () => {
  const p = fixtureProject();
  cleanups.push(p.cleanup);
  return p.dir;
};

function snapshot(out: string): Map<string, string> {
  return new Map(listTree(out).map((f) => [f, `${inode(out, f)}:${read(out, f).length}`]));
}

function sameTrees(a: string, b: string) {
  expect(listTree(a)).toEqual(listTree(b));
  for (const f of listTree(a))
    expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), f).toBe(true);
}

/** Adds `n` plain releases to a project, so a build takes long enough to interrupt. */
function addReleases(dir: string, n: number) {
  mkdirSync(path.join(dir, 'releases/many'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const body = Array.from(
      { length: 12 },
      (_, p) =>
        `Stycke ${p} om hamnen nummer ${i}, med *betoning* och en [länk](https://www.sjobris.example/${i}).`,
    ).join('\n\n');
    writeFileSync(
      path.join(dir, 'releases/many', `r${i}.md`),
      `---\ntitle: Hamnnotis nummer ${i}\ndate: 2024-${month}-${day}\ntype: news\nlang: sv\nslug: hamnnotis-${i}\ntopics: [trafik]\n---\n\n${body}\n`,
    );
  }
}

describe('deterministic builds', () => {
  it('gives byte-identical output for the same input, wherever the project lies, search index included', async () => {
    const a = project();
    const b = project();
    expect((await build(a, { search: true })).ok).toBe(true);
    expect((await build(b, { search: true })).ok).toBe(true);
    sameTrees(path.join(a, 'public'), path.join(b, 'public'));
  });

  it('renders the same on worker threads as in one thread (the real binary)', () => {
    const a = project();
    const b = project();
    addReleases(a, 60);
    addReleases(b, 60);
    const args = ['build', '--now', '2026-04-01T12:00', '--no-search'];
    const one = runScs([...args, '--threads', '1'], { cwd: a });
    const two = runScs([...args, '--threads', '2'], { cwd: b });
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    sameTrees(path.join(a, 'public'), path.join(b, 'public'));
  });
});

describe('atomic builds', () => {
  it('leaves the previous output untouched when a template fails, then recovers', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    const before = snapshot(out);
    const page = path.join(dir, 'templates/site/pages/list.hbs');
    mkdirSync(path.dirname(page), { recursive: true });
    writeFileSync(page, '<h1>{{heading}}</h1>\n{{> partial-that-does-not-exist}}\n');
    const failed = await build(dir);
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics).toHaveLength(1);
    expect(failed.diagnostics[0]).toMatchObject({ code: 'site-template-failed', severity: 'error' });
    expect(failed.diagnostics[0]!.message).toContain('pages/list.hbs');
    expect(snapshot(out)).toEqual(before);
    writeFileSync(page, '<h1>{{heading}}</h1>\n');
    const fixed = await build(dir);
    expect(fixed.ok).toBe(true);
    expect(read(out, 'sv/archive/index.html')).toContain('<h1>Arkiv</h1>');
  });

  it('reports a template that does not parse with its file and line, before touching anything', async () => {
    const dir = project();
    const partial = path.join(dir, 'templates/site/partials/entry.hbs');
    mkdirSync(path.dirname(partial), { recursive: true });
    writeFileSync(partial, '<li>\n{{#if title}}\n{{title}}\n</li>\n');
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({
      code: 'site-template-invalid',
      file: 'templates/site/partials/entry.hbs',
    });
    expect(existsSync(path.join(dir, 'public'))).toBe(false);
  });

  it('leaves the previous output untouched when the build is killed half-way, and the next build is whole', async () => {
    const dir = project();
    addReleases(dir, 400);
    const out = path.join(dir, 'public');
    const args = [BIN, 'build', '--now', '2026-04-01T12:00', '--no-search', '--threads', '1'];
    expect(runScs(args.slice(1), { cwd: dir }).code).toBe(0);
    const before = snapshot(out);
    // Change every page (a new site name), so the build has much to write, and kill it while it writes.
    const config = path.join(dir, 'scs.config.yml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('sv: Hamnverket Sjöbris – Press', 'sv: Avbrutet bygge'),
    );
    const child = spawn(process.execPath, args, { cwd: dir, env: cleanEnv(), stdio: 'ignore' });
    const next = workFolder(dir, 'next');
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 2000; i++) {
      if (existsSync(path.join(next, 'sv/2024')) && readdirSync(path.join(next, 'sv/2024')).length > 3) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(snapshot(out)).toEqual(before);
    expect(read(out, 'sv/index.html')).not.toContain('Avbrutet bygge');
    const again = runScs(args.slice(1), { cwd: dir });
    expect(again.code).toBe(0);
    for (const f of listTree(out).filter((p) => p.startsWith('sv/') && p.endsWith('.html')))
      expect(read(out, f), f).toContain('Avbrutet bygge');
    expect(existsSync(next)).toBe(false);
  });

  it('refuses to replace an output folder holding files it did not write', async () => {
    const dir = project();
    mkdirSync(path.join(dir, 'public'));
    writeFileSync(path.join(dir, 'public', 'my-notes.txt'), 'keep me');
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'out-not-scs' });
    expect(readFileSync(path.join(dir, 'public', 'my-notes.txt'), 'utf8')).toBe('keep me');
  });

  it('waits its turn: a running build holds the lock, a dead one does not', async () => {
    const dir = project();
    const config = projectConfig(dir);
    const files = stateFiles(config, config.site.outDir);
    const held = lockOutput(files.lock);
    expect('release' in held).toBe(true);
    const blocked = await build(dir);
    expect(blocked.ok).toBe(false);
    expect(blocked.diagnostics[0]).toMatchObject({ code: 'site-build-locked' });
    if ('release' in held) held.release();
    // A lock left by a process that no longer exists is taken over.
    writeFileSync(files.lock, '2147483646');
    expect((await build(dir)).ok).toBe(true);
    expect(existsSync(files.lock)).toBe(false);
  });

  it('turns a .scs/ where the lock cannot be made into a diagnostic, not a crash', async () => {
    const dir = project();
    mkdirSync(path.join(dir, '.scs/cache'), { recursive: true });
    writeFileSync(path.join(dir, '.scs/cache/site'), 'not a folder');
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'site-write-failed' });
    expect(result.diagnostics[0]!.message).toMatch(
      /^Cannot write the output \((?:ENOTDIR|EEXIST) on \.scs\/cache\/site/,
    );
  });

  it('turns an unwritable output into a diagnostic, not a crash', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    const result = await build(dir, {}, { outDir: 'not-a-folder/public' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'site-write-failed' });
    expect(result.diagnostics[0]!.message).toMatch(
      /^Cannot write the output \((?:ENOTDIR|EEXIST) on not-a-folder/,
    );
  });
});
