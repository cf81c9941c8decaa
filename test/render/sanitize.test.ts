import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../../src/content/frontmatter.js';
import { renderInline, renderMarkdown } from '../../src/render/markdown.js';
import { removedBySanitiser } from '../../src/render/sanitize.js';
import { PAYLOADS, unsafeParts } from '../helpers/payloads.js';
import { REPO } from '../helpers/scs.js';

const JS = 'alert(1)';

describe('the sanitiser', () => {
  it('publishes none of the payloads, in a block or inline, alone or after other HTML', () => {
    // The oracle of this test sees the danger in each payload of raw HTML.
    const missed = PAYLOADS.filter((p) => !p.notHtml && !unsafeParts(p.html(JS)).length);
    expect(missed.map((p) => p.name)).toEqual([]);
    const through: string[] = [];
    for (const p of PAYLOADS) {
      const hostile = p.html(JS);
      const outputs = {
        block: renderMarkdown(hostile).html,
        inline: renderInline(hostile),
        'after a quote': renderMarkdown(`– Citat, säger Anna Berg, vd.\n\n${hostile}`).html,
        'after safe HTML': renderMarkdown(`<em>ok</em>\n${hostile}`).html,
      };
      for (const [where, html] of Object.entries(outputs)) {
        const unsafe = unsafeParts(html);
        if (unsafe.length) through.push(`${p.name} (${where}): ${unsafe.join(', ')} in ${html}`);
      }
    }
    expect(through).toEqual([]);
  });

  it("treats an author's copy of scs's own markup as raw HTML", () => {
    const html = renderMarkdown(
      'Text.\n\n<span class="quote__attribution">\n<img src="https://x.test/a.png" onerror="alert(1)">\n<script>alert(2)</script>',
    ).html;
    expect(html).toBe(
      '<p>Text.</p>\n<span class="quote__attribution">\n<img src="https://x.test/a.png" />\n</span>',
    );
  });

  it('leaves plain Markdown as the sanitiser would: skipping it when there is no raw HTML changes nothing', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const markdown = [
      ...readdirSync(path.join(REPO, 'releases'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => {
          const split = splitFrontmatter(readFileSync(path.join(REPO, 'releases', f), 'utf8'));
          return split.ok ? split.body : '';
        }),
      '| vänster | mitten | höger |\n| :-- | :-: | --: |\n| a | b | c |',
      '```js\nconst a = "<b>";\n```\n\n`<script>` i kod',
      '- [e-post](mailto:press@example.com) och [telefon](tel:+4690164520)\n- <https://example.com/a?b=1&c=2>',
      '![Bild](bilder/a.png "Titel") och ![extern](https://example.com/b.jpg)',
      '> – Citat i ett blockcitat, säger Anna Berg, vd.\n\n1. ett\n2. två\n\n---\n\n**fet** _kursiv_ ~~struken~~',
      // markdown-it itself lets a few data: images through; the sanitiser does not.
      `![Bild](${png})`,
    ];
    for (const md of markdown) {
      expect(removedBySanitiser(renderMarkdown(md).html), md).toEqual([]);
      expect(removedBySanitiser(renderInline(md)), md).toEqual([]);
    }
  });

  it('keeps the alignment of table columns in a body with raw HTML', () => {
    const html = renderMarkdown('| a | b |\n| :-: | --: |\n| <b>x</b> | y |').html;
    expect(html).toContain('<td style="text-align:center"><b>x</b></td>');
    expect(html).toContain('<td style="text-align:right">y</td>');
  });
});

describe('removedBySanitiser', () => {
  it('names what goes, as written: elements, and the attributes of elements that stay', () => {
    expect(removedBySanitiser('<p onclick="x()">a <iframe src="https://e.test/"></iframe></p>')).toEqual([
      'onclick="x()" on <p>',
      '<iframe>',
    ]);
    expect(
      removedBySanitiser('<a href="&#106;avascript:x()">a</a> <a href="https://ok.test/">b</a>'),
    ).toEqual(['href="javascript:x()" on <a>']);
    expect(
      removedBySanitiser('<p class="a" lang="sv"><em>ok</em> <a href="https://ok.test/" title="t">b</a></p>'),
    ).toEqual([]);
  });
});
