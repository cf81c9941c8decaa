import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { usageError } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';
import type { InitField } from '../../content/scaffold.js';
import type { Cli } from '../context.js';
import { formatDiagnostics } from '../output.js';

interface InitFlags {
  name?: string;
  url?: string;
  lang?: string;
  from?: string;
}

/** Each answer, its flag and its question, in the order they are asked. */
const QUESTIONS: { field: InitField; flag: keyof InitFlags; question: string }[] = [
  { field: 'name', flag: 'name', question: 'Organisation name' },
  { field: 'url', flag: 'url', question: 'Address of the press archive (site URL)' },
  { field: 'languages', flag: 'lang', question: 'Languages, the default first' },
  { field: 'from', flag: 'from', question: 'Newsletter sender address' },
];

const DEFAULT_LANGUAGES = 'sv,en';

export function initCommand(cli: Cli): Command {
  return new Command('init')
    .description(
      "Set up a new newsroom in an empty folder: your organisation's config, releases/ with a draft welcome release, .gitignore. Asks for what the flags do not give when run in a terminal.",
    )
    .argument('[dir]', 'the folder (created if missing)', '.')
    .option('--name <name>', "the organisation's name")
    .option('--url <url>', 'the address of the press archive, e.g. https://press.your-organisation.se/')
    .option('--lang <langs>', `languages, comma-separated, the default first (default ${DEFAULT_LANGUAGES})`)
    .option('--from <email>', 'the newsletter sender address (default on a terminal: press@ the site domain)')
    .action(async (dir: string, flags: InitFlags & { json?: boolean }) => {
      const scaffold = await import('../../content/scaffold.js');
      const target = path.resolve(cli.cwd, dir);
      scaffold.checkInitFolder(target);
      const answers = process.stdin.isTTY ? await ask(cli, flags) : fromFlags(flags);
      if (!answers) return;
      const { settings, diagnostics } = scaffold.initSettings(answers);
      if (!settings) throw new ScsError(diagnostics, 2);
      const files = scaffold.planInit(target, settings, new Date());
      scaffold.writeNewFiles(files, target);
      const created = files.map((f) => path.relative(cli.cwd, f.path));
      if (flags.json) cli.json({ created });
      else for (const f of created) cli.out(`created ${f}`);
      const cd = path.relative(cli.cwd, target);
      cli.err(
        `\nThe welcome release is a draft. Next: ${cd ? `cd ${cd} && ` : ''}scs check, then add contacts and an "About us" text to scs.config.yml.`,
      );
    });
}

/** Without a terminal nothing can be asked: the flags must say it all. */
function fromFlags(flags: InitFlags): Record<InitField, string> {
  const missing = QUESTIONS.filter((q) => q.flag !== 'lang' && flags[q.flag] === undefined).map(
    (q) => `--${q.flag}`,
  );
  if (missing.length) {
    throw usageError(
      `scs init needs ${missing.join(', ')} when it cannot ask (no terminal).`,
      'For example: scs init --name "Umeå kommun" --url https://press.umea.se/ --from press@umea.se --lang sv,en',
    );
  }
  return {
    name: flags.name!,
    url: flags.url!,
    languages: flags.lang ?? DEFAULT_LANGUAGES,
    from: flags.from!,
  };
}

/**
 * On a terminal: asks for each answer the flags do not give (or give wrongly), with a default where
 * there is a sensible one, and asks again until the answer is valid. Undefined when the user stops.
 */
async function ask(cli: Cli, flags: InitFlags): Promise<Record<InitField, string> | undefined> {
  const { INIT_FIELDS, suggestedSender } = await import('../../content/scaffold.js');
  const rl = createInterface({ input: process.stdin, output: cli.stderr });
  const stop = new AbortController();
  rl.on('SIGINT', () => stop.abort());
  rl.on('close', () => stop.abort());
  const answers: Partial<Record<InitField, string>> = {};
  const defaults: Partial<Record<InitField, () => string>> = {
    languages: () => DEFAULT_LANGUAGES,
    // Asked after the URL, which is valid by then.
    from: () => suggestedSender(answers.url!),
  };
  try {
    for (const q of QUESTIONS) {
      let answer = flags[q.flag];
      for (;;) {
        if (answer !== undefined) {
          const checked = INIT_FIELDS[q.field](answer);
          if (checked.ok) break;
          cli.err(formatDiagnostics([checked.diagnostic], 'pretty', { root: cli.cwd, color: cli.color }));
        }
        const fallback = defaults[q.field]?.();
        const typed = await rl.question(`${q.question}${fallback ? ` [${fallback}]` : ''}: `, {
          signal: stop.signal,
        });
        answer = typed.trim() || fallback || '';
      }
      answers[q.field] = answer;
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
    cli.err('\nStopped: nothing was written.');
    cli.exit(130);
    return undefined;
  } finally {
    rl.close();
  }
  return answers as Record<InitField, string>;
}
