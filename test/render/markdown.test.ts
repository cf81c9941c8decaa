import { describe, expect, it } from 'vitest';
import { parseQuote } from '../../src/content/paragraphs.js';
import { renderInline, renderMarkdown } from '../../src/render/markdown.js';

describe('renderMarkdown', () => {
  it('marks up Swedish-style quotes and their attribution', () => {
    const { html } = renderMarkdown(
      '– Vi är redo, säger Anna Berg, vd på [Testbolaget](https://test.example).',
    );
    expect(html).toBe(
      '<p class="quote">– Vi är redo,<span class="quote__attribution"> säger Anna Berg, vd på <a href="https://test.example">Testbolaget</a>.</span></p>\n',
    );
    expect(renderMarkdown('– Ett citat utan talare.').html).toBe(
      '<p class="quote">– Ett citat utan talare.</p>\n',
    );
    expect(renderMarkdown('– A quote, says Jane Doe, CEO.').html).toContain(
      '<span class="quote__attribution"> says Jane Doe, CEO.</span>',
    );
  });

  // [what the cases show, [Markdown, the exact HTML]…]
  const quotes: [string, [string, string][]][] = [
    [
      'soft line breaks, in English and Swedish',
      [
        [
          '– We dared hope,\nsays Oskar Lindahl, Project Manager, Energy and Mobility at Norrsken Urban Lab.',
          '<p class="quote">– We dared hope,<span class="quote__attribution">\nsays Oskar Lindahl, Project Manager, Energy and Mobility at Norrsken Urban Lab.</span></p>\n',
        ],
        [
          '– Vi vågade hoppas,\nsäger Oskar Lindahl, projektledare.',
          '<p class="quote">– Vi vågade hoppas,<span class="quote__attribution">\nsäger Oskar Lindahl, projektledare.</span></p>\n',
        ],
        [
          '– Vi vågade hoppas, säger\nOskar Lindahl, projektledare.',
          '<p class="quote">– Vi vågade hoppas,<span class="quote__attribution"> säger\nOskar Lindahl, projektledare.</span></p>\n',
        ],
      ],
    ],
    [
      'a closing quotation mark before or after the comma',
      [
        [
          '– We dared hope,” says Oskar Lindahl, CEO.',
          '<p class="quote">– We dared hope,”<span class="quote__attribution"> says Oskar Lindahl, CEO.</span></p>\n',
        ],
        [
          '– Vi vågade hoppas”, säger Oskar Lindahl, vd.',
          '<p class="quote">– Vi vågade hoppas”,<span class="quote__attribution"> säger Oskar Lindahl, vd.</span></p>\n',
        ],
        [
          '– We dared hope»,\nsays Oskar Lindahl, CEO.',
          '<p class="quote">– We dared hope»,<span class="quote__attribution">\nsays Oskar Lindahl, CEO.</span></p>\n',
        ],
      ],
    ],
    [
      'an em dash or an escaped hyphen (a hyphen at a line start is a list item)',
      [
        [
          '— Vi är redo, säger Anna Berg, vd.',
          '<p class="quote">— Vi är redo,<span class="quote__attribution"> säger Anna Berg, vd.</span></p>\n',
        ],
        [
          '\\- We are ready,\nsays Anna Berg, CEO.',
          '<p class="quote">- We are ready,<span class="quote__attribution">\nsays Anna Berg, CEO.</span></p>\n',
        ],
        [
          '- We are ready, says Anna Berg, CEO.',
          '<ul>\n<li>We are ready, says Anna Berg, CEO.</li>\n</ul>\n',
        ],
      ],
    ],
    [
      'markup: a name in bold, but never a span that would cross emphasis',
      [
        [
          '– Vi är redo, säger **Anna Berg**, vd.',
          '<p class="quote">– Vi är redo,<span class="quote__attribution"> säger <strong>Anna Berg</strong>, vd.</span></p>\n',
        ],
        [
          '– *Vi är redo, säger Anna Berg*, vd.',
          '<p class="quote">– <em>Vi är redo, säger Anna Berg</em>, vd.</p>\n',
        ],
      ],
    ],
  ];
  it.each(quotes)('marks up the attribution of quotes with %s', (_, pairs) => {
    for (const [markdown, html] of pairs) expect(renderMarkdown(markdown).html).toBe(html);
  });

  it('keeps h1 for the page title: body headings start at h2', () => {
    expect(renderMarkdown('# Rubrik\n\n## Under').html).toBe('<h2>Rubrik</h2>\n<h2>Under</h2>\n');
  });

  it('sanitises raw HTML: no script, no handlers, no javascript: URLs', () => {
    const { html } = renderMarkdown(
      '<script>alert(1)</script>\n\nText <img src="https://x.test/a.png" onerror="alert(1)"> <a href="javascript:alert(1)">x</a> <b onclick="x()">fet</b>\n\n[länk](javascript:alert(1))\n\n<iframe src="https://evil.test"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|href="javascript:|<iframe/i);
    expect(html).toContain('<img src="https://x.test/a.png" />');
    expect(html).toContain('<b>fet</b>');
  });

  it('rewrites URLs and reports images and links as written', () => {
    const r = renderMarkdown('![Alt](bild.jpg) [a](../x/) [b](https://b.test/)', {
      resolveUrl: (url, kind) =>
        kind === 'image' ? `https://cdn.test/${url}` : new URL(url, 'https://site.test/sv/2026/').href,
    });
    expect(r.images).toEqual(['bild.jpg']);
    expect(r.links).toEqual(['../x/', 'https://b.test/']);
    expect(r.html).toContain('src="https://cdn.test/bild.jpg"');
    expect(r.html).toContain('href="https://site.test/sv/x/"');
  });

  it('escapes text and renders inline Markdown', () => {
    expect(renderInline('5 < 6 & *viktigt*')).toBe('5 &lt; 6 &amp; <em>viktigt</em>');
    expect(renderInline('<img src=x onerror=alert(1)>')).not.toContain('onerror');
  });
});

describe('parseQuote', () => {
  it('splits quote, speaker and role', () => {
    expect(
      parseQuote('– Det går bra. Vi fortsätter, säger Karin Holmqvist, kommunikationschef på Stadslabbet.'),
    ).toEqual({
      quote: 'Det går bra. Vi fortsätter',
      attribution: 'säger Karin Holmqvist, kommunikationschef på Stadslabbet.',
      speaker: 'Karin Holmqvist',
      role: 'kommunikationschef på Stadslabbet',
    });
    expect(parseQuote('Inte ett citat.')).toBeUndefined();
  });

  it('finds the attribution after a closing quotation mark and before markup, as the renderer does', () => {
    expect(parseQuote('– We dared hope,” says Oskar Lindahl, CEO.')).toEqual({
      quote: 'We dared hope',
      attribution: 'says Oskar Lindahl, CEO.',
      speaker: 'Oskar Lindahl',
      role: 'CEO',
    });
    expect(parseQuote('— Vi är redo”, säger **Anna Berg**.')?.speaker).toBe('**Anna Berg**');
    expect(parseQuote('\\- Vi är redo, säger Anna Berg.')?.attribution).toBe('säger Anna Berg.');
    expect(parseQuote('– Vi är redo, säger anna.')).toEqual({ quote: 'Vi är redo, säger anna.' });
  });
});
