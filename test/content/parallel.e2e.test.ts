import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { REPO, runScs, tempDir } from '../helpers/scs.js';

// Over the 600 files from which `scs check` parses on several threads.
const COUNT = 700;
const TEMPLATE = path.join(REPO, 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md');
const name = (i: number) => `2026-09-02-r${String(i).padStart(4, '0')}.sv.md`;

/** The example's config and images, and COUNT releases made from one of its own, a few of them wrong. */
function generated(): { dir: string; cleanup: () => void } {
  const t = tempDir('scs-threads-');
  cpSync(path.join(REPO, 'scs.config.yml'), path.join(t.dir, 'scs.config.yml'));
  cpSync(path.join(REPO, 'releases/images'), path.join(t.dir, 'releases/images'), { recursive: true });
  mkdirSync(path.join(t.dir, 'releases/2026'));
  const text = readFileSync(TEMPLATE, 'utf8');
  for (let i = 0; i < COUNT; i++) {
    let release = text.replace(/^title: .*$/m, `title: Elcykelpoolen växer, del ${i}`);
    // Errors and warnings spread over the whole tree, so that every thread has some to report.
    if (i % 97 === 5) release = release.replace('topics: [mobilitet]', 'topics: [okänt]');
    if (i % 89 === 7)
      release = release.replace(/^title: .*$/m, `title: Del ${i} – ${'lång rubrik '.repeat(12)}`);
    writeFileSync(path.join(t.dir, 'releases/2026', name(i)), release);
  }
  return t;
}

/** `scs check --format json` from a cold start (no release cache). */
function check(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  rmSync(path.join(dir, '.scs'), { recursive: true, force: true });
  const r = runScs(['check', '--format', 'json', ...args], { cwd: dir, env });
  return { code: r.code, stderr: r.stderr, diagnostics: JSON.parse(r.stdout) as Diagnostic[] };
}

describe('scs check on parser threads (the real binary)', () => {
  let project: { dir: string; cleanup: () => void };
  let oneThread: ReturnType<typeof check>;
  beforeAll(() => {
    project = generated();
    oneThread = check(project.dir, ['--threads', '1']);
  });
  afterAll(() => project.cleanup());

  it('reports the same on all cores as on one thread', () => {
    expect(oneThread.code).toBe(1);
    const codes = new Set(oneThread.diagnostics.map((d) => d.code));
    expect(codes).toEqual(new Set(['topic-unknown', 'title-too-long']));
    expect(check(project.dir)).toEqual(oneThread);
    expect(check(project.dir, ['--threads', '3'])).toEqual(oneThread);
  });

  it('finishes the work of a parser thread that dies, and names the file it was reading', () => {
    // The first batch always goes to a thread: its first file is the one it dies on.
    const crashed = check(project.dir, [], { SCS_TEST_WORKER_CRASH: name(0) });
    const failed = crashed.diagnostics.filter((d) => d.code === 'worker-failed');
    expect(failed).toEqual([
      expect.objectContaining({ severity: 'warning', file: `releases/2026/${name(0)}` }),
    ]);
    expect(failed[0]!.message).toContain('done again on the main thread');
    expect({
      ...crashed,
      diagnostics: crashed.diagnostics.filter((d) => d.code !== 'worker-failed'),
    }).toEqual(oneThread);
    // What the cache kept from that run is complete.
    const warm = runScs(['check', '--format', 'json'], { cwd: project.dir });
    expect(JSON.parse(warm.stdout)).toEqual(oneThread.diagnostics);
  });

  it('stops a parser thread that stops answering, names the file it was on, and finishes its work', () => {
    // The thread blocks for ever on the first file; a batch may take 10 s here instead of a minute.
    const hung = check(project.dir, [], {
      SCS_TEST_WORKER_HANG: name(0),
      SCS_TEST_WORKER_TIMEOUT_MS: '10000',
    });
    const failed = hung.diagnostics.filter((d) => d.code === 'worker-failed');
    expect(failed).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        file: `releases/2026/${name(0)}`,
        message: expect.stringContaining('did not answer within 10 s'),
      }),
    );
    expect({
      ...hung,
      diagnostics: hung.diagnostics.filter((d) => d.code !== 'worker-failed'),
    }).toEqual(oneThread);
  });
});

// The library as built (dist/, by `npm run build`): its parser threads run compiled code, which the
// TypeScript sources under vitest have none of.
const DIST = path.join(REPO, 'dist/index.js');
type Library = typeof import('../../src/index.js');

describe('loadReleases on parser threads (the built library, in this process)', () => {
  let project: { dir: string; cleanup: () => void };
  let lib: Library;
  let config: ReturnType<Library['loadConfig']>;
  let oneThread: Awaited<ReturnType<Library['loadReleases']>>;
  beforeAll(async () => {
    project = generated();
    lib = (await import(DIST)) as Library;
    config = lib.loadConfig({ root: project.dir, env: {} });
    oneThread = await lib.loadReleases(config, { cache: false, threads: 1 });
  });
  afterAll(() => project.cleanup());

  it('gives the same releases and diagnostics on several threads as on one', async () => {
    expect(oneThread.releases).toHaveLength(COUNT - 8);
    expect(await lib.loadReleases(config, { cache: false })).toEqual(oneThread);
    expect(await lib.loadReleases(config, { cache: false, threads: 3 })).toEqual(oneThread);
  });

  it('gives them complete when a parser thread dies, with a warning naming its file', async () => {
    // Read by the threads as they start: proof that threads parsed, as well as the crash.
    process.env.SCS_TEST_WORKER_CRASH = name(0);
    try {
      const crashed = await lib.loadReleases(config, { cache: false, threads: 2 });
      const failed = crashed.diagnostics.filter((d) => d.code === 'worker-failed');
      expect(failed.map((d) => d.file)).toEqual([`releases/2026/${name(0)}`]);
      expect({
        ...crashed,
        diagnostics: crashed.diagnostics.filter((d) => d.code !== 'worker-failed'),
      }).toEqual(oneThread);
    } finally {
      delete process.env.SCS_TEST_WORKER_CRASH;
    }
  });
});
