import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { checkProject } from '../../src/content/check.js';
import { catalogue } from '../../src/core/catalogue/index.js';
import { expectedJson } from '../helpers/expected.js';
import { tempDir } from '../helpers/scs.js';

/**
 * One folder per bad-input case under test/fixtures/check/<case>/: releases/ as input and
 * expected.json with the diagnostics (file, line, column, code, severity) that `scs check` must report.
 * UPDATE_FIXTURES=1 writes expected.json (review the diff before committing); without it a case
 * with no expected.json fails. A case may bring its own scs.config.yml (newsletter lists, for the
 * newsletter's rules), and is checked at NOW: releases dated after it are ones publish will mail.
 */
const ROOT = path.join(import.meta.dirname, '../fixtures/check');
const CONFIG = path.join(ROOT, 'scs.config.yml');
const NOW = new Date('2026-01-01T00:00:00Z');
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('scs check fixtures', () => {
  it.each(cases)('%s', async (name) => {
    const dir = path.join(ROOT, name);
    const own = path.join(dir, 'scs.config.yml');
    const config = loadConfig({ root: dir, configFile: existsSync(own) ? own : CONFIG, env: {} });
    const result = await checkProject(config, { cache: false, now: NOW });
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
    expect(actual).toEqual(expectedJson(path.join(dir, 'expected.json'), actual));
  });

  it('fails a case without expected.json, and writes it only when asked (UPDATE_FIXTURES=1)', () => {
    const t = tempDir('scs-fixture-');
    try {
      const file = path.join(t.dir, 'expected.json');
      const actual = [{ code: 'field-required' }];
      expect(() => expectedJson(file, actual, false)).toThrow(/expected\.json is missing/);
      expect(existsSync(file)).toBe(false);
      expect(expectedJson(file, actual, true)).toEqual(actual);
      // Once written, it is what later runs compare with.
      expect(expectedJson(file, [], false)).toEqual(actual);
    } finally {
      t.cleanup();
    }
  });
});

/**
 * Codes of the archive's and the newsletter's rules that release content cannot cause: problems of the
 * templates, the environment or the command line, which no fixture of releases can show.
 */
const NOT_FROM_CONTENT: Record<string, string> = {
  'email-dkim-key-invalid': 'the DKIM key in the environment (SCS_DKIM_PRIVATE_KEY)',
  'email-dkim-key-unreadable': 'the DKIM key in the environment (SCS_DKIM_PRIVATE_KEY)',
  'email-list-language': 'a list named on the command line (scs email/send --list)',
  'email-list-missing': 'a list named on the command line (scs email/send --list)',
  'email-list-unknown': 'a list named on the command line (scs email/send --list)',
  'email-mjml-invalid': "the project's email templates",
  'email-template-invalid': "the project's email templates",
  'email-template-unreadable': "the project's email templates",
  'email-strings-invalid': "the project's email strings",
  'email-recipient-invalid': "a subscriber's address in the store",
  'email-write-failed': 'the file system (writing an email to disk)',
  'site-build-locked': 'another build running',
  'site-cache-stale': "scs's own build cache, verified with SCS_VERIFY_CACHE=1",
  'site-link-unpublished':
    'a linked release the build leaves out for errors of its own (check reports links to drafts and later releases: link-unpublished)',
  'site-search-failed': 'Pagefind',
  'site-write-failed': 'the file system (writing the site)',
  'site-strings-invalid': "the project's site strings",
  'site-template-failed': "the project's site templates",
  'site-template-invalid': "the project's site templates",
  'site-template-unreadable': "the project's site templates",
};

/** Every email-* and site-* code: the catalogue holds every code the source can make (and the README's). */
function emailAndSiteCodes(): string[] {
  return Object.keys(catalogue)
    .filter((code) => /^(?:email|site)-/.test(code))
    .sort();
}

describe('every email-* and site-* code', () => {
  it('has a check fixture that catches it, or is a problem release content cannot cause', () => {
    const caught = new Set(
      cases.flatMap((name) => {
        const file = path.join(ROOT, name, 'expected.json');
        return existsSync(file)
          ? (JSON.parse(readFileSync(file, 'utf8')) as { code: string }[]).map((d) => d.code)
          : [];
      }),
    );
    const codes = emailAndSiteCodes();
    expect(codes.length).toBeGreaterThan(20);
    const uncovered = codes.filter((code) => !caught.has(code) && !NOT_FROM_CONTENT[code]);
    expect(uncovered, 'add a case under test/fixtures/check/ (or an exclusion with its reason)').toEqual([]);
    // An exclusion that a fixture covers, or of a code that no longer exists, is stale.
    expect(Object.keys(NOT_FROM_CONTENT).filter((code) => caught.has(code) || !codes.includes(code))).toEqual(
      [],
    );
  });
});
