import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCli } from '../../src/cli/context.js';
import { createProgram } from '../../src/cli/index.js';
import { exampleProject, runScs, tempDir } from '../helpers/scs.js';

let example: ReturnType<typeof exampleProject>;
beforeEach(() => {
  example = exampleProject();
});
afterEach(() => example.cleanup());

/** Every command the program registers, subcommands included, as argument lists ("subscribers add"). */
function registeredCommands(): string[][] {
  const cli = createCli({ stdout: process.stdout, stderr: process.stderr, env: {}, cwd: process.cwd() });
  const paths: string[][] = [];
  const walk = (command: Command, above: string[]) => {
    for (const sub of command.commands) {
      paths.push([...above, sub.name()]);
      walk(sub, [...above, sub.name()]);
    }
  };
  walk(createProgram(cli), []);
  return paths;
}

/** The commands that print a result, and so take --json. */
const PRINTING = [
  'init',
  'new',
  'check',
  'build',
  'email',
  'publish',
  'send',
  'status',
  'doctor',
  'explain',
  'subscribers add',
  'subscribers remove',
  'subscribers list',
  'subscribers reconfirm',
  'subscribers show',
  'subscribers erase',
  'subscribers unsuppress',
  'subscribers import',
  'bounces fetch',
  'bounces report',
  'db status',
  'db migrate',
  'db copy',
];

const SV = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
const SV_FILE = 'releases/2026/2026-10-14-umea-lagrar-sommarvarme-i-gamla-bergrum.sv.md';

describe('one set of habits for every command (the real binary)', () => {
  it('ends every help page with -c/--config among the options, examples and the exit codes', () => {
    const dir = example.dir;
    const commands = [[], ...registeredCommands()];
    expect(commands.length).toBeGreaterThan(15);
    for (const args of commands) {
      const help = runScs([...args, '--help'], { cwd: dir });
      const name = args.join(' ') || 'scs';
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toContain('-c, --config <file>');
      expect(help.stdout, name).toMatch(/\nExamples:\n {2}# .+\n {2}\$ scs /);
      expect(help.stdout, name).toMatch(
        /\nExit codes:\n {2}0 .+\n(?: {2}1 .+\n)? {2}2 {4}usage or configuration error\n/,
      );
      expect(help.stdout.includes('--json'), name).toBe(PRINTING.includes(name));
    }
  });

  it('prints the result as JSON on stdout with --json, and diagnostics on stderr', () => {
    const dir = example.dir;
    // A warning (a title over 120 characters) for the diagnostics to go somewhere.
    const file = path.join(dir, SV_FILE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^title: .*$/m,
        `title: ${'Umeå lagrar sommarvärme '.repeat(6)}\nslug: umea-lagrar-sommarvarme-i-gamla-bergrum`,
      ),
    );
    const json = (args: string[]) => {
      const r = runScs([...args, '--json'], { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return { value: JSON.parse(r.stdout) as Record<string, unknown>, stderr: r.stderr };
    };
    const check = json(['check']);
    expect(check.value).toEqual([expect.objectContaining({ code: 'title-too-long', file: SV_FILE })]);
    const build = json(['build', '--no-search', '--now', '2026-12-01T08:00']);
    expect(build.value).toMatchObject({ ok: true, diagnostics: [{ code: 'title-too-long' }] });
    expect(build.stderr).toContain('[title-too-long]');
    const email = json(['email', SV, '--now', '2026-12-01T08:00']);
    expect(email.value).toMatchObject({ ok: true, release: SV, listId: 'nyheter' });
    expect(email.value.files).toHaveLength(3);
    expect(email.stderr).toContain('[title-too-long]');
    const send = json(['send', SV, '--dry-run', '--now', '2026-12-01T08:00']);
    expect(send.value).toMatchObject({ ok: true, dryRun: true });
    const publish = json(['publish', '--dry-run', '--now', '2026-12-01T08:00']);
    expect(publish.value).toMatchObject({ dryRun: true });
    expect(json(['status']).value).toMatchObject({ dispatches: [] });
    expect(json(['subscribers', 'list']).value).toEqual([]);
    expect(json(['new', 'En ny nyhet', '--date', '2026-12-01']).value).toEqual({
      file: 'releases/2026/2026-12-01-en-ny-nyhet.sv.md',
    });
  });

  it('finds the config in a parent folder, as git does; its paths stay relative to its folder', () => {
    const dir = example.dir;
    const below = path.join(dir, 'releases', '2026');
    const all = runScs(['check'], { cwd: below });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/No problems in 5 files\./);
    const build = runScs(['build', '--no-search', '--json', '--now', '2026-12-01T08:00'], { cwd: below });
    expect(build.code, build.stderr).toBe(0);
    expect((JSON.parse(build.stdout) as { outDir: string }).outDir).toBe(path.join(dir, 'public'));
    expect(existsSync(path.join(dir, 'public', 'index.html'))).toBe(true);
    // Paths on the command line are relative to where scs runs.
    mkdirSync(path.join(dir, 'releases', '2027'), { recursive: true });
    writeFileSync(path.join(dir, 'releases', '2027', 'broken.sv.md'), 'no frontmatter\n');
    const here = runScs(['check', '.', '--json'], { cwd: below });
    expect(JSON.parse(here.stdout)).toEqual([]);
    const there = runScs(['check', '../2027', '--json'], { cwd: below });
    expect(there.code).toBe(1);
    expect(JSON.parse(there.stdout)).toEqual([
      expect.objectContaining({ code: 'frontmatter-missing', file: 'releases/2027/broken.sv.md' }),
    ]);
  });

  it('explains a diagnostic code anywhere, and refuses an unknown one with exit code 2', () => {
    const outside = tempDir();
    try {
      const told = runScs(['explain', '[frontmatter-missing]'], { cwd: outside.dir });
      expect(told.code, told.stderr).toBe(0);
      expect(told.stdout).toBe(
        [
          'frontmatter-missing error: No --- block at the top of the file',
          '  hint: Start the file with a "---" line, the YAML fields (title, date, lang …), and another "---" line.',
          '  more: README.md#code-frontmatter-missing',
          '',
        ].join('\n'),
      );
      const json = runScs(['explain', 'title-too-long', '--json'], { cwd: outside.dir });
      expect(JSON.parse(json.stdout)).toMatchObject({ code: 'title-too-long', severity: 'warning' });
      const unknown = runScs(['explain', 'frontmater-missing'], { cwd: outside.dir });
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain('[usage]');
      expect(unknown.stderr).toContain('Did you mean "frontmatter-missing"?');
    } finally {
      outside.cleanup();
    }
  });
});
