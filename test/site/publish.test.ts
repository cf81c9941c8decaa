import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localDateTime } from '../../src/core/time.js';
import { selectReleases } from '../../src/site/select.js';
import { checkReleases } from '../../src/content/load.js';
import { build, fixtureProject, listTree, NOW, projectConfig, read } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const project = () => {
  const p = fixtureProject();
  cleanups.push(p.cleanup);
  return p.dir;
};

const DRAFT = 'sv/2026/01/15/hamnfesten-flyttar-till-augusti/';
const FUTURE = 'sv/2026/06/01/sommartrafiken-utokas-med-en-andra-farja/';
const EMBARGOED = 'en/2026/03/20/harbour-fees-for-2027-announced/';
const PUBLISHED = 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/';

/** Every file of the output that mentions a release by its title or its address. */
function mentions(out: string, title: string, address: string): string[] {
  return listTree(out).filter(
    (f) => /\.(?:html|xml)$/.test(f) && (read(out, f).includes(title) || read(out, f).includes(address)),
  );
}

describe('what is published when', () => {
  it('leaves drafts, future-dated and embargoed releases out of pages, archive, feeds and sitemap', async () => {
    const dir = project();
    const result = await build(dir);
    expect(result.ok).toBe(true);
    expect(result.releases).toBe(4);
    expect(result.hidden).toBe(3);
    const out = path.join(dir, 'public');
    expect(existsSync(path.join(out, PUBLISHED, 'index.html'))).toBe(true);
    for (const [page, title] of [
      [DRAFT, 'Hamnfesten flyttar till augusti'],
      [FUTURE, 'Sommartrafiken utökas'],
      [EMBARGOED, 'Harbour fees for 2027'],
    ] as const) {
      expect(existsSync(path.join(out, page))).toBe(false);
      expect(mentions(out, title, page)).toEqual([]);
    }
    // The published one is everywhere it belongs.
    const everywhere = mentions(out, 'Elfärjan börjar gå i maj', PUBLISHED);
    for (const f of [
      'sv/index.html',
      'sv/archive/index.html',
      'sv/archive/2026/index.html',
      'sv/archive/press-releases/index.html',
      'sv/topics/trafik/index.html',
      'sv/feed.xml',
      'sv/atom.xml',
      'sitemap.xml',
    ]) {
      expect(everywhere).toContain(f);
    }
  });

  it('reports when the next hidden release becomes due (not drafts), in the configured time zone', async () => {
    const dir = project();
    const config = projectConfig(dir);
    const result = await build(dir);
    expect(localDateTime(result.nextDue!, config.timeZone)).toBe('2026-04-15T08:00+02:00');
    // After the embargo lifts, the next one is the summer release; after that nothing is due.
    const later = await build(dir, { now: new Date('2026-04-15T06:00:00Z') });
    expect(later.releases).toBe(5);
    expect(localDateTime(later.nextDue!, config.timeZone)).toBe('2026-06-01T07:00+02:00');
    const all = await build(dir, { now: new Date('2026-07-01T00:00:00Z') });
    expect(all.nextDue).toBeUndefined();
    expect(all.releases).toBe(6);
  });

  it('lifts an embargo at the exact minute given by --now', async () => {
    const dir = project();
    const before = await build(dir, { now: new Date('2026-04-15T05:59:00Z') });
    expect(existsSync(path.join(dir, 'public', EMBARGOED))).toBe(false);
    expect(before.ok).toBe(true);
    await build(dir, { now: new Date('2026-04-15T06:00:00Z') });
    expect(existsSync(path.join(dir, 'public', EMBARGOED, 'index.html'))).toBe(true);
    expect(read(path.join(dir, 'public'), 'en/feed.xml')).toContain('Harbour fees for 2027 announced');
  });

  it('shows drafts with --drafts and future or embargoed releases with --future, marked as previews', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir, { drafts: true });
    expect(read(out, `${DRAFT}index.html`)).toContain('Förhandsvisning: utkast som inte publiceras.');
    expect(existsSync(path.join(out, FUTURE))).toBe(false);
    await build(dir, { future: true });
    expect(existsSync(path.join(out, DRAFT))).toBe(false);
    expect(read(out, `${FUTURE}index.html`)).toContain('Förhandsvisning: publiceras 2026-06-01T07:00+02:00.');
    expect(read(out, `${EMBARGOED}index.html`)).toContain('Preview: to be published 2026-04-15T08:00+02:00.');
    expect(read(out, 'sv/feed.xml')).toContain('Sommartrafiken utökas med en andra färja');
    // A published page carries no preview banner.
    expect(read(out, `${PUBLISHED}index.html`)).not.toContain('class="banner"');
  });

  it('needs both flags for a draft dated in the future', async () => {
    const dir = project();
    const config = projectConfig(dir);
    const { releases } = await checkReleases(config);
    const future = releases.find((r) => r.slug === 'sommartrafiken-utokas-med-en-andra-farja')!;
    const draftFuture = { ...future, draft: true };
    const ids = (o: Parameters<typeof selectReleases>[1]) => selectReleases([draftFuture], o).visible.length;
    expect(ids({ now: NOW })).toBe(0);
    expect(ids({ now: NOW, drafts: true })).toBe(0);
    expect(ids({ now: NOW, future: true })).toBe(0);
    expect(ids({ now: NOW, drafts: true, future: true })).toBe(1);
    // A draft is never "due".
    expect(selectReleases([draftFuture], { now: NOW }).nextDue).toBeUndefined();
  });

  it('indexes only the pages it publishes for search', async () => {
    const dir = project();
    const pagesPerLanguage = () => {
      const entry = JSON.parse(read(path.join(dir, 'public'), 'pagefind/pagefind-entry.json')) as {
        languages: Record<string, { page_count: number }>;
      };
      return Object.fromEntries(Object.entries(entry.languages).map(([l, v]) => [l, v.page_count]));
    };
    const result = await build(dir, { search: true });
    expect(result.ok).toBe(true);
    // The release pages, and each language's media bank page.
    expect(result.search.pages).toBe(6);
    expect(pagesPerLanguage()).toEqual({ sv: 4, en: 2 });
    await build(dir, { search: true, drafts: true, future: true });
    expect(pagesPerLanguage()).toEqual({ sv: 6, en: 3 });
  });

  it('refuses to build when the check finds errors, and leaves the output alone', async () => {
    const dir = project();
    await build(dir);
    const before = listTree(path.join(dir, 'public'));
    writeFileSync(
      path.join(dir, 'releases/2026/trasig.md'),
      '---\ntitle: Trasig\ndate: 2026-02-30\n---\n\nText.\n',
    );
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('date-impossible');
    expect(listTree(path.join(dir, 'public'))).toEqual(before);
  });
});
