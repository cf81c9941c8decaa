import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs, tempDir } from '../helpers/scs.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const project = () => {
  const p = exampleProject();
  cleanups.push(p.cleanup);
  return p.dir;
};

describe('scs check (the real binary)', () => {
  it('passes on the example newsroom', () => {
    const r = runScs(['check'], { cwd: project() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/No problems in \d+ files\./);
  });

  it('loads neither zod nor the YAML parser when the config and the releases come from the caches', () => {
    const dir = project();
    // Preloaded in every thread: notes, as it exits, which of the two packages it loaded. The bundled CLI
    // requires them as vendor/zod.cjs and vendor/yaml.cjs; zod also marks itself with a global when
    // loaded otherwise (bundled into an ES module, or imported from node_modules).
    const hook = path.join(dir, '.hook.cjs');
    const log = path.join(dir, '.loaded');
    writeFileSync(
      hook,
      `process.on('exit', () => {
        const names = Object.keys(require.cache).map((f) => /[\\\\/](zod|yaml)(\\.cjs$|[\\\\/])/.exec(f)?.[1]);
        if (globalThis.__zod_globalConfig) names.push('zod');
        require('node:fs').appendFileSync(${JSON.stringify(log)}, names.filter(Boolean).join('\\n') + '\\n');
      });`,
    );
    const loaded = () => {
      const r = runScs(['check'], { cwd: dir, env: { NODE_OPTIONS: `--require ${JSON.stringify(hook)}` } });
      expect(r.code).toBe(0);
      const names = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
      rmSync(log);
      return [...names].sort();
    };
    // The first run validates the config, nested deeper than fastYaml reads: proof that the hook sees both.
    expect(loaded()).toEqual(['yaml', 'zod']);
    expect(loaded()).toEqual([]);
  });

  it('reports every problem in every file at once, with a code frame and a summary', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'releases/trasig.md'),
      '---\ntitle: Trasig\ndate: 2026-02-30\ncontacts: [okand]\n---\n\nText.\n',
    );
    writeFileSync(path.join(dir, 'releases/tom.md'), '');
    const r = runScs(['check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'releases/trasig.md:3:7 error The date "2026-02-30" does not exist. [date-impossible]',
    );
    expect(r.stderr).toContain('> 3 | date: 2026-02-30');
    expect(r.stderr).toContain('releases/trasig.md:4:12 error Unknown contact "okand".');
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).toContain('releases/tom.md:1:1 error The release file is empty.');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('3 errors, 0 warnings in 2 files.');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('limits the report to the paths given', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'releases/trasig.md'), '---\ntitle: Trasig\n---\n');
    expect(runScs(['check', 'releases/2026'], { cwd: dir }).code).toBe(0);
    expect(runScs(['check', 'releases/trasig.md'], { cwd: dir }).code).toBe(1);
  });

  it('speaks JSON and GitHub annotations', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'releases/trasig.md'),
      '---\ntitle: Trasig\ndate: 2026-01-10\nlang: fi\n---\n',
    );
    const json = runScs(['check', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        code: 'lang-unknown',
        severity: 'error',
        file: 'releases/trasig.md',
        line: 4,
        column: 7,
      }),
    ]);
    const gh = runScs(['check', '--format', 'github'], { cwd: dir });
    expect(gh.stdout).toMatch(
      /^::error file=releases\/trasig\.md,line=4,col=7,title=lang-unknown::"fi" is not a configured language\./,
    );
  });

  it('fails on warnings only with --strict', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'releases/citat.md'),
      '---\ntitle: Citat\ndate: 2026-01-10\n---\n\nIngress.\n\n– Vem sa det?\n',
    );
    expect(runScs(['check'], { cwd: dir }).code).toBe(0);
    const strict = runScs(['check', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('[quote-unattributed]');
  });

  it('turns hostile files into diagnostics, never a crash', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'releases/stor.md'),
      `---\ntitle: Stor\ndate: 2026-01-10\n---\n\n${'x'.repeat(5 * 1024 * 1024)}\n`,
    );
    writeFileSync(
      path.join(dir, 'releases/binar.md'),
      Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x00, 0x0a]),
    );
    mkdirSync(path.join(dir, 'releases/mapp.md'));
    writeFileSync(path.join(dir, 'releases/mapp.md/inne.txt'), 'x');
    writeFileSync(path.join(dir, 'releases/lista.md'), '---\n- a\n- b\n---\n');
    const r = runScs(['check', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const codes = JSON.parse(r.stdout).map((d: { code: string; file: string }) => `${d.file} ${d.code}`);
    expect(codes).toEqual([
      'releases/binar.md file-encoding',
      'releases/lista.md frontmatter-not-mapping',
      'releases/mapp.md file-is-directory',
      'releases/stor.md file-too-large',
    ]);
    expect(r.stderr).toBe('');
  });

  it('exits 2 on a broken config, naming file, line and column', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'scs.config.yml'),
      'organization:\n  name: X\nsite:\n  baseUrl: nope\n  name: X\n',
    );
    const r = runScs(['check'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scs.config.yml:4:12 error');
    const missing = tempDir();
    cleanups.push(missing.cleanup);
    const m = runScs(['check'], { cwd: missing.dir });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('scs init');
  });

  it('exits 2 on usage errors and prints help and version', () => {
    const dir = project();
    expect(runScs(['check', '--format', 'xml'], { cwd: dir }).code).toBe(2);
    expect(runScs(['nonsense'], { cwd: dir }).code).toBe(2);
    const help = runScs(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('check');
    expect(runScs(['check', '--help'], { cwd: dir }).stdout).toContain('--format');
    expect(runScs(['--version'], { cwd: dir }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('never colours output that is not a terminal', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'releases/trasig.md'), '---\ntitle: Trasig\n---\n');
    const r = runScs(['check'], { cwd: dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r.stderr).not.toContain('\x1b[');
  });
});

describe('scs check on many releases (parser threads and the cache)', () => {
  it('gives the same answer in threads, from the cache and after an edit', () => {
    const dir = project();
    // Enough files for the parser threads, and long leads for a cache big enough (over 4 MB) that later
    // runs scan the tree on a thread of their own; every 97th has an error, every 89th a warning.
    const lead = 'Cykelbanan byggs ut längs älven och får belysning hela vägen. '.repeat(28);
    for (let i = 0; i < 2500; i++) {
      const quote = i % 89 === 0 ? '– Ett citat utan talare.\n' : '– Bra, säger Anna Berg, vd.\n';
      writeFileSync(
        path.join(dir, `releases/massa-${i}.md`),
        `---\ntitle: Nyhet nummer ${i} om cykelbanor\ndate: ${i % 97 === 0 ? '2025-02-30' : '2025-02-14'}\n` +
          `contacts: [karin-holmqvist]\nboilerplate: stadslabbet\ntopics: [mobilitet]\n---\n\nIngress ${i}. ${lead}\n\n${quote}`,
      );
    }
    const check = () => {
      const r = runScs(['check', '--format', 'json'], { cwd: dir });
      return {
        code: r.code,
        diagnostics: JSON.parse(r.stdout) as { code: string; file: string; line: number }[],
      };
    };
    const cold = check();
    expect(cold.code).toBe(1);
    const summary = cold.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`);
    expect(summary.filter((s) => s.startsWith('date-impossible'))).toHaveLength(26);
    expect(summary.filter((s) => s.startsWith('quote-unattributed'))).toHaveLength(29);
    expect(summary).toContain('date-impossible releases/massa-97.md:3');
    expect(summary).toContain('quote-unattributed releases/massa-89.md:11');
    expect(statSync(path.join(dir, '.scs/cache/releases/releases.bin')).size).toBeGreaterThan(
      4 * 1024 * 1024,
    );
    expect(check()).toEqual(cold);

    const fixed = path.join(dir, 'releases/massa-97.md');
    writeFileSync(fixed, readFileSync(fixed, 'utf8').replace('2025-02-30', '2025-02-14'));
    const edited = check();
    expect(edited.diagnostics).toEqual(cold.diagnostics.filter((d) => d.file !== 'releases/massa-97.md'));
  });
});

describe('scs new', () => {
  it('writes a new release from config defaults, prints its path and refuses to overwrite', () => {
    const dir = project();
    const r = runScs(['new', 'Ny cykelbana längs älven', '--now', '2026-11-26T10:00'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('releases/2026/2026-11-26-ny-cykelbana-langs-alven.sv.md');
    const text = readFileSync(path.join(dir, r.stdout.trim()), 'utf8');
    expect(text).toContain('title: "Ny cykelbana längs älven"');
    expect(text).toContain('contacts: [karin-holmqvist]');
    expect(text).toContain('draft: true');
    expect(runScs(['check'], { cwd: dir }).code).toBe(0);
    const again = runScs(['new', 'Ny cykelbana längs älven', '--now', '2026-11-26T10:00'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    const en = runScs(
      ['new', 'New cycle lane', '--lang', 'en', '--type', 'news', '--date', '2026-12-03T08:00'],
      { cwd: dir },
    );
    expect(en.stdout.trim()).toBe('releases/2026/2026-12-03-new-cycle-lane.en.md');
    expect(readFileSync(path.join(dir, en.stdout.trim()), 'utf8')).toContain('date: 2026-12-03T08:00+01:00');
    expect(runScs(['new', 'X', '--lang', 'fi'], { cwd: dir }).code).toBe(2);
  });

  it('reports an unreadable release instead of crashing', () => {
    const dir = project();
    // A dangling link: permissions cannot make a file unreadable when the tests run as root.
    symlinkSync(path.join(dir, 'borta.md'), path.join(dir, 'releases/last.md'));
    const r = runScs(['check', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ code: 'file-unreadable', file: 'releases/last.md' });
  });
});
