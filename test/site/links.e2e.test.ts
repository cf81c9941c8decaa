import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScs, tempDir } from '../helpers/scs.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const NOW = ['--now', '2026-11-01T12:00'];
const ELCYKEL = 'releases/2026/2026-09-02-elcykelpoolen-pa-alidhem-fordubblas.sv.md';
const ELCYKEL_PAGE = 'public/sv/2026/09/02/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret/index.html';
const BERGRUM_SV = '/sv/2026/10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/';
const BERGRUM_EN = '/en/2026/10/14/umea-stores-summer-heat-in-old-rock-caverns/';
const BASE = 'https://press.stadslabbet.example';

/**
 * The example newsroom with links of every kind in the Swedish cycle-pool release: in its lead (the
 * first paragraph) a link to another release's file, in its body a PDF, the English version of another
 * release by file, a release by id (sv/<slug>) and, with `broken`, a link to nothing and one outside.
 */
function newsroom(broken: boolean) {
  const p = exampleProject();
  cleanups.push(p.cleanup);
  const outside = tempDir('scs-outside-');
  cleanups.push(outside.cleanup);
  writeFileSync(path.join(outside.dir, 'hemlig.pdf'), '%PDF-1.4 secret\n');
  mkdirSync(path.join(p.dir, 'releases/2026/filer'));
  writeFileSync(path.join(p.dir, 'releases/2026/filer/rapport.pdf'), `%PDF-1.4\n${'x'.repeat(1_234_000)}\n`);
  const file = path.join(p.dir, ELCYKEL);
  const outsideLink = path.relative(path.dirname(file), path.join(outside.dir, 'hemlig.pdf'));
  let text = readFileSync(file, 'utf8').replace(
    'Efter ett år med',
    'Efter ett år (se [bergrummen](2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md)) med',
  );
  text +=
    '\nLäs [rapporten (PDF)](filer/rapport.pdf), [in English](2026-10-14-umea-stores-summer-heat-in-old-rock-caverns.en.md#top)' +
    ' och [nyheten](sv/umea-lagrar-sommarvarme-i-gamla-bergrum).\n';
  if (broken) text += `\nTrasig [länk](filer/saknas.pdf) och [utanför](${outsideLink}).\n`;
  writeFileSync(file, text);
  return p.dir;
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const hrefOf = (html: string, text: string) => new RegExp(`href="([^"]*)">${text}<`).exec(html)?.[1];

/** Every file below `dir`, with its bytes. */
function tree(dir: string, sub = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = path.join(sub, e.name);
    if (e.isDirectory()) Object.assign(out, tree(dir, rel));
    else out[rel] = readFileSync(path.join(dir, rel)).toString('base64');
  }
  return out;
}

describe('links in a release (the real binary, on the example newsroom)', () => {
  it('reports a link to nothing and a link outside the project at file:line:col', () => {
    const dir = newsroom(true);
    const r = runScs(['check'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = read(dir, ELCYKEL).split('\n');
    const line = lines.findIndex((l) => l.startsWith('Trasig')) + 1;
    expect(r.stderr).toContain(
      `${ELCYKEL}:${line}:15 error The link "filer/saknas.pdf" leads nowhere: there is no file or release "filer/saknas.pdf". [link-unresolved]`,
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `${ELCYKEL.replace(/\./g, '\\.')}:${line}:47 error The link "[^"]*hemlig\\.pdf" points outside the project`,
      ),
    );
    expect(r.stderr).toContain('[link-outside-project]');
    expect(r.stderr).toContain('2 errors, 0 warnings in 1 file.');
  });

  it('publishes every link right on the release page, home and archive pages, feeds and email', () => {
    const dir = newsroom(false);
    expect(runScs(['check'], { cwd: dir }).code).toBe(0);
    const r = runScs(['build', ...NOW], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    // The attachment, named by its content, is copied once and listed with type and size.
    const files = readdirSync(path.join(dir, 'public/assets/files'));
    expect(files).toEqual([expect.stringMatching(/^rapport-[0-9a-f]{10}\.pdf$/)]);
    const pdf = `assets/files/${files[0]}`;
    expect(read(dir, `public/${pdf}`)).toBe(read(dir, 'releases/2026/filer/rapport.pdf'));

    const page = read(dir, ELCYKEL_PAGE);
    const up = '../../../../../';
    expect(hrefOf(page, 'rapporten \\(PDF\\)')).toBe(up + pdf);
    expect(hrefOf(page, 'bergrummen')).toBe(`../../../10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/`);
    expect(hrefOf(page, 'in English')).toBe(`${up}${BERGRUM_EN.slice(1)}#top`);
    expect(hrefOf(page, 'nyheten')).toBe(`../../../10/14/umea-lagrar-sommarvarme-i-gamla-bergrum/`);
    expect(page).toMatch(
      new RegExp(
        `<a href="${up}${pdf}">rapport\\.pdf</a> <span class="attachments__info">\\(PDF, 1,2 MB\\)</span>`,
      ),
    );

    // Where the lead is shown away from the release page, its link leads from the site root.
    for (const list of [
      'public/sv/index.html',
      'public/sv/archive/index.html',
      'public/sv/archive/2026/index.html',
    ])
      expect(hrefOf(read(dir, list), 'bergrummen'), list).toBe(BERGRUM_SV);

    for (const feed of ['public/sv/feed.xml', 'public/sv/atom.xml']) {
      const xml = read(dir, feed);
      expect(xml, feed).toContain(`href=&quot;${BASE}/${pdf}&quot;&gt;rapporten (PDF)`);
      expect(xml, feed).toContain(`href=&quot;${BASE}${BERGRUM_SV}&quot;&gt;bergrummen`);
      expect(xml, feed).toContain(`href=&quot;${BASE}${BERGRUM_EN}#top&quot;&gt;in English`);
      expect(xml, feed).toContain(`href=&quot;${BASE}${BERGRUM_SV}&quot;&gt;nyheten`);
    }

    const mail = runScs(
      ['email', 'sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret', '--out', 'mail', ...NOW],
      { cwd: dir },
    );
    expect(mail.code).toBe(0);
    const html = read(dir, 'mail/sv-elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret.nyheter.html');
    expect(html).toContain(`href="${BASE}/${pdf}"`);
    expect(html).toContain(`href="${BASE}${BERGRUM_SV}"`);
    expect(html).toContain(`href="${BASE}${BERGRUM_EN}#top"`);
    const text = read(dir, 'mail/sv-elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret.nyheter.txt');
    expect(text).toContain(`${BASE}/${pdf}`);
  });

  it('refuses a link to a release that is not out yet, in check and publish, until it is', () => {
    const dir = newsroom(false);
    const file = path.join(dir, ELCYKEL);
    writeFileSync(
      file,
      `${read(dir, ELCYKEL)}\nSnart: [vinterenkäten](2026-12-10-winter-cycling-survey.en.md).\n`,
    );
    const line =
      read(dir, ELCYKEL)
        .split('\n')
        .findIndex((l) => l.startsWith('Snart')) + 1;
    const early = runScs(['check', ...NOW], { cwd: dir });
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      `${ELCYKEL}:${line}:24 error The link "2026-12-10-winter-cycling-survey.en.md" leads to a draft, which is not published.`,
    );
    expect(early.stderr).toContain('[link-unpublished]');
    // publish stops before it writes a page or a mail that would name the release early.
    const publish = runScs(['publish', ...NOW], {
      cwd: dir,
      env: { SCS_SECRET: 'test-secret-0123456789abcdef' },
    });
    expect(publish.code).toBe(1);
    expect(publish.stderr).toContain('[link-unpublished]');
    expect(existsSync(path.join(dir, 'public'))).toBe(false);
    // Ready, it is still not out before its date; once it is, the same link is fine.
    const survey = path.join(dir, 'releases/2026/2026-12-10-winter-cycling-survey.en.md');
    writeFileSync(
      survey,
      read(dir, 'releases/2026/2026-12-10-winter-cycling-survey.en.md').replace('draft: true\n', ''),
    );
    expect(runScs(['check', ...NOW], { cwd: dir }).stderr).toContain(
      'leads to a release that is not out until 2026-12-',
    );
    expect(runScs(['check', '--now', '2026-12-11T12:00'], { cwd: dir }).code).toBe(0);
  });

  it('publishes a changed attachment and a moved release on an incremental build as a clean build does', () => {
    const dir = newsroom(false);
    expect(runScs(['build', ...NOW], { cwd: dir }).code).toBe(0);
    writeFileSync(path.join(dir, 'releases/2026/filer/rapport.pdf'), '%PDF-1.4 version two\n');
    // The linked release moves a day: the news archive, which lists only the linking release, follows.
    for (const f of [
      'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md',
      'releases/2026/2026-10-14-umea-stores-summer-heat-in-old-rock-caverns.en.md',
    ])
      writeFileSync(
        path.join(dir, f),
        read(dir, f).replace('date: 2026-10-14T09:00', 'date: 2026-10-15T09:00'),
      );
    expect(runScs(['build', ...NOW], { cwd: dir }).code).toBe(0);
    const incremental = tree(path.join(dir, 'public'));
    cpSync(path.join(dir, 'public'), path.join(dir, 'incremental'), { recursive: true });
    expect(runScs(['build', ...NOW, '--clean'], { cwd: dir }).code).toBe(0);
    expect(incremental).toEqual(tree(path.join(dir, 'public')));
    const page = read(dir, ELCYKEL_PAGE);
    expect(page).toContain('(PDF, 21 B)');
    expect(readdirSync(path.join(dir, 'public/assets/files'))).toHaveLength(1);
    expect(hrefOf(read(dir, 'public/sv/archive/news/index.html'), 'bergrummen')).toBe(
      '/sv/2026/10/15/umea-lagrar-sommarvarme-i-gamla-bergrum/',
    );
  });
});
