import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScs } from '../helpers/scs.js';
import { listTree, throwaway } from './helpers.js';

const { project, folder } = throwaway();

const RELEASE = 'releases/2026/2026-02-10-nya-laddplatser-pa-gastkajen.sv.md';
const PAGE = 'public/sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html';
const build = (dir: string) => runScs(['build', '--no-search', '--now', '2026-04-01T12:00'], { cwd: dir });

/** A file outside the project that must never be published. */
function secret(): string {
  const file = path.join(folder('scs-secret-'), 'secret.png');
  writeFileSync(file, 'TOP SECRET: not an image');
  return file;
}

/** Every file of the output holding `text`. */
function outputsWith(dir: string, text: string): string[] {
  const out = path.join(dir, 'public');
  return listTree(out).filter((f) => readFileSync(path.join(out, f), 'latin1').includes(text));
}

describe('images come from the project', () => {
  it('refuses a body image that leads out of the project through a symbolic link, not one that stays in', () => {
    const dir = project();
    symlinkSync(secret(), path.join(dir, 'releases/images/kajen.png'));
    symlinkSync('farja.png', path.join(dir, 'releases/images/alias.png'));
    const file = path.join(dir, RELEASE);
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}\n![Färjan](../images/alias.png)\n\n![Kajen](../images/kajen.png)\n`);
    const check = runScs(['check', '--format', 'json'], { cwd: dir });
    expect(check.code).toBe(1);
    const found = JSON.parse(check.stdout).filter((d: { severity: string }) => d.severity === 'error');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'image-outside-project', file: RELEASE });
    expect(found[0].message).toContain('../images/kajen.png');
    expect(build(dir).code).toBe(1);
    // Without it the build publishes the other, which stays in the project.
    writeFileSync(file, `${before}\n![Färjan](../images/alias.png)\n`);
    const r = build(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, PAGE), 'utf8')).toMatch(
      // A derived copy (assets/), as for any raster image.
      /<img [^>]*src="[^"]*assets\/images\/alias-[\w-]+\.jpg"/,
    );
    expect(outputsWith(dir, 'TOP SECRET')).toEqual([]);
  });

  it('refuses a hero image that leads out of the project through a symbolic link in its path', () => {
    const dir = project();
    const outside = path.dirname(secret());
    symlinkSync(outside, path.join(dir, 'releases/bilder'));
    const file = path.join(dir, RELEASE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^title:/m,
        'image:\n  src: ../bilder/secret.png\n  alt: Kajen\ntitle:',
      ),
    );
    const check = runScs(['check', '--format', 'json'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('"image-outside-project"');
  });
});

const HOSTILE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [ <!ENTITY x "y"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert('onload')">
  <script>alert('script')</script>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <use href="http://evil.example/sprite.svg#a"/>
  <use xlink:href="#g"/>
  <a xlink:href="javascript:alert('link')"><rect width="5" height="5" fill="url(#g)" onclick="alert('click')"/></a>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert('img')"/></div></foreignObject>
  <image href="https://evil.example/pixel.png"/>
  <rect width="1" height="1" style="fill:url(https://evil.example/a)" fill="url(https://evil.example/b#c)"/>
  <set attributeName="href" to="javascript:alert('set')"/>
  <path d="M0 0L10 10" stroke="red"/>
</svg>
`;

describe('SVG images', () => {
  it('are published without scripts, event handlers or references outside the file', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'releases/images/karta.svg'), HOSTILE_SVG);
    appendFileSync(path.join(dir, RELEASE), '\n![Karta över kajen](../images/karta.svg)\n');
    const r = build(dir);
    expect(r.code, r.stderr).toBe(0);
    const [copy, ...more] = listTree(path.join(dir, 'public')).filter((f) => f.endsWith('.svg'));
    expect(more).toEqual([]);
    const svg = readFileSync(path.join(dir, 'public', copy!), 'utf8');
    for (const bad of ['<script', 'alert', 'onload', 'onclick', 'onerror', 'evil.example', 'javascript:']) {
      expect(svg, bad).not.toContain(bad);
    }
    for (const bad of ['foreignObject', '<image', '<set', '<a ', 'style=', 'ENTITY'])
      expect(svg, bad).not.toContain(bad);
    // The drawing itself, and its references inside the file, are kept.
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<path d="M0 0L10 10" stroke="red"');
    expect(svg).toContain('xlink:href="#g"');
    expect(svg).toContain('fill="url(#g)"');
    expect(outputsWith(dir, 'evil.example')).toEqual([]);
  });
});
