import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, readConfig } from '../../src/config/load.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { REPO, tempDir } from '../helpers/scs.js';

const MINIMAL = `organization:
  name: Testbolaget
site:
  baseUrl: https://press.test.example
  name: Testpress
`;

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function project(yaml: string) {
  const t = tempDir();
  cleanup = t.cleanup;
  writeFileSync(path.join(t.dir, 'scs.config.yml'), yaml);
  return t.dir;
}

const codes = (yaml: string) =>
  readConfig({ root: project(yaml), env: {} }).diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);

describe('loadConfig', () => {
  it('fills every default into one typed object', () => {
    const config = loadConfig({ root: project(MINIMAL), env: {} });
    expect(config.timeZone).toBe('Europe/Stockholm');
    expect(config.languages).toEqual(['sv', 'en']);
    expect(config.defaultLanguage).toBe('sv');
    expect(config.site.baseUrl).toBe('https://press.test.example/');
    expect(config.site.languageBaseUrls).toEqual({
      sv: 'https://press.test.example/sv/',
      en: 'https://press.test.example/en/',
    });
    expect(config.site.name).toEqual({ sv: 'Testpress', en: 'Testpress' });
    expect(config.site.pageSize).toBe(20);
    expect(config.newsletter.maxAgeMs).toBe(3 * 86400000);
    expect(config.newsletter.from).toEqual({ name: 'Testbolaget', email: 'press@press.test.example' });
    expect(config.newsletter.endpoint).toBe('https://press.test.example/newsletter/');
    expect(config.newsletter.delivery.concurrency).toBeGreaterThan(0);
    expect(config.env.database).toBe(path.join(config.root, '.scs/scs.db'));
    expect(config.env.smtpUrl).toBeUndefined();
  });

  it('takes secrets only from the environment, and CLI overrides win over the file', () => {
    const root = project(MINIMAL);
    const config = loadConfig({
      root,
      env: { SCS_SMTP_URL: 'smtp://127.0.0.1:2525', SCS_SECRET: 's3cret', SCS_DATABASE: 'x.db' },
      overrides: { baseUrl: 'https://staging.test.example/', outDir: 'dist-site' },
    });
    expect(config.env).toMatchObject({
      smtpUrl: 'smtp://127.0.0.1:2525',
      secret: 's3cret',
      database: path.join(root, 'x.db'),
    });
    expect(config.site.baseUrl).toBe('https://staging.test.example/');
    expect(config.site.languageBaseUrls.en).toBe('https://staging.test.example/en/');
    expect(config.site.outDir).toBe(path.join(root, 'dist-site'));
  });

  it('reuses a valid config until the file changes, one entry per set of overrides, never storing secrets', () => {
    const root = project(MINIMAL);
    const env = { SCS_SECRET: 'hemligt-1', SCS_DKIM_PRIVATE_KEY: 'nyckel' };
    const first = loadConfig({ root, env });
    const cacheFile = path.join(root, '.scs/cache/config/config.json');
    expect(existsSync(cacheFile)).toBe(true);
    expect(readFileSync(cacheFile, 'utf8')).not.toMatch(/hemligt|nyckel/);
    // From the cache: the same object, with the secrets of this run's environment.
    expect(loadConfig({ root, env })).toEqual(first);
    expect(loadConfig({ root, env: {} }).env).toEqual({ database: path.join(root, '.scs/scs.db') });
    expect(loadConfig({ root, env, overrides: { outDir: 'ut' } }).site.outDir).toBe(path.join(root, 'ut'));
    // `scs check` and `scs build --out ut` in turn: each keeps its entry.
    const outDirs = () =>
      (
        JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: { config: { site: { outDir: string } } }[] }
      ).entries
        .map((e) => path.relative(root, e.config.site.outDir))
        .sort();
    expect(outDirs()).toEqual(['public', 'ut']);
    expect(loadConfig({ root, env })).toEqual(first);
    expect(outDirs()).toEqual(['public', 'ut']);
    writeFileSync(path.join(root, 'scs.config.yml'), MINIMAL.replace('Testpress', 'Ny press'));
    expect(loadConfig({ root, env }).site.name.sv).toBe('Ny press');
    // A config with errors is reported every time, and never cached.
    writeFileSync(path.join(root, 'scs.config.yml'), `${MINIMAL}timeZone: Europe/Atlantis\n`);
    for (let i = 0; i < 2; i++)
      expect(readConfig({ root, env }).diagnostics.map((d) => d.code)).toEqual(['config-timezone-invalid']);
  });

  it('loads the example newsroom', () => {
    const config = loadConfig({ root: REPO, env: {} });
    expect(Object.keys(config.contacts)).toContain('karin-holmqvist');
    expect(config.contacts['karin-holmqvist']!.phone?.e164).toBe('+4690164520');
    expect(config.newsletter.lists.nyheter!.lang).toBe('sv');
  });

  it('reports every problem with its line and column', () => {
    expect(
      codes(`organization:
  name: Testbolaget
timeZone: Europe/Stokholm
languages: [sv, en]
defaultLanguage: fi
site:
  baseUrl: ftp://press.test.example
  name: { sv: Press, de: Presse }
  pageSze: 10
contacts:
  anna:
    name: Anna
    email: anna-at-example
    phone: "12"
newsletter:
  from: { name: X, email: press@test.example }
  maxAge: tre dagar
`),
    ).toEqual(['7:12 config-field-format', '9:3 config-field-unknown', '13:12 config-email-invalid']);
    expect(
      codes(`organization:
  name: Testbolaget
timeZone: Europe/Stokholm
defaultLanguage: fi
site:
  baseUrl: https://press.test.example
  name: { sv: Press, de: Presse }
contacts:
  anna:
    name: Anna
    email: anna@test.example
    phone: "12"
newsletter:
  from: { name: X, email: press@test.example }
  maxAge: tre dagar
  lists:
    nyheter: { lang: fi, name: Nyheter, topics: [okänt] }
`),
    ).toEqual([
      '3:11 config-timezone-invalid',
      '4:18 config-language-unknown',
      '7:22 config-language-unknown',
      '12:12 config-phone-invalid',
      '15:11 config-duration-invalid',
      '17:22 config-language-unknown',
      '17:50 config-topic-unknown',
    ]);
  });

  it('takes press lists, and refuses a press list with a field of the public form', () => {
    const lists = (extra: string) => `${MINIMAL}newsletter:
  from: { name: Press, email: press@test.example }
  endpoint: https://press.test.example/nl/
  lists:
    redaktioner:
      lang: sv
      name: Redaktioner
      audience: press
${extra}`;
    expect(loadConfig({ root: project(lists('')), env: {} }).newsletter.lists.redaktioner?.audience).toBe(
      'press',
    );
    expect(codes(lists('      description: Anmäl dig här\n'))).toEqual(['14:7 press-list-public-field']);
  });

  it('suggests the key that was meant', () => {
    const [d] = readConfig({ root: project(`${MINIMAL}newsleter: {}\n`), env: {} }).diagnostics;
    expect(d).toMatchObject({ code: 'config-field-unknown', line: 6, column: 1 });
    expect(d!.hint).toContain('Did you mean "newsletter"?');
  });

  it('reports YAML syntax errors and a missing file as diagnostics; loadConfig throws them with exit code 2', () => {
    expect(codes('organization: [unclosed\n')[0]).toMatch(/config-yaml-syntax/);
    const t = tempDir();
    cleanup = t.cleanup;
    const missing = readConfig({ root: t.dir, env: {} });
    expect(missing.diagnostics[0]).toMatchObject({ code: 'config-missing' });
    expect(missing.diagnostics[0]!.hint).toContain('scs init');
    try {
      loadConfig({ root: t.dir, env: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScsError);
      expect((e as ScsError).exitCode).toBe(2);
    }
  });
});
