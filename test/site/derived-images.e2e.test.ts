import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../email/helpers.js';
import { bombPng, gpsJpeg, latitudeBytes } from '../assets/images.js';
import { exampleProject, runScs } from '../helpers/scs.js';
import { danglingReferences, throwaway } from './helpers.js';

const { project } = throwaway();

const FERRY = 'releases/2026/2026-02-10-nya-laddplatser-pa-gastkajen.sv.md';
const HERO = 'releases/2026/2026-03-02-elfarjan-borjar-ga-i-maj.sv.md';
const BASE = 'https://press.sjobris.example/';
const build = (dir: string) =>
  runScs(['build', '--no-search', '--json', '--now', '2026-04-01T12:00'], { cwd: dir });

/** The fixture with a camera JPEG (GPS position, orientation 6) as the Swedish ferry release's hero. */
async function withPhoto(dir: string): Promise<void> {
  writeFileSync(path.join(dir, 'releases/images/hamn.jpg'), await gpsJpeg(1300, 2000));
  const file = path.join(dir, HERO);
  writeFileSync(file, readFileSync(file, 'utf8').replace('../images/farja.png', '../images/hamn.jpg'));
}

describe('scs build publishes the derived images', () => {
  it('publishes every file the newsletter uses, the original without GPS, and does no image work when warm', async () => {
    const dir = project();
    await withPhoto(dir);
    const cold = build(dir);
    expect(cold.code, cold.stderr).toBe(0);
    expect(JSON.parse(cold.stdout).images.encoded).toBeGreaterThan(0);
    const out = path.join(dir, 'public');
    const images = path.join(out, 'assets/images');
    for (const f of readdirSync(images)) expect(statSync(path.join(images, f)).mode & 0o777, f).toBe(0o644);

    const email = runScs(['email', HERO, '--out', 'mejl', '--now', '2026-04-01T12:00'], { cwd: dir });
    expect(email.code, email.stderr).toBe(0);
    const eml = readdirSync(path.join(dir, 'mejl')).find((f) => f.endsWith('.eml'))!;
    const html = (await parse(readFileSync(path.join(dir, 'mejl', eml)))).html as string;
    const urls = [...html.matchAll(/(?:src|srcset)="([^"]+)"/g)]
      .flatMap((m) => m[1]!.split(',').map((c) => c.trim().split(/\s+/)[0]!))
      .filter((u) => u.startsWith(`${BASE}assets/images/hamn-`));
    expect(urls.some((u) => u.endsWith('-600.jpg'))).toBe(true);
    expect(urls.some((u) => u.endsWith('-1200.jpg'))).toBe(true);
    for (const u of urls) expect(statSync(path.join(out, u.slice(BASE.length))).isFile(), u).toBe(true);

    // The page offers the derived files (the photo stands upright: 2000×1300) and shares the 1200×630 crop.
    const page = readFileSync(path.join(out, 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html'), 'utf8');
    const picture = /<picture>[\s\S]*?<\/picture>/.exec(page)![0];
    const set = (ext: string, widths = [480, 800, 1200, 1600]) =>
      widths.map((w) => `[^"]*/hamn-[0-9a-f]{10}-${w}\\.${ext} ${w}w`).join(', ');
    expect(picture).toMatch(
      new RegExp(`<source type="image/avif" srcset="${set('avif', [480, 800, 1200])}" sizes="`),
    );
    expect(picture).toMatch(new RegExp(`<source type="image/webp" srcset="${set('webp')}" sizes="`));
    expect(picture).toMatch(new RegExp(`<img src="[^"]*-800\\.jpg" srcset="${set('jpg')}" sizes="`));
    expect(picture).toContain('width="1600" height="1040" fetchpriority="high"');
    // Under it, the original for journalists: size, pixels and the config's default licence.
    expect(page).toMatch(
      /<a href="[^"]*\/assets\/images\/hamn-[0-9a-f]{10}\.jpg" download>Ladda ner högupplöst bild<\/a> \(2000 × 1300 pixlar, \d+ kB\)\. Licens: /,
    );
    const crop = 'https://press\\.sjobris\\.example/assets/images/hamn-[0-9a-f]{10}-1200x630\\.jpg';
    expect(page).toMatch(new RegExp(`<meta property="og:image" content="${crop}">`));
    expect(page).toMatch(new RegExp(`"image":\\["${crop}"\\]`));

    // The original, as journalists download it: the same name, no position.
    const original = readdirSync(images).find((f) => /^hamn-[0-9a-f]{10}\.jpg$/.test(f))!;
    const bytes = readFileSync(path.join(images, original));
    expect(bytes.includes(latitudeBytes(true)) || bytes.includes(latitudeBytes(false))).toBe(false);

    // Nothing changed: nothing to do. Another release changed: pages again, but no image work.
    const warm = build(dir);
    expect(warm.code, warm.stderr).toBe(0);
    expect(JSON.parse(warm.stdout)).toMatchObject({ written: 0, images: { decoded: 0, encoded: 0 } });
    const ferry = path.join(dir, FERRY);
    writeFileSync(ferry, `${readFileSync(ferry, 'utf8')}\nEtt stycke till om kajen.\n`);
    const again = build(dir);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result.written).toBeGreaterThan(0);
    expect(result.images).toEqual({ decoded: 0, encoded: 0 });

    // Another photo under the same name: the lists and the media bank, which the release's file does not
    // name, show its new thumbnail, and nothing points at the old files.
    const thumb = (rel: string) =>
      /hamn-[0-9a-f]{10}-160x107\.jpg/.exec(readFileSync(path.join(out, rel), 'utf8'))?.[0];
    const before = thumb('sv/index.html');
    expect(before).toMatch(/^hamn-[0-9a-f]{10}-160x107\.jpg$/);
    writeFileSync(path.join(dir, 'releases/images/hamn.jpg'), await gpsJpeg(1400, 2100));
    const swapped = build(dir);
    expect(swapped.code, swapped.stderr).toBe(0);
    for (const rel of [
      'sv/index.html',
      'sv/archive/index.html',
      'sv/topics/trafik/index.html',
      'sv/images/index.html',
    ]) {
      expect(thumb(rel), rel).toMatch(/^hamn-[0-9a-f]{10}-160x107\.jpg$/);
      expect(thumb(rel), rel).not.toBe(before);
    }
    expect(danglingReferences(dir)).toEqual([]);
  });

  it('does not publish the original of a hero marked download: false', async () => {
    const dir = project();
    await withPhoto(dir);
    const file = path.join(dir, HERO);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('  alt: Den nya', '  download: false\n  alt: Den nya'),
    );
    const r = build(dir);
    expect(r.code, r.stderr).toBe(0);
    const images = readdirSync(path.join(dir, 'public/assets/images'));
    expect(images.filter((f) => f.startsWith('hamn-')).length).toBeGreaterThan(0);
    expect(images.filter((f) => /^hamn-[0-9a-f]{10}\.jpg$/.test(f))).toEqual([]);
  });

  it('reports an image that is not one, naming the release, and publishes the other pages', async () => {
    const dir = project();
    const images = path.join(dir, 'releases/images');
    writeFileSync(path.join(images, 'trasig.jpg'), '<!DOCTYPE html><html><body>404</body></html>');
    writeFileSync(path.join(images, 'bomb.png'), bombPng());
    const whole = await gpsJpeg(600, 400);
    writeFileSync(path.join(images, 'avhuggen.jpg'), whole.subarray(0, whole.length >> 1));
    const ferry = path.join(dir, FERRY);
    writeFileSync(
      ferry,
      `${readFileSync(ferry, 'utf8')}\n![Kajen i dimma](../images/trasig.jpg)\n\n` +
        '[![Kajen från ovan](../images/bomb.png)](https://example.org/kajen)\n\n' +
        '<img src="../images/avhuggen.jpg" alt="Kajen i regn">\n',
    );
    const r = build(dir);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout).diagnostics as { code: string; message: string }[];
    const found = diagnostics.filter((d) => d.code === 'image-not-image');
    expect(found).toEqual([expect.objectContaining({ file: FERRY, severity: 'error' })]);
    expect(found[0]!.message).toContain('../images/trasig.jpg');
    expect(diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['image-too-many-pixels', 'image-corrupt']),
    );
    const page = path.join(dir, 'public/sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html');
    expect(statSync(page).isFile()).toBe(true);
    // The files are not published as they are, and their page shows each one's alt text instead.
    const published = readdirSync(path.join(dir, 'public/assets/images'));
    expect(published.filter((f) => /^(trasig|bomb|avhuggen)/.test(f))).toEqual([]);
    const html = readFileSync(
      path.join(dir, 'public/sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html'),
      'utf8',
    );
    expect(html).toContain('<p>Kajen i dimma</p>');
    expect(html).toContain('<a href="https://example.org/kajen">Kajen från ovan</a>');
    expect(html).toContain('Kajen i regn');
    expect(html).not.toMatch(/<img[^>]*(trasig|bomb|avhuggen)/);
    expect(danglingReferences(dir)).toEqual([]);
    // The next build says it again, though nothing is left to make.
    const again = build(dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('"image-not-image"');
  });

  it('leaves no page of the example newsroom pointing at a file it did not publish', () => {
    const { dir, cleanup } = exampleProject();
    try {
      const r = runScs(['build', '--no-search', '--json', '--now', '2026-11-01T12:00'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(danglingReferences(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
