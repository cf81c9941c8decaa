import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs } from '../helpers/scs.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const EN = 'en/umea-stores-summer-heat-in-old-rock-caverns';
const SV = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
const SV_FILE = 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md';

/** The example newsroom, with the Swedish quote's "säger" moved after the line break too. */
function project(): string {
  const p = exampleProject();
  cleanups.push(p.cleanup);
  const sv = path.join(p.dir, SV_FILE);
  const source = readFileSync(sv, 'utf8');
  const moved = source.replace(
    'vågade hoppas, säger Oskar\nLindahl,',
    'vågade hoppas,\nsäger Oskar Lindahl,',
  );
  expect(moved).not.toBe(source);
  writeFileSync(sv, moved);
  return p.dir;
}

/** The attribution span, opened before the line break (the email's inlined styles left out). */
const attribution = (before: string, words: string) =>
  `${before},<span class="quote__attribution">\n${words}</span></p>`;

describe('quotes whose attribution follows a line break (the real binary, on the example newsroom)', () => {
  it('are checked without a warning, and the page and the email mark up the attribution', () => {
    const dir = project();
    const check = runScs(['check'], { cwd: dir });
    expect(check.stdout + check.stderr).not.toContain('quote-unattributed');
    expect(check.code).toBe(0);

    expect(runScs(['build', '--now', '2026-11-01T12:00'], { cwd: dir }).code).toBe(0);
    const enLine = 'says Oskar Lindahl, Project Manager, Energy and Mobility at Norrsken Urban Lab.';
    const svLine = 'säger Oskar Lindahl, projektledare för energi och mobilitet på Stadslabbet Norrsken.';
    const page = (id: string) =>
      readFileSync(path.join(dir, 'public', id.slice(0, 2), '2026/10/14', id.slice(3), 'index.html'), 'utf8');
    expect(page(EN)).toContain(attribution('than we dared hope', enLine));
    expect(page(SV)).toContain(attribution('än vi vågade hoppas', svLine));

    for (const [id, list, before, words] of [
      [EN, 'news', 'than we dared hope', enLine],
      [SV, 'nyheter', 'än vi vågade hoppas', svLine],
    ] as const) {
      expect(runScs(['email', id, '--now', '2026-10-14T09:30'], { cwd: dir }).code).toBe(0);
      const html = readFileSync(path.join(dir, '.scs/email', `${id.replace('/', '-')}.${list}.html`), 'utf8');
      expect(html.replaceAll(/ style="[^"]*"/g, '')).toContain(attribution(before, words));
    }
  });
});
