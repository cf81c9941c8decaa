import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../../src/content/frontmatter.js';
import { quickFrontmatter } from '../../src/content/quick-frontmatter.js';
import { frontmatterSchema } from '../../src/content/schema.js';
import { parseYaml } from '../../src/core/yaml.js';
import { REPO } from '../helpers/scs.js';

/** The frontmatter of every release in the example newsroom and the check fixtures that has one. */
function frontmatters(): { file: string; value: Record<string, unknown> }[] {
  const files = ['releases', 'test/fixtures/check', 'test/fixtures/site'].flatMap((dir) =>
    readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(REPO, dir, f)),
  );
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const split = splitFrontmatter(text);
    if (!split.ok) return [];
    const yaml = parseYaml(split.yaml, file, split.yamlLine);
    const value = yaml.value;
    if (yaml.diagnostics.length || !value || typeof value !== 'object' || Array.isArray(value)) return [];
    return [{ file, value: value as Record<string, unknown> }];
  });
}

const base = {
  title: '  Vattentornet får nytt ljus ',
  date: '2026-05-04T09:30',
  lang: 'sv',
  type: 'news',
  lead: ' Ingressen. ',
  image: { src: 'tornet.jpg', alt: 'Vattentornet i kvällsljus', credit: 'Foto: Kommunen' },
  contacts: ['anna-lind'],
  boilerplate: 'kommunen',
  topics: ['energi'],
  translationKey: 'tornet',
  embargo: '2026-05-04T08:00',
  draft: false,
  newsletter: true,
  slug: 'vattentornet',
};

/** Variants of a valid frontmatter, most of them not valid. */
const variants: Record<string, unknown>[] = [
  base,
  { title: 'Kort', date: '2026-05-04' },
  { ...base, unknown: 1 },
  { ...base, title: '   ' },
  { ...base, title: 42 },
  { ...base, date: null },
  { ...base, type: 'blog' },
  { ...base, lead: '  ' },
  { ...base, lead: null },
  { ...base, lang: 7 },
  { ...base, image: { src: '' } },
  { ...base, image: { src: 'a.jpg', width: 3 } },
  { ...base, image: 'a.jpg' },
  { ...base, image: { src: 'a.jpg', alt: 5 } },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna@example.org' }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'inte-en-adress' }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: "o'neil@example.org", role: 'vd', phone: 46701234567 }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna@example.org', role: '' }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna@example.org', twitter: '@anna' }] },
  { ...base, contacts: [{ name: '', email: 'anna@example.org' }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna@example.org', phone: Number.NaN }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna@example.org', phone: Number.POSITIVE_INFINITY }] },
  { ...base, contacts: [{ name: 'Anna Lind', email: 'anna..lind@example.org' }] },
  { ...base, contacts: 'anna-lind' },
  { ...base, topics: ['energi', 3] },
  { ...base, boilerplate: '' },
  { ...base, translationKey: '' },
  { ...base, draft: 'yes' },
  { ...base, newsletter: null },
  { ...base, slug: ['a'] },
  { ...base, embargo: 20260504 },
  { ...base, title: undefined },
];

describe('quickFrontmatter', () => {
  it('gives what the schema gives, or leaves the judgement to it', () => {
    const schema = frontmatterSchema();
    let quick = 0;
    for (const value of [...frontmatters().map((f) => f.value), ...variants]) {
      const fast = quickFrontmatter(value);
      const checked = schema.safeParse(value);
      if (fast === undefined) continue;
      quick++;
      expect(checked.success, JSON.stringify(value)).toBe(true);
      expect(fast, JSON.stringify(value)).toEqual(checked.data);
    }
    expect(quick).toBeGreaterThan(20);
  });

  it('takes every release of the example newsroom, and none with a problem the schema reports', () => {
    const all = frontmatters();
    for (const { file, value } of all.filter((f) => f.file.startsWith(path.join(REPO, 'releases'))))
      expect(quickFrontmatter(value), file).toBeDefined();
    for (const value of variants.slice(2)) {
      if (!frontmatterSchema().safeParse(value).success) expect(quickFrontmatter(value)).toBeUndefined();
    }
  });
});
