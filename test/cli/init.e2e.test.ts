import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/core/yaml.js';
import { PLACEHOLDERS } from '../../src/content/placeholders.js';
import { BIN, cleanEnv, exampleProject, runScs, tempDir } from '../helpers/scs.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const temp = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

const FLAGS = ['--name', 'Umeå kommun', '--url', 'https://press.umea.se', '--from', 'Press@Umea.se'];
type Json = { code: string; file: string; line: number; column: number; message: string; hint: string };
const checkJson = (dir: string) => {
  const r = runScs(['check', '--format', 'json'], { cwd: dir });
  return { code: r.code, diagnostics: JSON.parse(r.stdout) as Json[] };
};
const releaseFiles = (dir: string) =>
  readdirSync(path.join(dir, 'releases'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(dir, 'releases', f));

describe('scs init', () => {
  it('prints what it created as JSON with --json', () => {
    const root = temp();
    const r = runScs(['init', 'rum', ...FLAGS, '--json'], { cwd: root });
    expect(r.code).toBe(0);
    const { created } = JSON.parse(r.stdout) as { created: string[] };
    expect(created).toContain(path.join('rum', 'scs.config.yml'));
    expect(created.some((f) => f.startsWith(path.join('rum', 'releases')) && f.endsWith('.sv.md'))).toBe(
      true,
    );
  });

  it("writes the organisation's config from the flags, and a draft welcome release that checks clean", () => {
    const root = temp();
    const r = runScs(['init', 'nyhetsrum', ...FLAGS, '--lang', 'en,sv'], { cwd: root });
    expect(r.stderr).toContain('The welcome release is a draft.');
    expect(r.code).toBe(0);
    const dir = path.join(root, 'nyhetsrum');
    const text = readFileSync(path.join(dir, 'scs.config.yml'), 'utf8');
    expect(text).not.toMatch(/stadslabbet|Norrsken|karin/i);
    const config = parseYaml(text, 'scs.config.yml').value as {
      organization: { name: string };
      languages: string[];
      defaultLanguage: string;
      site: { baseUrl: string };
      newsletter: { from: { name: string; email: string }; lists: Record<string, { lang: string }> };
    };
    expect(config.organization.name).toBe('Umeå kommun');
    expect(config.languages).toEqual(['en', 'sv']);
    expect(config.defaultLanguage).toBe('en');
    expect(config.site.baseUrl).toBe('https://press.umea.se/');
    expect(config.newsletter.from).toEqual({ name: 'Umeå kommun', email: 'Press@umea.se' });
    expect(Object.values(config.newsletter.lists).map((l) => l.lang)).toEqual(['en', 'sv']);
    const [welcome, ...others] = releaseFiles(dir);
    expect(others).toEqual([]);
    expect(welcome).toMatch(/\.en\.md$/);
    expect(readFileSync(welcome!, 'utf8')).toMatch(/^draft: true$/m);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/\.scs\/[\s\S]*public\//);
    expect(runScs(['check'], { cwd: dir }).code).toBe(0);
    // The welcome release is scaffold text: published as it is, the check stops it.
    writeFileSync(welcome!, readFileSync(welcome!, 'utf8').replace(/^draft: true\n/m, ''));
    const undrafted = checkJson(dir);
    expect(undrafted.code).toBe(1);
    expect(new Set(undrafted.diagnostics.map((d) => d.code))).toEqual(new Set(['placeholder-left']));
  });

  it('without a terminal, names the flags it misses, checks them all at once, and writes nothing', () => {
    const root = temp();
    const bare = runScs(['init', '--lang', 'sv'], { cwd: root });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('scs init needs --name, --url, --from when it cannot ask (no terminal).');
    const bad = runScs(
      ['init', '--name', 'X', '--url', 'press.umea.se', '--from', 'press@', '--lang', 'sv,fi'],
      { cwd: root },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('The site URL "press.umea.se" is not an absolute URL.');
    expect(bad.stderr).toContain('The sender "press@" is not a valid address');
    expect(bad.stderr).toContain('scs cannot write a newsroom in "fi".');
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a folder that is not empty', () => {
    const root = temp();
    expect(runScs(['init', 'rum', ...FLAGS], { cwd: root }).code).toBe(0);
    const again = runScs(['init', 'rum', ...FLAGS], { cwd: root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');
  });

  it('on a terminal asks for each answer, with defaults, and again after a wrong one', async () => {
    const root = temp();
    // `script` runs scs on a pseudo-terminal; each answer is typed once its question is shown.
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} init rum`, '/dev/null'], {
      cwd: root,
      env: cleanEnv(),
    });
    const answers: [RegExp, string][] = [
      [/Organisation name: /, 'Stadsbiblioteket'],
      [/\(site URL\): /, 'ftp://bibliotek.se'],
      [/not an http\(s\) URL[\s\S]*\(site URL\): /, 'https://www.bibliotek.se'],
      [/Languages, the default first \[sv,en\]: /, ''],
      [/Newsletter sender address \[press@bibliotek\.se\]: /, ''],
    ];
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const next = answers[0];
      if (next?.[0].test(output)) {
        answers.shift();
        output = '';
        child.stdin.write(`${next[1]}\n`);
      }
    });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    expect(answers).toEqual([]);
    expect(code).toBe(0);
    const text = readFileSync(path.join(root, 'rum', 'scs.config.yml'), 'utf8');
    expect(text).toContain('name: "Stadsbiblioteket"');
    expect(text).toContain('baseUrl: "https://www.bibliotek.se/"');
    expect(text).toContain('languages: [sv, en]');
    expect(text).toContain('email: "press@bibliotek.se"');
  });
});

describe('placeholder-left', () => {
  it('reports every placeholder "scs new" wrote once the draft mark is gone, with file, line and column', () => {
    const p = exampleProject();
    cleanups.push(p.cleanup);
    for (const lang of Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[]) {
      const made = runScs(['new', `Halvfärdig nyhet ${lang}`, '--lang', lang, '--now', '2026-11-26T10:00'], {
        cwd: p.dir,
      });
      expect(made.code).toBe(0);
      expect(checkJson(p.dir).code).toBe(0);
      const file = made.stdout.trim();
      const abs = path.join(p.dir, file);
      const text = readFileSync(abs, 'utf8').replace(/^draft: true\n/m, '');
      writeFileSync(abs, text);
      const lines = text.split('\n');
      const expected = Object.values(PLACEHOLDERS[lang]).map((placeholder) => {
        const line = lines.findIndex((l) => l.includes(placeholder));
        return { line: line + 1, column: lines[line]!.indexOf(placeholder) + 1 };
      });
      const r = checkJson(p.dir);
      expect(r.code).toBe(1);
      const found = r.diagnostics.filter((d) => d.file === file);
      expect(found.map((d) => d.code)).toEqual(expected.map(() => 'placeholder-left'));
      expect(found.map(({ line, column }) => ({ line, column }))).toEqual(expected);
      expect(found[0]!.hint).toContain('draft: true');
      writeFileSync(abs, text.replace('---\n\n', 'draft: true\n---\n\n'));
    }
    expect(checkJson(p.dir).code).toBe(0);
  });
});
