import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs } from '../helpers/scs.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const project = () => {
  const p = exampleProject();
  cleanups.push(p.cleanup);
  return p.dir;
};
const NOW = ['--now', '2026-11-01T12:00'];
const BERGRUM = 'public/sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/index.html';

describe('scs build (the real binary, on the example newsroom)', () => {
  it('builds the archive, reports what it did and when the next release is due', () => {
    const dir = project();
    const r = runScs(['build', ...NOW], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Built 25 pages \(\d+ files\) into public\/ in [\d.]+ s: \d+ written, 0 unchanged, 0 removed\.$/m,
    );
    expect(r.stdout).toMatch(/^Search: 5 pages indexed in [\d.]+ s\.$/m);
    expect(r.stdout).toContain('3 releases published, 2 hidden (drafts, future or embargoed).');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('next due: 2027-01-15T08:00+01:00');
    const page = readFileSync(path.join(dir, BERGRUM), 'utf8');
    expect(page).toContain('<h1 class="release__title">Umeå lagrar sommarvärme i gamla bergrum</h1>');
    expect(page).toContain('href="tel:+4690164531">090-16 45 31</a>');
    // Written "+ 4690-17 72 40" in the release.
    expect(
      readFileSync(
        path.join(
          dir,
          'public/sv/2026/09/02/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret/index.html',
        ),
        'utf8',
      ),
    ).toContain('<a href="tel:+4690177240">090-17 72 40</a>');
    expect(existsSync(path.join(dir, 'public/pagefind/pagefind-ui.js'))).toBe(true);
    // Nothing changed: nothing written.
    const again = runScs(['build', ...NOW], { cwd: dir });
    expect(again.stdout).toMatch(/0 written, \d+ unchanged, 0 removed\./);
    expect(again.stdout).toContain('Search: index unchanged.');
  });

  it('prints JSON for scripts, with the next due time', () => {
    const dir = project();
    const r = runScs(['build', ...NOW, '--json', '--no-search'], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      ok: true,
      outDir: path.join(dir, 'public'),
      pages: 25,
      releases: 3,
      hidden: 2,
      nextDue: '2027-01-15T08:00+01:00',
      search: { enabled: false, pages: 0, reused: false },
      diagnostics: [],
    });
    expect(json.timings.total).toBeGreaterThan(0);
  });

  it('refuses to build when the check finds errors: diagnostics, exit 1, output unchanged', () => {
    const dir = project();
    runScs(['build', ...NOW, '--no-search'], { cwd: dir });
    const before = readFileSync(path.join(dir, BERGRUM), 'utf8');
    writeFileSync(
      path.join(dir, 'releases/2026/trasig.sv.md'),
      '---\ntitle: Trasig\ndate: 2026-02-30\ncontacts: [okand]\n---\n\nText.\n',
    );
    const r = runScs(['build', ...NOW], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'releases/2026/trasig.sv.md:3:7 error The date "2026-02-30" does not exist. [date-impossible]',
    );
    expect(r.stderr).toContain('Build stopped; public/ is unchanged.');
    expect(r.stdout).toBe('');
    expect(readFileSync(path.join(dir, BERGRUM), 'utf8')).toBe(before);
    const json = JSON.parse(runScs(['build', ...NOW, '--json'], { cwd: dir }).stdout);
    expect(json.ok).toBe(false);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('contact-unknown');
  });

  it('takes --out, --base-url, --drafts and --future', () => {
    const dir = project();
    const r = runScs(
      [
        'build',
        ...NOW,
        '--no-search',
        '--out',
        'site',
        '--base-url',
        'https://example.org/press/',
        '--drafts',
        '--future',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 releases published.');
    const page = readFileSync(
      path.join(dir, 'site/sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/index.html'),
      'utf8',
    );
    expect(page).toContain(
      '<link rel="canonical" href="https://example.org/press/sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/">',
    );
    expect(
      existsSync(
        path.join(
          dir,
          'site/en/2026/12/10/winter-cycling-survey-shows-what-keeps-people-on-their-bikes/index.html',
        ),
      ),
    ).toBe(true);
    expect(
      existsSync(
        path.join(
          dir,
          'site/sv/2027/01/15/skelleftea-testar-fossilfria-arbetsmaskiner-pa-byggarbetsplatser/index.html',
        ),
      ),
    ).toBe(true);
    expect(readFileSync(path.join(dir, 'site/404.html'), 'utf8')).toContain('href="/press/sv/"');
    expect(existsSync(path.join(dir, 'public'))).toBe(false);
  });

  it('SCS_VERIFY_CACHE=1 makes again every file the cache skips, and fails naming one that differs', () => {
    const dir = project();
    const env = { SCS_VERIFY_CACHE: '1' };
    expect(runScs(['build', '--no-search', ...NOW], { cwd: dir, env }).code).toBe(0);
    const release = path.join(dir, 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md');
    writeFileSync(release, readFileSync(release, 'utf8').replace('\n---\n', '\n---\n\nEtt nytt stycke.\n'));
    const warm = runScs(['build', '--no-search', ...NOW], { cwd: dir, env });
    expect(warm.stderr).toBe('');
    expect(warm.code).toBe(0);
    expect(warm.stdout).toMatch(/ [1-9]\d* unchanged/);

    // A page in place that its inputs no longer make (what a key missing an input would leave).
    const home = path.join(dir, 'public/sv/index.html');
    writeFileSync(home, readFileSync(home, 'utf8').replace('</body>', '<!-- stale --></body>'));
    const stale = runScs(['build', '--no-search', ...NOW], { cwd: dir, env });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('site-cache-stale');
    expect(stale.stderr).toContain('public/sv/index.html');
    expect(stale.stderr).toContain('hint:');
    expect(stale.stderr).not.toMatch(/\n\s+at /);
    expect(runScs(['build', '--no-search', ...NOW], { cwd: dir }).code).toBe(0);
  });

  it('rejects bad flags with exit code 2 and a hint', () => {
    const dir = project();
    for (const [args, message] of [
      [['--now', 'tomorrow'], '--now "tomorrow" is not a date-time.'],
      [['--base-url', 'ftp://example.org/'], '--base-url "ftp://example.org/" is not an http(s) URL.'],
      [['--threads', '0'], '--threads "0" is not a positive whole number.'],
    ] as const) {
      const r = runScs(['build', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('hint:');
    }
    expect(existsSync(path.join(dir, 'public'))).toBe(false);
  });
});
