import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/scs.js';
import { build, changed, fixtureProject, inode, inodes, listTree, read, workFolder } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const project = () => {
  const p = fixtureProject();
  cleanups.push(p.cleanup);
  return p.dir;
};

const EDITED = 'releases/2026/2026-02-10-nya-laddplatser-pa-gastkajen.sv.md';
const EDITED_PAGE = 'sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html';

/** Edits the EDITED release: `from` becomes `to`. */
function editRelease(dir: string, from: string, to: string) {
  const file = path.join(dir, EDITED);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

/** Declares a topic no release has yet, `hamnar`, in the config file. */
function declareTopicHamnar(config: string) {
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      '  miljo: { sv: Miljö, en: Environment }\n',
      '  miljo: { sv: Miljö, en: Environment }\n  hamnar: { sv: Hamnar, en: Harbours }\n',
    ),
  );
}

/** The incremental output must equal a build from scratch of the same project, byte for byte. */
async function expectSameAsCleanBuild(dir: string, options: Parameters<typeof build>[1] = {}) {
  const fresh = tempDir('scs-site-fresh-');
  cleanups.push(fresh.cleanup);
  for (const entry of ['scs.config.yml', 'releases', 'templates']) {
    if (existsSync(path.join(dir, entry)))
      cpSync(path.join(dir, entry), path.join(fresh.dir, entry), { recursive: true });
  }
  const r = await build(fresh.dir, options);
  expect(r.ok).toBe(true);
  const a = path.join(dir, 'public');
  const b = path.join(fresh.dir, 'public');
  expect(listTree(a)).toEqual(listTree(b));
  for (const f of listTree(b))
    expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), f).toBe(true);
}

describe('the build cache', () => {
  it('writes nothing when nothing changed, from the second and from later builds', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    // A missing body image: a warning every build reports, whether it plans or not.
    appendFileSync(path.join(dir, EDITED), '\n![Kajen i dimma](saknas.jpg)\n');
    const first = await build(dir);
    expect(first.written).toBe(first.files);
    expect(first.diagnostics.map((d) => d.code)).toEqual(['site-image-missing']);
    const snapshot = inodes(out);
    const folder = inode(dir, 'public');
    for (let i = 0; i < 3; i++) {
      const again = await build(dir);
      expect(again.ok).toBe(true);
      expect(again.written).toBe(0);
      expect(again.unchanged).toBe(first.files);
      expect(again.pages).toBe(first.pages);
      expect(again.diagnostics).toEqual(first.diagnostics);
      expect(changed(snapshot, inodes(out))).toEqual({ written: [], added: [], removed: [] });
      // Made from the same inputs as the output in place: not even swapped.
      expect(inode(dir, 'public')).toBe(folder);
    }
    // A build that changes something swaps the new output in; the old one is kept in the cache as the
    // spare for the next build, and nothing lies next to public/.
    editRelease(dir, 'Tolv nya laddplatser', 'Tretton nya laddplatser');
    expect((await build(dir)).written).toBeGreaterThan(0);
    expect(inode(dir, 'public')).not.toBe(folder);
    expect(existsSync(workFolder(dir, 'prev'))).toBe(true);
    // (scs.permalinks is the project's record of published addresses, written by every build that adds one.)
    expect(readdirSync(dir).sort()).toEqual([
      '.scs',
      'public',
      'releases',
      'scs.config.yml',
      'scs.permalinks',
    ]);
    await expectSameAsCleanBuild(dir);
  });

  it('builds again when the output folder was removed, or the clock makes a release due', async () => {
    const dir = project();
    const first = await build(dir);
    rmSync(path.join(dir, 'public'), { recursive: true });
    expect((await build(dir)).written).toBe(first.files);
    // The summer release is published on 2026-06-01: the same files, a later clock.
    const later = await build(dir, { now: new Date('2026-07-01T10:00:00Z') });
    expect(later.written).toBeGreaterThan(0);
    expect(later.releases).toBeGreaterThan(first.releases);
    await expectSameAsCleanBuild(dir, { now: new Date('2026-07-01T10:00:00Z') });
  });

  it('re-renders an edited release and only the lists and feeds that show it', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    await build(dir);
    const before = inodes(out);
    editRelease(dir, 'Tolv nya laddplatser', 'Fjorton nya laddplatser');
    const result = await build(dir);
    expect(result.ok).toBe(true);
    expect(read(out, EDITED_PAGE)).toContain('Fjorton nya laddplatser');
    expect(changed(before, inodes(out))).toEqual({
      written: [
        'sv/2026/02/10/nya-laddplatser-pa-gastkajen-i-smabatshamnen/index.html',
        'sv/archive/2026/index.html',
        'sv/archive/index.html',
        'sv/archive/news/atom.xml',
        'sv/archive/news/feed.xml',
        'sv/archive/news/index.html',
        'sv/atom.xml',
        'sv/feed.xml',
        'sv/index.html',
        'sv/topics/miljo/atom.xml',
        'sv/topics/miljo/feed.xml',
        'sv/topics/miljo/index.html',
      ],
      added: [],
      removed: [],
    });
    expect(result.written).toBe(12);
    await expectSameAsCleanBuild(dir);
    // The build after that starts from the older spare: it must catch up with both changes.
    editRelease(dir, 'Fjorton', 'Femton');
    await build(dir);
    expect(read(out, EDITED_PAGE)).toContain('Femton nya laddplatser');
    await expectSameAsCleanBuild(dir);
  });

  it('re-renders every page when a template is overridden, changed or removed', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    const before = inodes(out);
    const partial = path.join(dir, 'templates/site/partials/site-footer.hbs');
    mkdirSync(path.dirname(partial), { recursive: true });
    writeFileSync(
      partial,
      '<footer class="site-footer"><p>Egen sidfot för {{site.organization}}</p></footer>\n',
    );
    const result = await build(dir);
    expect(result.ok).toBe(true);
    const pages = listTree(out).filter((f) => f.endsWith('.html'));
    // Each page names the organisation in its own language.
    for (const page of pages)
      expect(read(out, page), page).toMatch(/Egen sidfot för (?:Hamnverket Sjöbris|Sjöbris Harbour)/);
    const { written } = changed(before, inodes(out));
    for (const page of pages) expect(written).toContain(page);
    await expectSameAsCleanBuild(dir);
    writeFileSync(partial, '<footer class="site-footer"><p>Ändrad sidfot</p></footer>\n');
    await build(dir);
    for (const page of pages) expect(read(out, page), page).toContain('Ändrad sidfot');
    await expectSameAsCleanBuild(dir);
    unlinkSync(partial);
    await build(dir);
    for (const page of pages) expect(read(out, page), page).not.toContain('sidfot');
    await expectSameAsCleanBuild(dir);
  });

  it('re-renders what a config change touches', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    const config = path.join(dir, 'scs.config.yml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('sv: Hamnverket Sjöbris – Press', 'sv: Sjöbris hamn – Pressrum'),
    );
    await build(dir);
    for (const page of listTree(out).filter((f) => f.startsWith('sv/') && f.endsWith('.html'))) {
      expect(read(out, page), page).toContain('Sjöbris hamn – Pressrum');
    }
    expect(read(out, 'sv/feed.xml')).toContain('<title>Sjöbris hamn – Pressrum</title>');
    await expectSameAsCleanBuild(dir);
    // A contact's role lives in the config too.
    writeFileSync(config, readFileSync(config, 'utf8').replace('sv: hamnkapten', 'sv: hamnchef'));
    await build(dir);
    expect(read(out, 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html')).toContain('hamnchef');
    await expectSameAsCleanBuild(dir);
  });

  it('lists a new topic page in the sitemap when a release is the first with that topic', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    const config = path.join(dir, 'scs.config.yml');
    declareTopicHamnar(config);
    await build(dir);
    await build(dir);
    expect(read(out, 'sitemap.xml')).not.toContain('/topics/hamnar/');
    editRelease(dir, 'topics: [miljo]', 'topics: [miljo, hamnar]');
    expect((await build(dir)).ok).toBe(true);
    expect(read(out, 'sitemap.xml')).toContain('<loc>https://press.sjobris.example/sv/topics/hamnar/</loc>');
    await expectSameAsCleanBuild(dir);
  });

  it('verifyCache (SCS_VERIFY_CACHE=1): every skipped file made again is the same, through edits, a new topic and a config change', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    const verify = { verifyCache: true };
    expect((await build(dir, verify)).ok).toBe(true);
    const same = await build(dir, verify);
    expect(same.ok && same.written === 0 && same.unchanged === same.files).toBe(true);
    const config = path.join(dir, 'scs.config.yml');
    declareTopicHamnar(config);
    expect((await build(dir, verify)).diagnostics).toEqual([]);
    editRelease(dir, 'topics: [miljo]', 'topics: [miljo, hamnar]');
    const edited = await build(dir, verify);
    expect(edited.diagnostics).toEqual([]);
    expect(edited.unchanged).toBeGreaterThan(0);
    expect(read(out, 'sitemap.xml')).toContain('/topics/hamnar/');
    writeFileSync(config, readFileSync(config, 'utf8').replace('pageSize: 2', 'pageSize: 3'));
    expect((await build(dir, verify)).diagnostics).toEqual([]);
  });

  it('verifyCache names a file the cache kept that differs from what it is made from, and keeps the output', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    expect((await build(dir)).ok).toBe(true);
    // As a key that misses an input would leave it: the file in place is not what its inputs make.
    writeFileSync(path.join(out, EDITED_PAGE), read(out, EDITED_PAGE).replace('</h1>', ' (old)</h1>'));
    expect((await build(dir)).ok).toBe(true);
    const r = await build(dir, { verifyCache: true });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['site-cache-stale', `public/${EDITED_PAGE}`],
    ]);
    expect(r.diagnostics[0]!.message).toContain(EDITED_PAGE);
    expect(read(out, EDITED_PAGE)).toContain(' (old)</h1>');
  });

  it('follows image changes: a new copy under a new name, the old one gone', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    const oldImage = listTree(out).find((f) => f.startsWith('assets/images/farja-'))!;
    const source = path.join(dir, 'releases/images/farja.png');
    // Another valid PNG: the fixture's second image.
    cpSync(path.join(dir, 'releases/images/kaj.png'), source);
    const result = await build(dir);
    expect(result.ok).toBe(true);
    const images = listTree(out).filter((f) => f.startsWith('assets/images/'));
    expect(images).not.toContain(oldImage);
    const page = read(out, 'sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html');
    expect(page).toContain('width="120" height="80"');
    expect(page).not.toContain(oldImage);
    await expectSameAsCleanBuild(dir);
  });

  it('removes the pages of a deleted release, and their folders', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    await build(dir);
    rmSync(path.join(dir, 'releases/2025/2025-11-20-farleden-muddras-i-vinter.sv.md'));
    const result = await build(dir);
    expect(result.removed).toBeGreaterThan(0);
    expect(existsSync(path.join(out, 'sv/2025'))).toBe(false);
    expect(existsSync(path.join(out, 'sv/archive/2025'))).toBe(false);
    await expectSameAsCleanBuild(dir);
  });

  it('does not touch anything for a change to a hidden release, and keeps the search index', async () => {
    const dir = project();
    await build(dir, { search: true });
    await build(dir, { search: true });
    const draft = path.join(dir, 'releases/2026/2026-01-15-utkast-om-hamnfesten.sv.md');
    writeFileSync(draft, `${readFileSync(draft, 'utf8')}\nMer text.\n`);
    const result = await build(dir, { search: true });
    expect(result.written).toBe(0);
    expect(result.search.reused).toBe(true);
  });

  it('rebuilds the search index when a published page changes', async () => {
    const dir = project();
    await build(dir, { search: true });
    editRelease(dir, 'Tolv nya laddplatser', 'Tretton nya laddplatser');
    const result = await build(dir, { search: true });
    expect(result.search.reused).toBe(false);
    // The release pages and each language's media bank page.
    expect(result.search.pages).toBe(6);
  });

  it('renders only the feed entries a feed that changed shows, each once however many feeds carry it', async () => {
    const dir = project();
    const out = path.join(dir, 'public');
    await build(dir);
    editRelease(dir, 'Tolv nya laddplatser', 'Fjorton nya laddplatser');
    const result = await build(dir);
    expect(result.ok).toBe(true);
    expect(read(out, 'sv/feed.xml')).toContain('Fjorton nya laddplatser');
    await expectSameAsCleanBuild(dir);
  });

  it('renders everything again with clean, and starts over when the cache is gone', async () => {
    const dir = project();
    const first = await build(dir);
    const clean = await build(dir, { clean: true });
    expect(clean.written).toBe(first.files);
    rmSync(path.join(dir, '.scs'), { recursive: true });
    editRelease(dir, 'Tolv nya laddplatser', 'Elva nya laddplatser');
    const cold = await build(dir);
    expect(cold.ok).toBe(true);
    expect(cold.written).toBe(first.files);
    await expectSameAsCleanBuild(dir);
    await build(dir);
    await expectSameAsCleanBuild(dir);
  });
});
