import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, fixtureProject, read } from './helpers.js';

const FERRY_SV = 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html';
const FERRY_EN = 'en/2026/03/02/the-electric-ferry-starts-in-may/index.html';

let out: string;
let cleanup: () => void;

beforeAll(async () => {
  const project = fixtureProject('basic');
  cleanup = project.cleanup;
  expect((await build(project.dir)).ok).toBe(true);
  out = path.join(project.dir, 'public');
});
afterAll(() => cleanup());

const header = (html: string) => html.slice(html.indexOf('<header'), html.indexOf('</header>'));

describe('what the pages show', () => {
  it('offers one search control in the header: the form, or on the search page (which has none) the link', () => {
    for (const page of ['sv/index.html', FERRY_SV, 'en/archive/index.html']) {
      const h = header(read(out, page));
      expect(h, page).toContain('<form class="site-search"');
      expect(h, page).not.toMatch(/<a href="[^"]*search\/">/);
    }
    const search = header(read(out, 'sv/search/index.html'));
    expect(search).not.toContain('<form');
    expect(search).toContain('<a href="./">Sök</a>');
  });

  it("names the organisation in the page's language everywhere on it", () => {
    const en = read(out, FERRY_EN);
    expect(en).toContain('<h2 id="about-heading">About Sjöbris Harbour</h2>');
    expect(en).toContain('Published by Sjöbris Harbour');
    expect(en).toContain('Harbour Master, Sjöbris Harbour');
    expect(en).toContain('"publisher":{"@type":"Organization","name":"Sjöbris Harbour"');
    expect(en).not.toContain('Hamnverket');
    const sv = read(out, FERRY_SV);
    expect(sv).toContain('<h2 id="about-heading">Om Hamnverket Sjöbris</h2>');
    expect(sv).toContain('hamnkapten, Hamnverket Sjöbris');
    expect(sv).not.toContain('Sjöbris Harbour');
  });

  it('shows phone numbers in the national format, whatever way they were written, linked as E.164', () => {
    // Configured as "+46 31 70 20 44" and "031-70 20 10".
    const html = read(out, FERRY_SV);
    expect(html).toContain('<a href="tel:+4631702044">031-70 20 44</a>');
    expect(html).toContain('<a href="tel:+4631702010">031-70 20 10</a>');
  });

  it('lets contact addresses wrap only after "@" and before a dot', () => {
    const html = read(out, 'sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html');
    expect(html).toContain(
      '<a href="mailto:lena.strand@sjobris.example">lena<wbr>.strand@<wbr>sjobris<wbr>.example</a>',
    );
    expect(html).toContain(
      'maja<wbr>.holm@<wbr>kommunikationsavdelningen<wbr>.sjobrisenergiaktiebolaget<wbr>.example</a>',
    );
  });

  it('indexes for search only the release itself: no header, type and date line or photo credit', () => {
    const html = read(out, FERRY_SV);
    const body = html.indexOf('<article class="release" data-pagefind-body>');
    expect(body).toBeGreaterThan(html.indexOf('</header>'));
    expect(html.match(/data-pagefind-body/g)).toHaveLength(1);
    expect(html).toContain('<p class="release__meta" data-pagefind-ignore>');
    expect(html).toContain('<figcaption data-pagefind-ignore>Foto: Hamnverket Sjöbris</figcaption>');
  });
});
