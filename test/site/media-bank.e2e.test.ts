import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { photo } from '../assets/images.js';
import { runScs } from '../helpers/scs.js';
import { danglingReferences, throwaway } from './helpers.js';

const { project } = throwaway();

const R = 'releases/2026/';
const FERRY_SV = `${R}2026-03-02-elfarjan-borjar-ga-i-maj.sv.md`;
const CHARGING = `${R}2026-02-10-nya-laddplatser-pa-gastkajen.sv.md`;
const SUMMER = `${R}2026-06-01-sommartrafiken-utokas.sv.md`;
const FEES = `${R}2026-03-20-harbour-fees-for-2027.en.md`;
const DREDGING = 'releases/2025/2025-11-20-farleden-muddras-i-vinter.sv.md';

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8')));
const hero = (name: string, alt: string) => `image:\n  src: ../images/${name}\n  alt: ${alt}\n`;
const addHero = (name: string, alt: string) => (text: string) =>
  text.replace(/\n---\n/, `\n${hero(name, alt)}---\n`);

/**
 * The fixture newsroom (two per page) with images in releases the media bank must leave out: a
 * scheduled release's, an embargoed one's and a withdrawn one's; a third Swedish image, in a body, for
 * a second page; and the Swedish ferry's hero not to be downloaded.
 */
async function newsroom(): Promise<string> {
  const dir = project();
  for (const name of ['sommar', 'avgift', 'muddring', 'boj'])
    await photo(400, 300)
      .jpeg()
      .toFile(path.join(dir, 'releases/images', `${name}.jpg`));
  edit(dir, SUMMER, addHero('sommar.jpg', 'Två färjor vid kajen i juli'));
  edit(dir, FEES, addHero('avgift.jpg', 'Guest boats in the marina'));
  edit(dir, DREDGING, (t) =>
    addHero(
      'muddring.jpg',
      'Mudderverket i farleden',
    )(t).replace(/\n---\n/, '\nwithdrawn: 2026-03-25\n---\n'),
  );
  edit(dir, CHARGING, (t) => `${t}\n![En boj i hamnbassängen](../images/boj.jpg)\n`);
  edit(dir, FERRY_SV, (t) => t.replace('  alt: Den nya', '  download: false\n  alt: Den nya'));
  return dir;
}

const build = (dir: string, ...args: string[]) =>
  runScs(['build', '--json', '--now', '2026-04-01T12:00', ...args], { cwd: dir });
const read = (dir: string, rel: string) => readFileSync(path.join(dir, 'public', rel), 'utf8');
/** The captions of a media bank page, in order. */
const captions = (html: string) =>
  [...html.matchAll(/<h2 class="media__caption"[^>]*>([^<]*)</g)].map((m) => m[1]);

describe('the media bank (the real binary)', () => {
  it("lists published releases' images newest first, two to a page, with credit, licence and download; none of a scheduled, embargoed or withdrawn release", async () => {
    const dir = await newsroom();
    const r = build(dir);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);

    const first = read(dir, 'sv/images/index.html');
    const second = read(dir, 'sv/images/page/2/index.html');
    expect([...captions(first), ...captions(second)]).toEqual([
      'Den nya elfärjan vid kajen i Sjöbrisöns hamn en stilla morgon',
      'Laddstolpar längs gästkajen',
      'En boj i hamnbassängen',
    ]);
    expect(first).toContain('<p class="media__meta">Foto: Hamnverket Sjöbris</p>');
    expect(first).toContain('<p class="media__meta">Licens: ');
    expect(second).toContain('Sida 2 av 2');
    // download: false: no link to the original, which is not published; the others link theirs.
    const ferry = first.split('<li class="media__item">')[1]!;
    expect(ferry).not.toContain('download>');
    expect(second).toMatch(
      /<a href="\.\.\/\.\.\/\.\.\/\.\.\/assets\/images\/boj-[0-9a-f]{10}\.jpg" download>Ladda ner högupplöst bild<span class="visually-hidden">: En boj i hamnbassängen<\/span><\/a> \(400 × 300 pixlar, [\d,]+ kB\)/,
    );
    // The English bank: the ferry (downloadable there), not the embargoed fees' image.
    const english = read(dir, 'en/images/index.html');
    expect(captions(english)).toEqual([
      'The new electric ferry at the quay in Sjöbris Island&#x27;s harbour on a calm morning',
    ]);
    for (const html of [first, second, english])
      for (const gone of ['Två färjor', 'Guest boats', 'Mudderverket', 'sommar-', 'avgift-', 'muddring-'])
        expect(html).not.toContain(gone);

    // In the nav and footer of every page, in the sitemap, and every address on it is published.
    const home = read(dir, 'en/index.html');
    expect(home).toContain('<li><a href="images/">Press images</a></li>');
    expect(home).toContain('<li><a href="images/">Press images to download</a></li>');
    const sitemap = read(dir, 'sitemap.xml');
    expect(sitemap).toContain('<loc>https://press.sjobris.example/sv/images/</loc>');
    expect(sitemap).toContain('<loc>https://press.sjobris.example/en/images/</loc>');
    expect(danglingReferences(dir)).toEqual([]);
    // Searched: the release pages and the media bank's three.
    expect(result.search.pages).toBe(result.releases + 3);

    // Previews of the scheduled and embargoed releases still keep their images out of the bank.
    const preview = build(dir, '--future', '--no-search');
    expect(preview.code, preview.stderr).toBe(0);
    expect(read(dir, 'sv/images/page/2/index.html')).not.toContain('Två färjor');
    expect(read(dir, 'en/images/index.html')).not.toContain('Guest boats');
  });
});
