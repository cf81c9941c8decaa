import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue, type Code, report } from '../../src/core/catalogue/index.js';
import { diagnosticsTable, explainCode, explanation } from '../../src/core/catalogue/explain.js';
import { ScsError } from '../../src/core/diagnostic.js';

const REPO = path.join(import.meta.dirname, '../..');
const SRC = path.join(REPO, 'src');
const CATALOGUE = path.join('core', 'catalogue');
const codes = Object.keys(catalogue) as Code[];

/** Every quoted string in src outside the catalogue: where codes are used. */
function quotedInSource(): Set<string> {
  const found = new Set<string>();
  for (const f of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.ts') || f.startsWith(CATALOGUE)) continue;
    for (const m of readFileSync(path.join(SRC, f), 'utf8').matchAll(/'([a-z][a-z0-9-]*)'/g))
      found.add(m[1]!);
  }
  return found;
}

describe('the catalogue of diagnostics', () => {
  it('is what the README lists between its markers (else run npm run docs:diagnostics)', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = /<!-- diagnostics:begin -->\n([\s\S]*?)\n<!-- diagnostics:end -->/.exec(readme)?.[1];
    expect(table, 'README.md has the markers around its table of codes').toBeDefined();
    expect(table, 'the README table differs from the catalogue: run "npm run docs:diagnostics"').toBe(
      diagnosticsTable(),
    );
  });

  it('holds only codes that src uses (spelled out, in quotes)', () => {
    const used = quotedInSource();
    expect(codes.filter((code) => !used.has(code))).toEqual([]);
    expect(codes.length).toBeGreaterThan(130);
  });

  it('gives every code a title, a message and, for errors, a hint', () => {
    for (const code of codes) {
      const e = explanation(code);
      expect(e.title.length, code).toBeGreaterThan(10);
      expect(e.title, code).not.toMatch(/\.$/);
      expect(typeof catalogue[code].message, code).toBe('function');
      if (e.severity === 'error') expect(e.hint?.length ?? 0, code).toBeGreaterThan(3);
    }
  });

  it('makes diagnostics from an entry, its arguments and where they point', () => {
    expect(report('slug-duplicate', { slug: 'a', other: 'b.md', lang: 'sv', file: 'c.md', line: 3 })).toEqual(
      {
        code: 'slug-duplicate',
        severity: 'error',
        message: 'The slug "a" is already used by b.md (language sv).',
        hint: 'Give one of them another "slug:" so their pages get different addresses.',
        file: 'c.md',
        line: 3,
      },
    );
    const unknown = report('topic-unknown', { topic: 'enrgy', didYouMean: ' Did you mean "energy"?' });
    expect(unknown.hint).toBe('Declare it under "topics" in the config. Did you mean "energy"?');
    expect(report('site-image-missing', { url: 'x.png', severity: 'warning' }).severity).toBe('warning');
    expect(report('file-empty')).toEqual({
      code: 'file-empty',
      severity: 'error',
      message: 'The release file is empty.',
      hint: 'Add frontmatter (title, date, lang) and a body, or delete the file. "scs new" writes a template.',
    });
  });
});

describe('explainCode', () => {
  it('tells the title, severity and hint of a code (as printed, brackets too), and its README row', () => {
    expect(explainCode('[image-missing]')).toEqual({
      code: 'image-missing',
      severity: 'error',
      title: 'A local image that does not exist',
      hint: 'Put the image at <path> or fix the path (relative to the release file).',
      readme: 'README.md#code-image-missing',
    });
    expect(readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain('<a id="code-image-missing"></a>');
  });

  it('refuses an unknown code with a usage error that suggests the nearest', () => {
    let thrown: unknown;
    try {
      explainCode('feild-unknown');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScsError);
    const error = thrown as ScsError;
    expect(error.exitCode).toBe(2);
    expect(error.diagnostics[0]).toMatchObject({
      code: 'usage',
      message: '"feild-unknown" is not a diagnostic code of scs.',
    });
    expect(error.diagnostics[0]!.hint).toContain('Did you mean "field-unknown"?');
  });
});
