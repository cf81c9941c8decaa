import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseRelease } from '../../src/content/parse.js';
import { PAYLOADS } from '../helpers/payloads.js';
import { REPO } from '../helpers/scs.js';

const config = loadConfig({ root: REPO, env: {} });
const parse = (text: string) =>
  parseRelease(
    { file: 'releases/x.md', path: path.join(REPO, 'releases/x.md'), bytes: Buffer.from(text) },
    config,
    () => true,
  );
const removedAt = (text: string) =>
  parse(text)
    .diagnostics.filter((d) => d.code === 'html-removed')
    .map((d) => d.line!);

/** Payloads that Markdown does not take for HTML: links and images in Markdown, and HTML made text by a code span. */
const NOT_HTML = (name: string) => name.startsWith('Markdown') || name.includes('grave accents');
const JS = 'alert(1)';

describe('scs check on raw HTML the sanitiser removes (html-removed)', () => {
  it('warns at the line of every payload in the body, and of no Markdown one', () => {
    const lines: string[] = [];
    const expected: number[] = [];
    for (const p of PAYLOADS) {
      const first = 7 + lines.length;
      lines.push(...p.html(JS).split('\n'), '');
      if (!NOT_HTML(p.name)) expected.push(first + p.html(JS).split('\n').length - 1);
    }
    const text = `---\ntitle: Rubrik\ndate: 2026-01-10\nlead: Ingress.\n---\n\n${lines.join('\n')}`;
    // (The first payload's first line is scs's own tag, which stays: the warning points at the next.)
    expect([...new Set(removedAt(text))]).toEqual(expected);
  });

  it('warns at the line of the lead and of an inline boilerplate for each of their payloads', () => {
    const html = PAYLOADS.filter((p) => !NOT_HTML(p.name)).map((p) => p.html(JS));
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
