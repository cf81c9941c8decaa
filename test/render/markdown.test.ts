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
});
