import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { checkReleases } from '../../src/content/load.js';
import { bodyFromText } from '../../src/content/body.js';
import { parseRelease } from '../../src/content/parse.js';
import { isPublished } from '../../src/content/types.js';
import { PAYLOADS } from '../helpers/payloads.js';
import { REPO } from '../helpers/scs.js';

const config = loadConfig({ root: REPO, env: {} });
const parse = (text: string) =>
  parseRelease(
    { file: 'releases/x.md', path: path.join(REPO, 'releases/x.md'), bytes: Buffer.from(text) },
    config,
    () => true,
  );
/** The body as a renderer reads it back from the file. */
const body = (text: string) => bodyFromText(text, parse(text).release!.bodyLine);

describe('parseRelease', () => {
  it('takes the lead from the first paragraph and keeps it out of the body, with line numbers intact', () => {
    const text =
      '---\ntitle: Rubrik\ndate: 2026-01-10\n---\n\nFörsta stycket\nfortsätter här.\n\n## Så fungerar det\n\nBrödtext.\n';
    const { release, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(release!.lead).toBe('Första stycket fortsätter här.');
    expect(body(text)).toBe('## Så fungerar det\n\nBrödtext.\n');
    expect(release!.bodyLine).toBe(9);
  });

  it('keeps the body whole when the lead is given, or when the body starts with a heading or a quote', () => {
    const given = '---\ntitle: R\ndate: 2026-01-10\nlead: Egen ingress.\n---\n\nStycke.\n';
    expect(parse(given).release!.lead).toBe('Egen ingress.');
    expect(body(given)).toBe('\nStycke.\n');
    const heading = '---\ntitle: R\ndate: 2026-01-10\n---\n## Rubrik\n\nStycke.\n';
    expect(parse(heading).release!.lead).toBe('');
    expect(body(heading)).toBe('## Rubrik\n\nStycke.\n');
    const quote = parse('---\ntitle: R\ndate: 2026-01-10\n---\n– Citat, säger Anna Berg, vd.\n').release!;
    expect(quote.lead).toBe('');
  });

  it('warns at a quote without attribution, where it starts, with the shape to write', () => {
    const { diagnostics } = parse(
      '---\ntitle: R\ndate: 2026-01-10\n---\n\nIngress.\n\n  — Ett citat, ”säger” ingen.\n',
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'quote-unattributed', severity: 'warning', line: 8, column: 3 }),
    ]);
    expect(diagnostics[0]!.hint).toContain('"– Quote, säger Name, role."');
    expect(diagnostics[0]!.hint).toContain('"– Quote, says Name, role."');
  });

  it('fills the model: defaults, slug, contacts from the registry and inline, publishAt', () => {
    const { release } = parse(`---
title: Åtta nya laddplatser på Öbacka
date: 2026-05-04
embargo: 2026-05-04T10:00
contacts:
  - karin-holmqvist
  - name: Lena Åberg
    role: vd
    email: lena@test.example
    phone: 090-12 34 56
topics: [energi]
---

Text.
`);
    expect(release).toMatchObject({
      id: 'sv/atta-nya-laddplatser-pa-obacka',
      slug: 'atta-nya-laddplatser-pa-obacka',
      lang: 'sv',
      type: 'press-release',
      draft: false,
      newsletter: true,
      localDate: '2026-05-04',
      dateOnly: true,
    });
    expect(release!.date.toISOString()).toBe('2026-05-03T22:00:00.000Z');
    expect(release!.publishAt.toISOString()).toBe('2026-05-04T08:00:00.000Z');
    expect(release!.contacts.map((c) => c.name)).toEqual(['Karin Holmqvist', 'Lena Åberg']);
    expect(release!.contacts[1]).toMatchObject({
      role: { sv: 'vd', en: 'vd' },
      phone: { display: '090-12 34 56', e164: '+4690123456' },
    });
    expect(isPublished(release!, new Date('2026-05-04T07:59:59Z'))).toBe(false);
    expect(isPublished(release!, new Date('2026-05-04T08:00:00Z'))).toBe(true);
  });

  it('resolves local images relative to the release file and keeps URLs', () => {
    const local = parse('---\ntitle: R\ndate: 2026-01-10\nimage: {src: images/a.jpg, alt: A}\n---\n')
      .release!;
    expect(local.image).toMatchObject({
      src: 'images/a.jpg',
      alt: 'A',
      file: path.join(REPO, 'releases/images/a.jpg'),
    });
    const remote = parse(
      '---\ntitle: R\ndate: 2026-01-10\nimage: {src: "https://cdn.test.example/a.jpg", alt: A}\n---\n',
    ).release!;
    expect(remote.image).toMatchObject({ url: 'https://cdn.test.example/a.jpg' });
    expect(remote.image!.file).toBeUndefined();
    const bad = parse('---\ntitle: R\ndate: 2026-01-10\nimage: {src: "javascript:alert(1)", alt: A}\n---\n');
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['image-src-invalid']);
  });

  it('lists the local images of the body with their lines, and nothing else the body links to', () => {
    const { release } = parse(
      [
        '---\ntitle: R\ndate: 2026-01-10\n---\n\nIngress.\n',
        '![Karta](bilder/karta%20ny.png "Kartan")\n',
        '<img alt="x" src="/media/logo.svg">\n',
        '![Extern](https://cdn.test.example/a.jpg) [länk](dokument.pdf) ![igen](bilder/karta%20ny.png)\n',
        '![ref][r]\n\n[r]: ./bilder/ref.webp?v=2\n[doc]: ./rapport.pdf\n',
      ].join('\n'),
    );
    expect(release!.bodyImages).toEqual([
      {
        url: 'bilder/karta%20ny.png',
        file: path.join(REPO, 'releases/bilder/karta ny.png'),
        line: 8,
        alt: 'Karta',
      },
      { url: './bilder/ref.webp?v=2', file: path.join(REPO, 'releases/bilder/ref.webp'), line: 16 },
      { url: '/media/logo.svg', file: path.join(REPO, 'media/logo.svg'), line: 10, alt: 'x' },
    ]);
  });
});

describe('the example newsroom', () => {
  it('checks clean and has what the README promises', async () => {
    const result = await checkReleases(config);
    expect(result.diagnostics).toEqual([]);
    const byId = new Map(result.releases.map((r) => [r.id, r]));
    expect(result.releases.length).toBeGreaterThanOrEqual(5);
    const pair = result.releases.filter((r) => r.translationKey === 'bergrum-2026');
    expect(pair.map((r) => r.lang).sort()).toEqual(['en', 'sv']);
    expect(result.releases.some((r) => r.draft)).toBe(true);
    expect(result.releases.some((r) => r.embargo && r.embargo > new Date('2026-11-26'))).toBe(true);
    expect(byId.get('sv/umea-lagrar-sommarvarme-i-gamla-bergrum')!.image!.alt).toMatch(/bergrum/);
    // newest first
    const dates = result.releases.map((r) => r.date.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });
});

const removedAt = (text: string) =>
  parse(text)
    .diagnostics.filter((d) => d.code === 'html-removed')
    .map((d) => d.line!);

const JS = 'alert(1)';

describe('scs check on raw HTML the sanitiser removes (html-removed)', () => {
  it('warns at the line of every payload in the body, and of no Markdown one', () => {
    const lines: string[] = [];
    const expected: number[] = [];
    for (const p of PAYLOADS) {
      const first = 7 + lines.length;
      lines.push(...p.html(JS).split('\n'), '');
      if (!p.notHtml) expected.push(first + p.html(JS).split('\n').length - 1);
    }
    const text = `---\ntitle: Rubrik\ndate: 2026-01-10\nlead: Ingress.\n---\n\n${lines.join('\n')}`;
    // (The first payload's first line is scs's own tag, which stays: the warning points at the next.)
    expect([...new Set(removedAt(text))]).toEqual(expected);
  });

  it('warns at the line of the lead and of an inline boilerplate for each of their payloads', () => {
    const html = PAYLOADS.filter((p) => !p.notHtml).map((p) => p.html(JS));
    const text = [
      '---',
      'title: Rubrik',
      'date: 2026-01-10',
      `lead: ${JSON.stringify(html.join(' '))}`,
      `boilerplate: ${JSON.stringify(html.join('\n\n'))}`,
      '---',
      '',
      'Text.',
    ].join('\n');
    const lines = removedAt(text);
    expect(new Set(lines)).toEqual(new Set([4, 5]));
    expect(lines.filter((l) => l === 5).length).toBeGreaterThanOrEqual(html.length);
  });

  it('says what goes, and stays silent about HTML that is published as written and about code', () => {
    const text =
      '---\ntitle: Rubrik\ndate: 2026-01-10\n---\n\nText med <em>betoning</em> och <a href="https://ok.example/">länk</a>.\n\n```html\n<script>visas</script>\n```\n\n<p class="x"><img src="https://ok.example/a.png" alt="a" onerror="alert(1)"></p>\n';
    const [d, ...rest] = parse(text).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'html-removed', severity: 'warning', line: 12, column: 58 });
    expect(d!.message).toContain('onerror="alert(1)" on <img>');
  });
});

describe('scs check on titles (title-line-break)', () => {
  it('rejects a line break or control character in the title, at the title', () => {
    for (const title of [
      '"Rubrik\\r\\nBcc: x@example.com"',
      '"Rubrik\\nrad två"',
      '"Rubrik\\u0000"',
      '|\n  Rubrik\n  rad två',
    ]) {
      const { release, diagnostics } = parse(`---\ntitle: ${title}\ndate: 2026-01-10\n---\n\nText.\n`);
      expect(release, title).toBeUndefined();
      expect(
        diagnostics.map((d) => [d.code, d.line, d.column]),
        title,
      ).toEqual([['title-line-break', 2, 8]]);
    }
  });
});
