import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, changed, FIXTURES, inodes, read, throwaway } from './helpers.js';

// Issue 13: every file's cache key is a hash of the data it is made from. For each page kind, a change
// to one piece of what it shows makes a warm build write exactly the files that show it, and
// SCS_VERIFY_CACHE finds every file it skipped the same as one made afresh.
// test/fixtures/site/keys/cases/<case>/case.json: the edit (in `file`, `from` becomes `to`) and the files
// it must write.
interface KeyCase {
  about: string;
  file: string;
  from: string;
  to: string;
  written: string[];
}

const CASES = path.join(FIXTURES, 'keys', 'cases');
const cases = readdirSync(CASES)
  .sort()
  .map((name) => ({
    name,
    ...(JSON.parse(readFileSync(path.join(CASES, name, 'case.json'), 'utf8')) as KeyCase),
  }));

const tmp = throwaway();
const verify = { verifyCache: true };

function edit(dir: string, file: string, from: string, to: string) {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  expect(text, `${file} holds the text to change`).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

/** A built copy of the fixture project, built a second time so that its spare output is warm too. */
async function warmProject() {
  const dir = tmp.project('keys');
  expect((await build(dir, verify)).ok).toBe(true);
  expect((await build(dir, verify)).written).toBe(0);
  return { dir, out: path.join(dir, 'public') };
}

describe('cache keys derived from the data of each page', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.about}`, async () => {
      const { dir, out } = await warmProject();
      const before = inodes(out);
      edit(dir, c.file, c.from, c.to);
      const r = await build(dir, verify);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.ok).toBe(true);
      expect(changed(before, inodes(out))).toEqual({ written: c.written, added: [], removed: [] });
      expect(r.written).toBe(c.written.length);
    });
  }

  it("a press contact's phone in the config: the contacts pages, the vCards and the pages naming the contact show it", async () => {
    const { dir, out } = await warmProject();
    const before = inodes(out);
    // The config is part of every key (with the code and templates): what it changes is made again.
    edit(dir, 'scs.config.yml', 'phone: 08-555 120 40', 'phone: 08-555 120 41');
    const r = await build(dir, verify);
    expect(r.ok && r.diagnostics.every((d) => d.severity !== 'error')).toBe(true);
    const { written } = changed(before, inodes(out));
    for (const page of [
      'sv/contacts/index.html',
      'en/contacts/index.html',
      'sv/contacts/maja-berg.vcf',
      'en/contacts/maja-berg.vcf',
      'sv/2026/03/05/rederiet-koper-en-ny-farja/index.html',
    ]) {
      expect(written).toContain(page);
      expect(read(out, page)).toMatch(/\+46\s?8\s?555\s?120\s?41|\+46855512041/);
    }
  });
});
