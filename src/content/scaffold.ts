import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { diag, ScsError } from '../core/diagnostic.js';
import { slugify } from '../core/slug.js';
import { localDate, localDateTime, parseDateTime } from '../core/time.js';
import { RELEASE_TYPES, type ReleaseType } from './types.js';

/** A file to write, planned before anything touches the disk. */
export interface PlannedFile {
  /** Absolute path. */
  path: string;
  content: string;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INIT_TEMPLATE = path.join(PACKAGE_ROOT, 'templates', 'init');

export interface NewReleaseOptions {
  title: string;
  lang?: string;
  type?: string;
  /** `YYYY-MM-DD` or a date-time; default today in the configured time zone. */
  date?: string;
  now: Date;
}

const yamlString = (s: string) => JSON.stringify(s);

/** Plans `releases/YYYY/YYYY-MM-DD-<slug>.<lang>.md` with the frontmatter filled from the config. */
export function planNewRelease(config: Config, options: NewReleaseOptions): PlannedFile {
  const usage = (message: string, hint: string) =>
    new ScsError([diag('usage', 'error', message, { hint })], 2);
  const title = options.title.trim();
  if (!title)
    throw usage('The title is empty.', 'Give the title in quotes: scs new "Ny laddinfrastruktur i Umeå".');
  if (/[\r\n]/.test(title)) throw usage('The title contains a line break.', 'Write the title on one line.');
  const lang = options.lang ?? config.defaultLanguage;
  if (!config.languages.includes(lang))
    throw usage(`"${lang}" is not a configured language.`, `Use one of ${config.languages.join(', ')}.`);
  const type = (options.type ?? 'press-release') as ReleaseType;
  if (!RELEASE_TYPES.includes(type))
    throw usage(`"${options.type}" is not a release type.`, `Use one of ${RELEASE_TYPES.join(', ')}.`);
  let date = localDate(options.now, config.timeZone);
  if (options.date !== undefined) {
    const parsed = parseDateTime(options.date, config.timeZone);
    if (!parsed.ok)
      throw usage(
        `"${options.date}" is not a valid date.`,
        'Write YYYY-MM-DD or an ISO date-time such as 2026-12-01T08:00.',
      );
    date = parsed.dateOnly ? options.date.trim() : localDateTime(parsed.instant, config.timeZone);
  }
  const day = date.slice(0, 10);
  const slug = slugify(title) || 'release';
  const file = path.join(config.releasesDir, day.slice(0, 4), `${day}-${slug}.${lang}.md`);
  const contacts = Object.keys(config.contacts).slice(0, 1);
  const boilerplate = Object.keys(config.boilerplates)[0];
  const sv = lang === 'sv';
  const lines = [
    '---',
    `title: ${yamlString(title)}`,
    `date: ${date}`,
    `type: ${type}`,
    `lang: ${lang}`,
    `lead: ${yamlString(sv ? 'Skriv ingressen här: en eller två meningar som sammanfattar nyheten.' : 'Write the lead here: one or two sentences that sum up the news.')}`,
    ...(contacts.length ? [`contacts: [${contacts.join(', ')}]`] : []),
    ...(boilerplate ? [`boilerplate: ${boilerplate}`] : []),
    'topics: []',
    'draft: true',
    '---',
    '',
    sv ? 'Brödtexten börjar här.' : 'The body starts here.',
    '',
    sv ? '## Mellanrubrik' : '## Sub-heading',
    '',
    sv
      ? '– Ett citat i pressmeddelandets stil, säger Förnamn Efternamn, roll.'
      : '– A quote in the style of a press release, says First Last, role.',
    '',
  ];
  return { path: file, content: lines.join('\n') };
}

/** Writes planned files, refusing to overwrite any that exist; nothing is written unless all can be. */
export function writeNewFiles(files: readonly PlannedFile[], root: string): void {
  const taken = files.filter((f) => existsSync(f.path));
  if (taken.length) {
    throw new ScsError(
      taken.map((f) =>
        diag(
          'file-exists',
          'error',
          `${path.relative(root, f.path) || f.path} already exists; scs does not overwrite files.`,
          {
            file: path.relative(root, f.path),
            hint: 'Choose another title or date, or remove the existing file first.',
          },
        ),
      ),
      1,
    );
  }
  for (const f of files) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content, { flag: 'wx' });
  }
}

/** Plans a new newsroom in `dir`: config, .gitignore, and one example release that checks clean. */
export function planInit(dir: string, now: Date): PlannedFile[] {
  const existing = existsSync(dir) ? readdirSync(dir).filter((n) => n !== '.git') : [];
  if (existing.length) {
    throw new ScsError(
      [
        diag(
          'init-not-empty',
          'error',
          `${dir} is not empty (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}).`,
          {
            hint: 'Run "scs init" in an empty folder, or give a new folder: scs init my-newsroom.',
          },
        ),
      ],
      1,
    );
  }
  const today = localDate(now, 'Europe/Stockholm');
  const read = (name: string) => readFileSync(path.join(INIT_TEMPLATE, name), 'utf8');
  return [
    { path: path.join(dir, 'scs.config.yml'), content: read('scs.config.yml') },
    { path: path.join(dir, '.gitignore'), content: read('gitignore') },
    {
      path: path.join(dir, 'releases', today.slice(0, 4), `${today}-valkommen-till-pressrummet.sv.md`),
      content: read('example.sv.md').replace('{{date}}', today),
    },
  ];
}
