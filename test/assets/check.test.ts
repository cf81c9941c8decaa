import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/content/check.js';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { NOW, project, type Project } from '../email/helpers.js';
import { photo } from './images.js';

function release(name: string, hero: string, alt: string): [string, string] {
  return [
    `releases/2026/2026-09-20-${name}.sv.md`,
    [
      '---',
      `title: Bildkontroll ${name}`,
      'date: 2026-09-20',
      'type: news',
      'lang: sv',
      'newsletter: false',
      'image:',
      `  src: ${hero}`,
      `  alt: ${alt}`,
      'contacts: [karin-holmqvist]',
      '---',
      '',
      'Ingressen.',
      '',
    ].join('\n'),
  ];
}

describe('scs check on images', () => {
  let p: Project;
  let found: Diagnostic[];
  beforeAll(async () => {
    p = project();
    const images = path.join(p.dir, 'releases/images');
    writeFileSync(path.join(images, 'smal.jpg'), await photo(800, 500).jpeg().toBuffer());
    // 26 MB: a real JPEG with padding after its end, as some cameras leave.
    const jpeg = await photo(1600, 1000).jpeg().toBuffer();
    writeFileSync(
      path.join(images, 'stor.jpg'),
      Buffer.concat([jpeg, Buffer.alloc(26 * 2 ** 20 - jpeg.length)]),
    );
    // An iPhone photo: its header is enough to tell (the prebuilt sharp has no HEVC decoder).
    const heic = Buffer.alloc(4096);
    heic.write('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 0, 'latin1');
    writeFileSync(path.join(images, 'iphone.heic'), heic);
    for (const [file, text] of [
      release('smal', '../images/smal.jpg', 'En smal bild av en gård'),
      release('stor', '../images/stor.jpg', 'IMG_4711.JPG'),
      release('heic', '../images/iphone.heic', 'Ett foto från en telefon'),
    ])
      p.write(file, text);
    const { config } = await p.load();
    found = (await checkProject(config, { now: NOW })).diagnostics.filter((d) => d.code.startsWith('image-'));
  });
  afterAll(() => p?.cleanup());

  const one = (code: string) => found.filter((d) => d.code === code);

  it('warns about a hero narrower than 1200 px', () => {
    expect(one('image-hero-small')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'releases/2026/2026-09-20-smal.sv.md',
        line: 8,
        message: expect.stringContaining('800 pixels wide: it will look soft on large screens'),
      }),
    ]);
  });

  it('warns about a file over 25 MB and alt text that is a file name', () => {
    expect(one('image-file-large')).toEqual([
      expect.objectContaining({
        file: 'releases/2026/2026-09-20-stor.sv.md',
        message: expect.stringContaining('26 MB'),
      }),
    ]);
    expect(one('image-alt-file-name')).toEqual([
      expect.objectContaining({ file: 'releases/2026/2026-09-20-stor.sv.md', line: 9 }),
    ]);
  });

  it('refuses HEIC with a hint on how to export JPEG', () => {
    expect(one('image-format-unsupported')).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'releases/2026/2026-09-20-heic.sv.md',
        line: 8,
        hint: expect.stringContaining('Most Compatible'),
      }),
    ]);
  });

  it('says nothing about the example newsroom’s own images', () => {
    expect(found.filter((d) => !d.file?.includes('2026-09-20-'))).toEqual([]);
  });
});
