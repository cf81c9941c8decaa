import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exifHasGps } from '../../src/assets/exif.js';
import { imageCacheDir } from '../../src/assets/cache.js';
import { type DeriveResult, deriveImages, heroOptions, imageKey } from '../../src/assets/pipeline.js';
import type { Config } from '../../src/config/types.js';
import type { Release } from '../../src/content/types.js';
import { project, type Project } from '../email/helpers.js';
import { bombPng, gpsJpeg, latitudeBytes, photo } from './images.js';

const RELEASE = 'releases/2026/2026-11-02-bilder.sv.md';
const BAD = 'releases/2026/2026-11-03-trasiga-bilder.sv.md';

function releaseWith(title: string, hero: string, body: string[], extra = ''): string {
  return [
    '---',
    `title: ${title}`,
    'date: 2026-11-02',
    'type: news',
    'lang: sv',
    'image:',
    `  src: ${hero}`,
    '  alt: Ett testfoto av en grön vägg',
    '  focus: [0.2, 0.8]',
    ...(extra ? [extra] : []),
    'contacts: [karin-holmqvist]',
    '---',
    '',
    'Ingressen till testet.',
    '',
    ...body.map((b, i) => `![Bild ${i + 1} i brödtexten](${b})\n`),
  ].join('\n');
}

describe('the image pipeline', () => {
  let p: Project;
  let config: Config;
  let releases: Release[];
  let cold: DeriveResult;
  let source: Buffer;
  const image = (name: string, options = {}) =>
    cold.images.get(imageKey(path.join(p.dir, 'releases/images', name), options));

  beforeAll(async () => {
    p = project();
    source = await gpsJpeg(1800, 1200);
    p.write('releases/images/gps.jpg', source.toString('latin1'));
    writeFileSync(path.join(p.dir, 'releases/images/gps.jpg'), source);
    const files: Record<string, Promise<Buffer>> = {
      'alpha.png': photo(500, 300, 4).png().toBuffer(),
      'deep.png': photo(640, 400).toColourspace('rgb16').png().toBuffer(),
      'cmyk.jpg': photo(900, 600).toColourspace('cmyk').jpeg().toBuffer(),
      'gray.jpg': photo(700, 500).grayscale().jpeg().toBuffer(),
      'small.jpg': photo(300, 200).jpeg().toBuffer(),
      'truncated.jpg': photo(800, 600)
        .jpeg()
        .toBuffer()
        .then((b) => b.subarray(0, b.length >> 1)),
      'corrupt.jpg': Promise.resolve(
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 7)]),
      ),
      'page.jpg': Promise.resolve(Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>')),
      'bomb.png': Promise.resolve(bombPng()),
    };
    for (const [name, bytes] of Object.entries(files))
      writeFileSync(path.join(p.dir, 'releases/images', name), await bytes);
    p.write(
      RELEASE,
      releaseWith('Bilder i alla former', '../images/gps.jpg', [
        '../images/alpha.png',
        '../images/deep.png',
        '../images/cmyk.jpg',
        '../images/gray.jpg',
        '../images/small.jpg',
      ]),
    );
    p.write(
      BAD,
      releaseWith('Trasiga bilder', '../images/truncated.jpg', [
        '../images/corrupt.jpg',
        '../images/page.jpg',
        '../images/bomb.png',
        '../images/small.jpg',
      ]),
    );
    ({ config, releases } = await p.load());
    cold = await deriveImages(config, releases);
  });
  afterAll(() => p?.cleanup());

  it('applies the orientation and makes every size and format, none wider than the original', async () => {
    const hero = releases.find((r) => r.path.endsWith(RELEASE))!.image!;
    const derived = cold.images.get(imageKey(hero.file!, heroOptions(hero)))!;
    expect(derived.info).toMatchObject({ width: 1200, height: 1800, orientation: 6, gps: true });
    expect(derived.variants.map((v) => `${v.format}:${v.width}x${v.height}`)).toEqual(
      ['avif', 'webp', 'jpeg'].flatMap((f) => [`${f}:480x720`, `${f}:800x1200`, `${f}:1200x1800`]),
    );
    expect(derived.og).toMatchObject({ width: 1200, height: 630 });
    expect(derived.variants[0]!.path).toMatch(/^assets\/images\/gps-[0-9a-f]{10}-480\.avif$/);
  });

  it('parses every derived file back: its format and size as planned, and no metadata at all', async () => {
    let checked = 0;
    for (const derived of cold.images.values()) {
      for (const f of [
        ...derived.variants,
        derived.email.x1,
        derived.email.x2,
        derived.og,
        ...derived.thumbs,
      ]) {
        const meta = await sharp(f.file).metadata();
        expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
          format: f.format === 'avif' ? 'heif' : f.format,
          width: f.width,
          height: f.height,
        });
        expect(meta.exif).toBeUndefined();
        expect(meta.orientation).toBeUndefined();
        expect(readFileSync(f.file).length).toBe(f.bytes);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('keeps transparency in PNG, and turns 16-bit, CMYK and grey sources into 8-bit sRGB', async () => {
    const alpha = image('alpha.png')!;
    expect(new Set(alpha.variants.map((v) => v.format))).toEqual(new Set(['avif', 'webp', 'png']));
    expect((await sharp(alpha.variants.at(-1)!.file).metadata()).hasAlpha).toBe(true);
    for (const name of ['deep.png', 'cmyk.jpg', 'gray.jpg']) {
      const jpeg = image(name)!.variants.find((v) => v.format === 'jpeg')!;
      const meta = await sharp(jpeg.file).metadata();
      expect({ name, space: meta.space, depth: meta.depth, channels: meta.channels }).toEqual({
        name,
        space: 'srgb',
        depth: 'uchar',
        channels: 3,
      });
    }
    expect(image('deep.png')!.info).toMatchObject({ bitDepth: 16 });
    expect(image('cmyk.jpg')!.info).toMatchObject({ space: 'cmyk' });
  });

  it('never enlarges a small image for the site or the email', () => {
    const small = image('small.jpg')!;
    expect(small.variants.map((v) => v.width)).toEqual([300, 300, 300]);
    expect([small.email.x1.width, small.email.x2.width]).toEqual([300, 300]);
  });

  it('makes email JPEGs of 600 and 1200 px under 200 KB', () => {
    const hero = releases.find((r) => r.path.endsWith(RELEASE))!.image!;
    const { email } = cold.images.get(imageKey(hero.file!, heroOptions(hero)))!;
    expect([email.x1.width, email.x2.width]).toEqual([600, 1200]);
    for (const f of [email.x1, email.x2]) expect(f.bytes).toBeLessThan(200 * 1024);
  });

  it('publishes the original with its GPS position removed and every other byte of the picture intact', () => {
    const hero = releases.find((r) => r.path.endsWith(RELEASE))!.image!;
    const original = cold.images.get(imageKey(hero.file!, heroOptions(hero)))!.original!;
    expect(original.path).toMatch(/^assets\/images\/gps-[0-9a-f]{10}\.jpg$/);
    const bytes = readFileSync(original.file);
    expect(bytes.length).toBe(source.length);
    for (const le of [true, false]) {
      expect(source.includes(latitudeBytes(le)) || !le).toBe(true);
      expect(bytes.includes(latitudeBytes(le))).toBe(false);
    }
    // The picture itself (from the start of scan) and the rest of the EXIF are as they were.
    const sos = source.indexOf(Buffer.from([0xff, 0xda]));
    expect(bytes.subarray(sos).equals(source.subarray(sos))).toBe(true);
    expect(bytes.includes(Buffer.from('SN-123456'))).toBe(true);
    expect(bytes.includes(Buffer.from('Fotograf Test'))).toBe(true);
  });

  it('reads the stripped original back with its orientation and without GPS', async () => {
    const hero = releases.find((r) => r.path.endsWith(RELEASE))!.image!;
    const original = cold.images.get(imageKey(hero.file!, heroOptions(hero)))!.original!;
    const meta = await sharp(original.file).metadata();
    expect(meta.orientation).toBe(6);
    expect(exifHasGps(meta.exif!.subarray(6))).toBe(false);
    expect(exifHasGps((await sharp(source).metadata()).exif!.subarray(6))).toBe(true);
  });

  it('reports each bad image, naming the release file, the line and the image; the others go on', () => {
    const bad = cold.diagnostics.filter((d) => d.file === BAD).map((d) => [d.code, d.line, d.message]);
    expect(bad).toEqual(
      expect.arrayContaining([
        ['image-corrupt', 7, expect.stringContaining('"../images/truncated.jpg"')],
        ['image-corrupt', expect.any(Number), expect.stringContaining('"../images/corrupt.jpg"')],
        ['image-not-image', expect.any(Number), expect.stringContaining('an HTML page')],
        ['image-too-many-pixels', expect.any(Number), expect.stringContaining('50000×50000')],
      ]),
    );
    expect(bad).toHaveLength(4);
    expect(cold.diagnostics.every((d) => d.hint)).toBe(true);
    expect(cold.diagnostics.filter((d) => d.file !== BAD)).toEqual([]);
    // A good image of the same run was still derived, every file of it in the cache.
    const small = image('small.jpg');
    expect(small?.variants.length).toBeGreaterThan(0);
    for (const f of [...small!.variants, small!.email.x1]) expect(existsSync(f.file), f.file).toBe(true);
    // Nothing half-written: no temporary file, and nothing named after a bad image.
    const cached = readdirSync(imageCacheDir(config));
    expect(cached.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(cached.filter((f) => /^(truncated|corrupt|page|bomb)-/.test(f))).toEqual([]);
  });

  it('does no image work on a warm run, and says the same', async () => {
    const warm = await deriveImages(config, releases);
    expect({ decoded: warm.decoded, encoded: warm.encoded }).toEqual({ decoded: 0, encoded: 0 });
    // The example's two heroes, this test's six good images, and the truncated one (its header looked fine).
    expect(cold.decoded).toBe(9);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect([...warm.images.keys()]).toEqual([...cold.images.keys()]);
    expect(existsSync(path.join(imageCacheDir(config), 'sources.json'))).toBe(true);
  });
});
