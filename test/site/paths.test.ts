import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { Links, sectionDir } from '../../src/site/paths.js';
import { build, fixtureProject, projectConfig, read } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const config = (languageBaseUrls: Record<string, string>, baseUrl = 'https://press.example.org/') =>
  ({ languages: ['sv', 'en'], site: { baseUrl, languageBaseUrls } }) as unknown as Config;

describe('the URL scheme', () => {
  it('names every archive section', () => {
    expect(sectionDir({ kind: 'all' })).toBe('archive/');
    expect(sectionDir({ kind: 'all' }, 3)).toBe('archive/page/3/');
    expect(sectionDir({ kind: 'year', year: '2026' }, 2)).toBe('archive/2026/page/2/');
    expect(sectionDir({ kind: 'type', type: 'press-release' })).toBe('archive/press-releases/');
    expect(sectionDir({ kind: 'type', type: 'news' })).toBe('archive/news/');
    expect(sectionDir({ kind: 'topic', topic: 'energi' }, 2)).toBe('topics/energi/page/2/');
  });

  it('makes absolute URLs of output paths with a fragment (a link to a heading of another release)', () => {
    const links = new Links(
      config({ sv: 'https://press.example.org/sv/', en: 'https://press.example.org/en/' }),
    );
    expect(links.absolute('en/2026/10/14/umea-stores-summer-heat-in-old-rock-caverns/#top')).toBe(
      'https://press.example.org/en/2026/10/14/umea-stores-summer-heat-in-old-rock-caverns/#top',
    );
    expect(links.absolute('assets/files/rapport-0123456789.pdf')).toBe(
      'https://press.example.org/assets/files/rapport-0123456789.pdf',
    );
  });

  it('links relatively inside the output, by the shortest path', () => {
    const links = new Links(
      config({ sv: 'https://press.example.org/sv/', en: 'https://press.example.org/en/' }),
    );
    expect(links.href('sv/2026/10/14/x/', 'sv/archive/')).toBe('../../../../archive/');
    expect(links.href('sv/archive/page/2/', 'sv/archive/')).toBe('../../');
    expect(links.href('sv/archive/', 'sv/archive/page/2/')).toBe('page/2/');
    expect(links.href('sv/', 'sv/')).toBe('./');
    expect(links.href('sv/2026/', 'sv/2027/')).toBe('../2027/');
    expect(links.href('', 'sv/')).toBe('sv/');
    expect(links.href('sv/search/', '')).toBe('../../');
    expect(links.href('sv/2026/10/14/x/', 'en/2026/10/14/y/')).toBe('../../../../../en/2026/10/14/y/');
    // 404.html is served at any address: from the site root.
    expect(links.href(null, 'sv/')).toBe('/sv/');
    expect(links.absolute('en/archive/')).toBe('https://press.example.org/en/archive/');
    expect(links.absolute('sitemap.xml')).toBe('https://press.example.org/sitemap.xml');
  });

  it('keeps a site under a path working', () => {
    const links = new Links(
      config(
        { sv: 'https://example.org/press/sv/', en: 'https://example.org/press/en/' },
        'https://example.org/press/',
      ),
    );
    expect(links.href(null, 'assets/site.css')).toBe('/press/assets/site.css');
    expect(links.absolute('sv/')).toBe('https://example.org/press/sv/');
  });

  it('links absolutely across languages published at base URLs of their own', () => {
    const links = new Links(config({ sv: 'https://press.example.se/', en: 'https://newsroom.example.com/' }));
    expect(links.href('sv/archive/', 'sv/2026/01/01/x/')).toBe('../2026/01/01/x/');
    expect(links.href('sv/archive/', 'en/archive/')).toBe('https://newsroom.example.com/archive/');
    expect(links.href('sv/archive/', 'assets/site.css')).toBe('https://press.example.org/assets/site.css');
    expect(links.absolute('sv/2026/01/01/x/')).toBe('https://press.example.se/2026/01/01/x/');
  });
});

describe('pages of a real build', () => {
  it('warns about a missing body image with its line, and still builds', async () => {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    const file = path.join(p.dir, 'releases/2025/2025-11-20-farleden-muddras-i-vinter.sv.md');
    writeFileSync(
      file,
      `${read(p.dir, 'releases/2025/2025-11-20-farleden-muddras-i-vinter.sv.md')}\n![Karta](../images/karta.png)\n`,
    );
    const result = await build(p.dir);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'site-image-missing',
        severity: 'warning',
        file: 'releases/2025/2025-11-20-farleden-muddras-i-vinter.sv.md',
        line: 14,
      }),
    ]);
    expect(read(path.join(p.dir, 'public'), 'sv/2025/11/20/farleden-muddras-i-vinter/index.html')).toContain(
      'src="../images/karta.png"',
    );
  });

  it('puts Open Graph, JSON-LD NewsArticle, canonical and hreflang on release pages', async () => {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    await build(p.dir);
    const html = read(
      path.join(p.dir, 'public'),
      'en/2026/03/02/the-electric-ferry-starts-in-may/index.html',
    );
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta property="og:type" content="article">');
    // The Open Graph image is the pipeline's 1200×630 crop of the hero.
    expect(html).toContain('<meta property="og:image:width" content="1200">');
    expect(html).toContain('<meta property="og:image:height" content="630">');
    expect(html).toContain(
      '<link rel="alternate" hreflang="sv" href="https://press.sjobris.example/sv/2026/03/02/elfarjan-borjar-ga-i-maj/">',
    );
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*)<\/script>/.exec(html)![1]!);
    expect(ld).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'The electric ferry starts in May',
      datePublished: '2026-03-02T10:00+01:00',
      inLanguage: 'en',
      publisher: { '@type': 'Organization', name: 'Sjöbris Harbour' },
    });
    expect(ld.image[0]).toMatch(
      /^https:\/\/press\.sjobris\.example\/assets\/images\/farja-[0-9a-f]{10}-1200x630\.jpg$/,
    );
    const c = projectConfig(p.dir);
    expect(html).toContain(`href="${c.newsletter.endpoint}subscribe?lang&#x3D;en"`);
  });
});
