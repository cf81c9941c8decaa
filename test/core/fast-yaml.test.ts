import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fastYaml } from '../../src/core/fast-yaml.js';
import { splitFrontmatter } from '../../src/content/frontmatter.js';
import { REPO } from '../helpers/scs.js';

/** The fast reader must agree with the full YAML parser whenever it answers at all. */
const agrees = (text: string) => {
  const fast = fastYaml(text);
  if (fast !== undefined) expect(fast).toEqual(parse(text));
  return fast;
};

describe('fastYaml', () => {
  it.each([
    'title: Hej\ndate: 2026-01-10\ndraft: false\nnewsletter: true\n',
    "title: \"Citerad: med kolon\"\nlead: 'It''s here'\n",
    'topics: [energi, "vatten", \'avfall\']\ncontacts: []\n',
    'n: 12\nf: 1.5\ne: 1e3\nneg: -4\nz: ~\nnull_: null\nempty:\n',
    'image:\n  src: ../images/a.jpg\n  alt: En bild\n',
    'contacts:\n  - anna\n  - name: Per Ek\n    email: per@x.example\n    phone: "+46 10 788 65 82"\n',
    'contacts:\n- anna\n- bertil\n',
    'lead: >-\n  Rad ett\n  rad två\n',
    'body: |\n  rad ett\n  rad två\n',
    '# en kommentar\ntitle: Hej\n\n# till\ndate: 2026-01-10\n',
    'title: Version 2.0 - nu med mer\nslug: version-2-0\n',
    'title: -5 grader\n',
    'title: ":)"\n',
  ])('agrees with the full parser on %j', (text) => {
    expect(agrees(text)).toBeDefined();
  });

  it.each([
    'title: "escape \\n here"\n',
    'title: a: b\n',
    'title: value # comment\n',
    'anchor: &a x\nref: *a\n',
    'tagged: !custom x\n',
    'map: {a: 1}\n',
    'nested:\n  deeper:\n    key: v\n',
    'title: Hej\ntitle: Igen\n',
    'lead: >\n  para ett\n\n  para två\n',
    'title: multi\n  line plain\n',
    'hex: 0x1F\n',
    '\ttabbed: x\n',
    'list: [a, [b]]\n',
  ])('leaves %j to the full parser', (text) => {
    expect(fastYaml(text)).toBeUndefined();
  });

  it('agrees with the full parser on every release and config of the example and the fixtures', () => {
    // The YAML documents scs reads in this repository: each release's frontmatter and each scs.config.yml.
    const documents = ['releases', 'test/fixtures', 'scs.config.yml', 'bench/corpus.config.yml'].flatMap(
      (top) => {
        const at = path.join(REPO, top);
        const files = top.endsWith('.yml')
          ? [at]
          : readdirSync(at, { recursive: true, encoding: 'utf8' })
              .filter((f) => f.endsWith('.md') || f.endsWith('scs.config.yml'))
              .map((f) => path.join(at, f))
              // A fixture names a folder like a release.
              .filter((f) => statSync(f).isFile());
        return files.flatMap((file) => {
          const text = readFileSync(file, 'utf8');
          if (!file.endsWith('.md')) return [{ file, yaml: text }];
          const split = splitFrontmatter(text);
          // Fixtures of a missing or unclosed frontmatter have no YAML to read.
          return split.ok ? [{ file, yaml: split.yaml }] : [];
        });
      },
    );
    expect(documents.length).toBeGreaterThanOrEqual(90);
    let answered = 0;
    for (const { file, yaml } of documents) {
      let full: unknown;
      try {
        full = parse(yaml);
      } catch {
        // Bad YAML (a fixture of it) is the full parser's to report: the fast reader must decline it.
        expect(fastYaml(yaml), path.relative(REPO, file)).toBeUndefined();
        continue;
      }
      const fast = fastYaml(yaml);
      if (fast !== undefined) {
        answered++;
        expect(fast, path.relative(REPO, file)).toEqual(full);
      }
    }
    // Most documents take the fast path (configs nest deeper and go to the full parser), or this tests little.
    expect(answered).toBeGreaterThan(documents.length * 0.75);
  });

  it('reads every example release itself', () => {
    const dir = path.join(REPO, 'releases');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const split = splitFrontmatter(readFileSync(path.join(dir, f), 'utf8'));
      if (!split.ok) throw new Error(f);
      expect(agrees(split.yaml), f).toBeDefined();
    }
  });
});
