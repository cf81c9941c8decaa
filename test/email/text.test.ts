import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/render/markdown.js';
import { fillSlots, sampleRecipient } from '../../src/email/sample.js';
import { LinkRefs, markdownText } from '../../src/email/text.js';
import { REPO } from '../helpers/scs.js';
import { BERGRUM_EN, BERGRUM_SV, ELCYKEL_SV, project, renderOk, type Project } from './helpers.js';

const FIXTURES = path.join(REPO, 'test/fixtures/email/text');

describe('the plain-text part', () => {
  let p: Project;
  beforeAll(() => {
    p = project();
  });
  afterAll(() => p.cleanup());

  for (const [id, list] of [
    [BERGRUM_SV, 'nyheter'],
    [BERGRUM_EN, 'news'],
    [ELCYKEL_SV, 'nyheter'],
  ] as const) {
    it(`matches the expected text of ${id}`, async () => {
      const { config, release } = await p.load();
      const template = await renderOk(config, release(id), list);
      const { text } = fillSlots(template, sampleRecipient(config, release(id).lang));
      expect(text).toBe(readFileSync(path.join(FIXTURES, `${id.replace('/', '-')}.txt`), 'utf8'));
    });
  }
});

describe('Markdown as plain text', () => {
  const render = (md: string) => {
    const refs = new LinkRefs();
    const lines = markdownText(parseMarkdown(md), {
      refs,
      resolveUrl: (url) => new URL(url, 'https://press.example/sv/a/').href,
      imageLabel: 'Bild',
    });
    return { text: lines.join('\n'), refs: refs.urls };
  };

  it('numbers links once per URL and leaves visible URLs and addresses alone', () => {
    const { text, refs } = render(
      'Se [rapporten](https://x.example/r) och [igen](https://x.example/r), [sidan](../b/), ' +
        '<https://x.example/plain> och [Karin](mailto:karin@x.example) eller [mejla](mailto:karin@x.example).',
    );
    expect(text).toBe(
      'Se rapporten [1] och igen [1], sidan [2], https://x.example/plain och\nKarin (karin@x.example) eller mejla (karin@x.example).',
    );
    expect(refs).toEqual(['https://x.example/r', 'https://press.example/sv/b/']);
  });

  it('renders nested and ordered lists, quotes, code, tables and images', () => {
    const { text } = render(
      [
        '### Detaljer',
        '',
        '1. Ett',
        '2. Två med en lång rad som måste brytas eftersom den är längre än sjuttiotvå tecken',
        '   - inre punkt',
        '',
        '> Citat som löper',
        '> över två rader.',
        '',
        '```',
        'kod  med  mellanslag',
        '```',
        '',
        '| A | B |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '![Karta över området](karta.png)',
        '',
        '---',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        'Detaljer',
        '',
        '1. Ett',
        '2. Två med en lång rad som måste brytas eftersom den är längre än',
        '   sjuttiotvå tecken',
        '   - inre punkt',
        '',
        '> Citat som löper över två rader.',
        '',
        '    kod  med  mellanslag',
        '',
        'A | B',
        '1 | 2',
        '',
        '[Bild: Karta över området]',
        '',
        '--------------------',
      ].join('\n'),
    );
  });

  it('drops raw HTML tags but keeps their text', () => {
    expect(render('<div class="x">Hej &amp; <b>välkommen</b></div>').text).toBe('Hej & välkommen');
  });
});
