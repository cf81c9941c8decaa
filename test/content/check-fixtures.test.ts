import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { checkReleases } from '../../src/content/load.js';

/**
 * One folder per bad-input case under test/fixtures/check/<case>/: releases/ as input and
 * expected.json with the diagnostics (file, line, column, code, severity) that `scs check` must report.
 * UPDATE_FIXTURES=1 writes expected.json (review the diff before committing); without it a case
 * with no expected.json fails.
 */
const ROOT = path.join(import.meta.dirname, '../fixtures/check');
const CONFIG = path.join(ROOT, 'scs.config.yml');
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('scs check fixtures', () => {
  it.each(cases)('%s', async (name) => {
    const dir = path.join(ROOT, name);
    const config = loadConfig({ root: dir, configFile: CONFIG, env: {} });
    const result = await checkReleases(config, { cache: false });
    const actual = result.diagnostics.map(({ file, line, column, code, severity }) => ({
      file,
      line,
      column,
      code,
      severity,
    }));
    for (const d of result.diagnostics) {
      expect(d.message.length, `${d.code} has a message`).toBeGreaterThan(10);
      expect(d.hint?.length ?? 0, `${d.code} has a hint`).toBeGreaterThan(10);
    }
    const expectedFile = path.join(dir, 'expected.json');
    if (process.env.UPDATE_FIXTURES) {
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    // A missing expected.json fails: writing it here would approve whatever a new case produces.
    expect(
      existsSync(expectedFile),
      `${path.relative(process.cwd(), expectedFile)} is missing: write it by hand, or run UPDATE_FIXTURES=1 npx vitest run test/content/check-fixtures.test.ts and review it`,
    ).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
});
