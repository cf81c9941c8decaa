import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScs } from '../helpers/scs.js';
import { parseVCard, unescapeText } from '../helpers/vcard.js';
import { build, listTree, throwaway } from './helpers.js';

/**
 * The press office's pages with the real binary (issue 16): corrections, permalinks and redirects,
 * withdrawn releases, press contacts and their vCards. The clock is given with --now.
 */
const tmp = throwaway();
const NOW = ['--now', '2026-12-10T12:00'];
const FERRY_SV = 'public/sv/2026/03/02/elfarjan-borjar-ga-i-maj/index.html';
const FERRY_EN = 'public/en/2026/03/02/the-electric-ferry-starts-in-may/index.html';
const FEES = 'releases/2026/2026-01-20-hamnavgifter.sv.md';
const FEES_OLD = 'sv/2026/01/20/hamnavgifterna-for-2027-ar-klara/';
const FEES_NEW = 'sv/2026/01/20/hamnavgifterna-for-2027-hojs-med-tva-procent/';
const CHARGING = 'releases/2026/2026-02-10-laddplatser.sv.md';
const CHARGING_PAGE = 'sv/2026/02/10/nya-laddplatser-pa-gastkajen/';

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const edit = (dir: string, rel: string, from: string, to: string) => {
  const text = read(dir, rel);
  expect(text).toContain(from);
  writeFileSync(path.join(dir, rel), text.replace(from, to));
};
const scs = (dir: string, ...args: string[]) => runScs(args, { cwd: dir });
const jsonLd = (html: string) =>
  JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!) as Record<
    string,
    unknown
  >;

function built(): string {
  const dir = tmp.project('press');
  const r = scs(dir, 'build', ...NOW, '--no-search');
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('corrections', () => {
  it('are shown at the top of the body, in the feeds and in JSON-LD, in Swedish and in English', () => {
    const dir = built();
    const sv = read(dir, FERRY_SV);
    const aside = /<aside class="corrections" role="note"[^>]*>([\s\S]*?)<\/aside>/.exec(sv)![1]!;
    // Oldest first, inline Markdown rendered; before the body.
    expect(aside.replace(/\s+/g, ' ').trim()).toBe(
      '<p class="correction"><strong class="correction__label">Rättelse 2026-03-04:</strong> Linjen trafikeras från den 4 maj, inte den 14 maj.</p> <p class="correction"><strong class="correction__label">Rättelse 2026-03-09:</strong> Färjan tar <em>40</em> bilar, inte 400.</p>',
    );
    expect(sv.indexOf('class="corrections"')).toBeLessThan(sv.indexOf('class="release__body"'));
    const en = read(dir, FERRY_EN);
    expect(en).toContain(
      '<strong class="correction__label">Correction 8 December 2026:</strong> The ferry takes <strong>40</strong> cars, not 400.',
    );

    expect(jsonLd(en)).toMatchObject({
      datePublished: '2026-03-02T10:00+01:00',
      dateModified: '2026-12-08T14:30+01:00',
      correction: [
        {
          '@type': 'CorrectionComment',
          datePublished: '2026-12-08',
          text: 'The ferry takes 40 cars, not 400.',
        },
      ],
    });
    expect(jsonLd(sv)).toMatchObject({
      dateModified: '2026-03-09T00:00+01:00',
      correction: [{ datePublished: '2026-03-04' }, { datePublished: '2026-03-09' }],
    });

    const atom = read(dir, 'public/en/atom.xml');
    const entry = /<entry>[\s\S]*?<\/entry>/.exec(atom)![0];
    expect(entry).toContain('<published>2026-03-02T09:00:00Z</published>');
    expect(entry).toContain('<updated>2026-12-08T13:30:00Z</updated>');
    expect(entry).toContain('Correction 8 December 2026:');
    // The feed itself changed when its newest entry did.
    expect(/<feed[\s\S]*?<updated>(.*?)<\/updated>/.exec(atom)![1]).toBe('2026-12-08T13:30:00Z');
    expect(read(dir, 'public/sv/feed.xml')).toContain('Rättelse 2026-03-09:');
    expect(read(dir, 'public/sitemap.xml')).toContain(
      '<loc>https://press.sjobris.example/en/2026/03/02/the-electric-ferry-starts-in-may/</loc><lastmod>2026-12-08</lastmod>',
    );
  });

  it('dated after now are a check error', () => {
    const dir = tmp.project('press');
    const r = scs(dir, 'check', '--now', '2026-04-01T12:00');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'releases/2026/2026-03-02-electric-ferry.en.md:9:11 error The correction is dated 2026-12-08, which has not come yet (it is now 2026-04-01T12:00+02:00). [correction-in-future]',
    );
  });
});

describe('permalinks', () => {
  it('keep the old address of a release whose title is edited: check says so, the build redirects', () => {
    const dir = built();
    const permalinks = read(dir, 'scs.permalinks');
    expect(permalinks).toContain(`/${FEES_OLD} ${FEES}\n`);
    // Drafts are not recorded.
    expect(permalinks).not.toContain('utkast');

    edit(
      dir,
      FEES,
      'title: Hamnavgifterna för 2027 är klara',
      'title: Hamnavgifterna för 2027 höjs med två procent',
    );
    const check = scs(dir, 'check', ...NOW);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain(
      `${FEES}:2:8 warning The address of this release changes from /${FEES_OLD} to /${FEES_NEW}; the old address will redirect to the new one. [permalink-moved]`,
    );
    expect(check.stderr).toContain('set "slug: hamnavgifterna-for-2027-ar-klara"');
    // check never writes the file.
    expect(read(dir, 'scs.permalinks')).toBe(permalinks);
    expect(scs(dir, 'check', ...NOW, '--strict').code).toBe(1);

    const b = scs(dir, 'build', ...NOW, '--no-search');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain(`Moved: /${FEES_OLD} now redirects to /${FEES_NEW}`);
    expect(b.stdout).toContain('1 old address redirects (see _redirects).');
    expect(b.stdout).toContain('scs.permalinks: new addresses recorded; commit it with the releases.');
    const after = read(dir, 'scs.permalinks');
    expect(after).toContain(`/${FEES_OLD} ${FEES}\n/${FEES_NEW} ${FEES}\n`);

    const old = read(dir, `public/${FEES_OLD}index.html`);
    expect(old).toContain(`<link rel="canonical" href="https://press.sjobris.example/${FEES_NEW}">`);
    expect(old).toContain(
      '<meta http-equiv="refresh" content="0; url=../hamnavgifterna-for-2027-hojs-med-tva-procent/">',
    );
    expect(old).toContain('<meta name="robots" content="noindex">');
    expect(read(dir, 'public/_redirects')).toBe(`/${FEES_OLD} /${FEES_NEW} 301\n`);
    expect(read(dir, `public/${FEES_NEW}index.html`)).toContain(
      'Hamnavgifterna för 2027 höjs med två procent',
    );
    const sitemap = read(dir, 'public/sitemap.xml');
    expect(sitemap).toContain(FEES_NEW);
    expect(sitemap).not.toContain(FEES_OLD);
    expect(read(dir, 'public/sv/archive/index.html')).not.toContain('hamnavgifterna-for-2027-ar-klara');

    // Recorded: the check is quiet, and --verbose tells what redirects.
    const quiet = scs(dir, 'check', ...NOW);
    expect(quiet.stderr).toContain('No problems in 5 files.');
    const verbose = scs(dir, 'check', ...NOW, '--verbose', '--json');
    const line = after.split('\n').indexOf(`/${FEES_OLD} ${FEES}`) + 1;
    expect(JSON.parse(verbose.stdout)).toContainEqual(
      expect.objectContaining({ code: 'permalink-redirect', severity: 'note', file: 'scs.permalinks', line }),
    );
    // Nothing new: the file is not written again.
    const before = statSync(path.join(dir, 'scs.permalinks'));
    const again = scs(dir, 'build', ...NOW, '--no-search');
    expect(again.stdout).not.toContain('scs.permalinks:');
    expect(again.stdout).not.toContain('Moved:');
    expect(statSync(path.join(dir, 'scs.permalinks')).mtimeMs).toBe(before.mtimeMs);
  });

  it('make a deleted release a check error; the build keeps its line', () => {
    const dir = built();
    rmSync(path.join(dir, CHARGING));
    const check = scs(dir, 'check', ...NOW);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      new RegExp(
        `scs\\.permalinks:\\d+:1 error /${CHARGING_PAGE} was published for ${CHARGING}, which no longer exists: the address would stop answering\\. \\[permalink-release-missing\\]`,
      ),
    );
    expect(check.stderr).toContain('set "withdrawn: true"');
    const b = scs(dir, 'build', ...NOW, '--no-search');
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('warning');
    expect(b.stderr).toContain('[permalink-release-missing]');
    expect(read(dir, 'scs.permalinks')).toContain(`/${CHARGING_PAGE} ${CHARGING}\n`);
  });

  it('stop the build when scs.permalinks cannot be read, touching neither it nor the output', () => {
    const dir = built();
    const broken = `${read(dir, 'scs.permalinks')}sv/2026/01/01/no-slash/ releases/x.md\n`;
    writeFileSync(path.join(dir, 'scs.permalinks'), broken);
    const line = broken.trimEnd().split('\n').length;
    const before = listTree(path.join(dir, 'public'));
    const page = read(dir, FERRY_SV);
    edit(dir, 'releases/2026/2026-03-02-elfarjan.sv.md', 'Färjan tar 40 bilar', 'Färjan tar 41 bilar');
    const b = scs(dir, 'build', ...NOW, '--no-search');
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`scs.permalinks:${line}:1 error`);
    expect(b.stderr).toContain('[permalinks-invalid]');
    expect(read(dir, 'scs.permalinks')).toBe(broken);
    expect(listTree(path.join(dir, 'public'))).toEqual(before);
    expect(read(dir, FERRY_SV)).toBe(page);
    expect(scs(dir, 'check', ...NOW).stderr).toContain(`scs.permalinks:${line}:1 error`);
  });

  it('are read but not recorded by a build that watches (the library option preview and --watch use)', async () => {
    const dir = tmp.project('press');
    const result = await build(dir, { now: new Date('2026-12-10T11:00:00Z'), recordPermalinks: false });
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(dir, 'scs.permalinks'))).toBe(false);
  });

  it('are pinned by "scs new", which writes the slug', () => {
    const dir = tmp.project('press');
    const r = scs(dir, 'new', 'Sommartrafiken utökas', '--now', '2026-12-10T12:00');
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, r.stdout.trim())).toMatch(
      /^---\ntitle: "Sommartrafiken utökas"\nslug: sommartrafiken-utokas\n/,
    );
  });
});

describe('a withdrawn release', () => {
  it('leaves a notice at its address and nothing in the lists, feeds, sitemap or search', () => {
    const dir = tmp.project('press');
    const first = scs(dir, 'build', ...NOW, '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ releases: 4, withdrawn: 0, search: { pages: 6 } }); // with each language's media bank
    expect(read(dir, 'public/sv/archive/index.html')).toContain('2026/02/10/nya-laddplatser-pa-gastkajen/');

    edit(
      dir,
      CHARGING,
      'type: news\n',
      'type: news\nwithdrawn: 2026-12-01\nwithdrawnReason: Laddplatserna är **inte** klara än.\n',
    );
    expect(scs(dir, 'check', ...NOW).code).toBe(0);
    const r = scs(dir, 'build', ...NOW, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      releases: 3,
      withdrawn: 1,
      hidden: 1,
      // The release pages left, and each language's media bank.
      search: { pages: 5 },
    });

    const notice = read(dir, `public/${CHARGING_PAGE}index.html`);
    expect(notice).toContain('<h1>Nyheten har dragits tillbaka</h1>');
    expect(notice).toContain('<p>Publicerad 2026-02-10. Tillbakadragen 2026-12-01.</p>');
    expect(notice).toContain(
      '<p class="withdrawn__reason">Laddplatserna är <strong>inte</strong> klara än.</p>',
    );
    expect(notice).toContain('<meta name="robots" content="noindex">');
    expect(notice).toContain(`<link rel="canonical" href="https://press.sjobris.example/${CHARGING_PAGE}">`);
    // Neither its title nor its text.
    expect(notice).not.toContain('Nya laddplatser');
    expect(notice).not.toContain('blåsippeknopp');

    // Nowhere else: every list, feed and the sitemap (the search index counts 3 pages, above).
    const out = path.join(dir, 'public');
    const texts = listTree(out).filter(
      (f) => /\.(?:html|xml|txt)$/.test(f) && f !== `${CHARGING_PAGE}index.html`,
    );
    expect(texts.length).toBeGreaterThan(20);
    for (const f of texts) {
      const text = read(out, f);
      expect(text, f).not.toContain('laddplatser');
      expect(text, f).not.toContain('blåsippeknopp');
    }
    // Its only topic has nothing left to list.
    expect(existsSync(path.join(out, 'sv/topics/miljo/index.html'))).toBe(false);
    expect(scs(dir, 'check', ...NOW).stderr).toContain('No problems');
    // And it is never mailed.
    const send = scs(dir, 'send', 'sv/nya-laddplatser-pa-gastkajen', ...NOW);
    expect(send.code).toBe(1);
    expect(send.stderr).toContain('sv/nya-laddplatser-pa-gastkajen is withdrawn. [release-withdrawn]');
  });
});

describe('the press contacts page', () => {
  it('lists the press contacts with their topics and vCards, in each language; the vCards read back', () => {
    const dir = built();
    const sv = read(dir, 'public/sv/contacts/index.html');
    expect(sv).toContain('<h1>Presskontakter</h1>');
    expect(sv).toContain('<p class="contact__name">Lena Strand</p>');
    expect(sv).toContain('<p class="contact__topics">Ämnen: Trafik, Miljö</p>');
    expect(sv).toContain('<a href="tel:+4631702010">031-70 20 10</a>');
    expect(sv).toContain('href="mailto:lena.strand@sjobris.example"');
    expect(sv).toContain('<a href="lena-strand.vcf" download>');
    // Only contacts marked press: true.
    expect(sv).not.toContain('Petter Ek');
    expect(read(dir, 'public/en/contacts/index.html')).toContain(
      '<p class="contact__topics">Topics: Traffic, Environment</p>',
    );
    // Every page's navigation leads there.
    expect(read(dir, 'public/sv/archive/index.html')).toContain('<a href="../contacts/">Presskontakter</a>');
    expect(read(dir, FERRY_EN)).toContain('<a href="../../../../contacts/">Press contacts</a>');
    expect(read(dir, 'public/sitemap.xml')).toContain(
      '<loc>https://press.sjobris.example/en/contacts/</loc>',
    );

    const card = (rel: string) => {
      const fields = parseVCard(read(dir, rel));
      return Object.fromEntries(
        fields.map((f) => [
          f.name,
          f.name === 'TEL' ? f.value : unescapeText(f.value, f.name === 'CATEGORIES' ? ',' : ';'),
        ]),
      );
    };
    expect(card('public/sv/contacts/lena-strand.vcf')).toEqual({
      BEGIN: ['VCARD'],
      VERSION: ['4.0'],
      KIND: ['individual'],
      FN: ['Lena Strand'],
      N: ['Strand', 'Lena', '', '', ''],
      ORG: ['Hamnverket Sjöbris'],
      TITLE: ['presschef'],
      EMAIL: ['lena.strand@sjobris.example'],
      TEL: 'tel:+4631702010',
      CATEGORIES: ['Trafik', 'Miljö'],
      END: ['VCARD'],
    });
    expect(card('public/en/contacts/lena-strand.vcf')).toMatchObject({
      TITLE: ['Head of Press'],
      ORG: ['Sjöbris Harbour'],
      CATEGORIES: ['Traffic', 'Environment'],
    });

    // A release page's contacts link to their cards: a contact a published release names has one too.
    expect(read(dir, FERRY_SV)).toContain('<a href="../../../../contacts/petter-ek.vcf" download>');
    expect(card('public/sv/contacts/petter-ek.vcf')).toMatchObject({
      FN: ['Petter Ek'],
      TEL: 'tel:+4631702044',
    });
    // Nobody else's: the English release names only Lena, and a contact only a draft names stays private.
    expect(readdirSync(path.join(dir, 'public/en/contacts')).sort()).toEqual([
      'index.html',
      'lena-strand.vcf',
    ]);
    expect(readdirSync(path.join(dir, 'public/sv/contacts')).sort()).toEqual([
      'index.html',
      'lena-strand.vcf',
      'petter-ek.vcf',
    ]);
  });
});

describe('scs check --verbose', () => {
  it('says how an embargo without a UTC offset is read', () => {
    const dir = tmp.project('press');
    edit(dir, FEES, 'date: 2026-01-20T09:00\n', 'date: 2026-01-20T09:00\nembargo: 2026-01-20T10:00\n');
    expect(scs(dir, 'check', ...NOW).stderr).not.toContain('embargo-local-time');
    const r = scs(dir, 'check', ...NOW, '--verbose');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${FEES}:4:10 note The embargo "2026-01-20T10:00" has no UTC offset: it is read in Europe/Stockholm, as 2026-01-20T10:00+01:00. [embargo-local-time]`,
    );
    expect(scs(dir, 'check', ...NOW, '--verbose', '--format', 'github').stdout).toContain(
      `::notice file=${FEES},line=4,col=10,title=embargo-local-time::`,
    );
  });
});
