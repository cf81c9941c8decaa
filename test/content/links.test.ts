import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadReleases } from '../../src/content/load.js';
import { findLinks, linkIndex, resolveLink, rewriteLinks } from '../../src/content/links.js';

// The check fixture with links of every kind: its releases are the index.
const ROOT = path.join(import.meta.dirname, '../fixtures/check/links');
const config = loadConfig({ root: ROOT, configFile: path.join(ROOT, '../scs.config.yml'), env: {} });
const { releases } = await loadReleases(config, { cache: false });
const index = linkIndex(ROOT, releases);
const from = path.join(ROOT, 'releases/lankar.sv.md');
const resolve = (href: string) => resolveLink(href, from, index);
const idOf = (href: string) => {
  const t = resolve(href);
  return t.kind === 'release' ? `${t.release.id}${t.fragment}` : t.kind;
};

describe('resolveLink', () => {
  it('leads a link to another release file to that release, in the language the file is in', () => {
    expect(idOf('2025/forra.sv.md')).toBe('sv/forra-nyheten');
    expect(idOf('2025/last.en.md#top')).toBe('en/last-year-s-news#top');
    expect(idOf('/releases/2025/forra.sv.md')).toBe('sv/forra-nyheten');
  });

  it('takes <lang>/<slug> as a release id, as on the command line', () => {
    expect(idOf('sv/forra-nyheten')).toBe('sv/forra-nyheten');
    expect(idOf('en/last-year-s-news/')).toBe('en/last-year-s-news');
  });

  it('makes a local file of a known type an attachment, with its type and size', () => {
    expect(resolve('filer/rapport.pdf')).toEqual({
      kind: 'attachment',
      file: path.join(ROOT, 'releases/filer/rapport.pdf'),
      type: 'PDF',
      size: 18,
      fragment: '',
    });
  });

  it('leaves anchors and external links alone', () => {
    expect(resolve('#stycke').kind).toBe('anchor');
    expect(resolve('https://example.org/x.pdf').kind).toBe('external');
    expect(resolve('mailto:a@b.example').kind).toBe('external');
    expect(resolve('//cdn.example/x').kind).toBe('external');
    // markdown-it decodes character references: never a file path (the sanitiser judges it).
    expect(resolve('&#106;avascript:alert(1)').kind).toBe('external');
    expect(resolve('java&colon;alert(1)').kind).toBe('external');
  });

  it('says why a link leads nowhere, and when it leaves the project', () => {
    expect(resolve('saknas.pdf')).toMatchObject({
      kind: 'unresolved',
      reason: expect.stringContaining('saknas.pdf'),
    });
    expect(resolve('mapp/')).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('folder') });
    expect(resolve('filer/anteckning.xyz')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('sv/ingen-sadan')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('../../../../utanfor.pdf').kind).toBe('outside');
    expect(resolve('/../utanfor.pdf').kind).toBe('outside');
  });
});

describe('findLinks', () => {
  it('finds relative links with their line and column, not images, anchors or external links', () => {
    const md = 'Se [a](x.pdf) och ![b](bild.png).\n[c](https://e.example) [d](#e)\n  [f][g]\n\n[g]: y.docx';
    expect(findLinks(md, 10)).toEqual([
      { url: 'x.pdf', line: 10, column: 8 },
      { url: 'y.docx', line: 14, column: 6 },
    ]);
  });
});

describe('rewriteLinks', () => {
  it('replaces the destinations it is given and keeps the rest of the Markdown', () => {
    const md = 'Se [a](x.pdf), [b](https://e.example) och ![c](x.pdf).';
    expect(rewriteLinks(md, (url) => (url === 'x.pdf' ? '/assets/files/x-1.pdf' : undefined))).toBe(
      'Se [a](/assets/files/x-1.pdf), [b](https://e.example) och ![c](x.pdf).',
    );
  });
});
