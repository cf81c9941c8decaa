import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScs } from '../helpers/scs.js';
import { build, FIXTURES, fixtureProject, listTree } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * The fixture site (test/fixtures/site/basic/input) built at a fixed clock must equal
 * test/fixtures/site/basic/expected byte for byte. After an intended change to templates or pages,
 * regenerate it with UPDATE_GOLDEN=1 and review the diff.
 */
function expectGolden(out: string) {
  const expected = path.join(FIXTURES, 'basic', 'expected');
  if (process.env.UPDATE_GOLDEN) {
    rmSync(expected, { recursive: true, force: true });
    mkdirSync(expected, { recursive: true });
    cpSync(out, expected, { recursive: true });
  }
  const files = listTree(out);
  expect(files).toEqual(listTree(expected));
  for (const file of files) {
    const actual = readFileSync(path.join(out, file));
    const wanted = readFileSync(path.join(expected, file));
    if (/\.(?:html|xml|txt|css|js)$/.test(file))
      expect(actual.toString('utf8'), file).toBe(wanted.toString('utf8'));
    else expect(actual.equals(wanted), file).toBe(true);
  }
}

describe('golden output of the fixture site', () => {
  it('writes exactly the expected files with exactly the expected content', async () => {
    const project = fixtureProject();
    cleanups.push(project.cleanup);
    const result = await build(project.dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expectGolden(path.join(project.dir, 'public'));
  });

  it('is what the real binary writes too (bundled, with the templates compiled ahead)', () => {
    const project = fixtureProject();
    cleanups.push(project.cleanup);
    // NOW in the fixture's time zone.
    const r = runScs(['build', '--no-search', '--now', '2026-04-01T12:00'], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(0);
    expectGolden(path.join(project.dir, 'public'));
  });
});
