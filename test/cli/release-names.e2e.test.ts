import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs } from '../helpers/scs.js';

let cleanup = () => {};
afterEach(() => cleanup());

const SLUG = 'umea-lagrar-sommarvarme-i-gamla-bergrum';
const SV = `sv/${SLUG}`;
const SV_FILE = `releases/2026/2026-10-14-${SLUG}.sv.md`;
const NOW = '2026-12-01T08:00';

describe('a release is named the same way by every command (the real binary)', () => {
  it('lets scs email take an id, a unique slug or a path, as send and status do', () => {
    const project = exampleProject();
    cleanup = project.cleanup;
    const scs = (...args: string[]) => runScs(args, { cwd: project.dir });
    const written = (r: ReturnType<typeof scs>) => {
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { release: string }).release;
    };
    expect(written(scs('email', SV, '--now', NOW, '--json'))).toBe(SV);
    expect(written(scs('email', SLUG, '--now', NOW, '--json'))).toBe(SV);
    expect(written(scs('email', SV_FILE, '--now', NOW, '--json'))).toBe(SV);
    // A path is relative to where scs runs.
    const below = runScs(['email', path.basename(SV_FILE), '--now', NOW, '--json'], {
      cwd: path.join(project.dir, 'releases', '2026'),
    });
    expect(written(below)).toBe(SV);
    // A translation key names both versions: --lang picks one.
    expect(written(scs('email', 'bergrum-2026', '--lang', 'en', '--now', NOW, '--json'))).toBe(
      'en/umea-stores-summer-heat-in-old-rock-caverns',
    );
    const send = scs('send', SLUG, '--dry-run', '--now', NOW);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toContain(`${SV} → nyheter: would start`);
  });

  it('refuses a slug that names several releases, listing them', () => {
    const project = exampleProject();
    cleanup = project.cleanup;
    // An English release that happens to have the Swedish one's slug (and no translationKey).
    const english = readFileSync(
      path.join(project.dir, 'releases', '2026', '2026-12-10-winter-cycling-survey.en.md'),
      'utf8',
    ).replace(/^title: (.*)$/m, `title: $1\nslug: ${SLUG}`);
    writeFileSync(
      path.join(project.dir, 'releases', '2026', '2026-12-10-winter-cycling-survey.en.md'),
      english,
    );
    for (const command of [
      ['email', SLUG],
      ['send', SLUG, '--dry-run'],
    ]) {
      const r = runScs([...command, '--now', NOW], { cwd: project.dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`"${SLUG}" names 2 releases: `);
      expect(r.stderr).toContain(`${SV} (${SV_FILE})`);
      expect(r.stderr).toContain(`en/${SLUG} (releases/2026/2026-12-10-winter-cycling-survey.en.md)`);
      expect(r.stderr).toContain('[release-ambiguous]');
    }
    // The id is never ambiguous.
    expect(runScs(['email', `en/${SLUG}`, '--now', NOW], { cwd: project.dir }).code).toBe(0);
  });
});
