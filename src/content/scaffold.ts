import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { report, usageError, fatal } from '../core/catalogue/index.js';
import { type Diagnostic, ScsError } from '../core/diagnostic.js';
import { slugify } from '../core/slug.js';
import { localDate, localDateTime, parseDateTime } from '../core/time.js';
import { normalizeEmail } from '../subscribers/email.js';
import { PLACEHOLDERS, placeholdersFor } from './placeholders.js';
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
  const title = options.title.trim();
  if (!title)
    throw usageError(
      'The title is empty.',
      'Give the title in quotes: scs new "Ny laddinfrastruktur i Umeå".',
    );
  if (/[\r\n]/.test(title))
    throw usageError('The title contains a line break.', 'Write the title on one line.');
  const lang = options.lang ?? config.defaultLanguage;
  if (!config.languages.includes(lang))
    throw usageError(`"${lang}" is not a configured language.`, `Use one of ${config.languages.join(', ')}.`);
  const type = (options.type ?? 'press-release') as ReleaseType;
  if (!RELEASE_TYPES.includes(type))
    throw usageError(`"${options.type}" is not a release type.`, `Use one of ${RELEASE_TYPES.join(', ')}.`);
  let date = localDate(options.now, config.timeZone);
  if (options.date !== undefined) {
    const parsed = parseDateTime(options.date, config.timeZone);
    if (!parsed.ok)
      throw usageError(
        `"${options.date}" is not a valid date.`,
        'Write YYYY-MM-DD or an ISO date-time such as 2026-12-01T08:00.',
      );
    date = parsed.dateOnly ? options.date.trim() : localDateTime(parsed.instant, config.timeZone);
  }
  return scaffoldRelease(config.releasesDir, {
    title,
    date,
    type,
    lang,
    contacts: Object.keys(config.contacts).slice(0, 1),
    boilerplate: Object.keys(config.boilerplates)[0],
    // Pinned, so that editing the title later does not move the page (see site/permalinks.ts).
    pinSlug: true,
  });
}

/** A draft release full of placeholders (see placeholders.ts), at its conventional path. */
function scaffoldRelease(
  releasesDir: string,
  r: {
    title: string;
    date: string;
    type: ReleaseType;
    lang: string;
    contacts: string[];
    boilerplate?: string;
    /** Write the slug the title gives into the frontmatter. */
    pinSlug?: boolean;
  },
): PlannedFile {
  const day = r.date.slice(0, 10);
  const slug = slugify(r.title);
  const file = path.join(releasesDir, day.slice(0, 4), `${day}-${slug || 'release'}.${r.lang}.md`);
  const p = placeholdersFor(r.lang);
  const lines = [
    '---',
    `title: ${yamlString(r.title)}`,
    ...(r.pinSlug && slug ? [`slug: ${slug}`] : []),
    `date: ${r.date}`,
    `type: ${r.type}`,
    `lang: ${r.lang}`,
    `lead: ${yamlString(p.lead)}`,
    ...(r.contacts.length ? [`contacts: [${r.contacts.join(', ')}]`] : []),
    ...(r.boilerplate ? [`boilerplate: ${r.boilerplate}`] : []),
    'topics: []',
    'draft: true',
    '---',
    '',
    p.body,
    '',
    p.heading,
    '',
    `– ${p.quote}, ${newsroomTexts(r.lang).says} ${p.speaker}.`,
    '',
  ];
  return { path: file, content: lines.join('\n') };
}

/** Writes planned files, refusing to overwrite any that exist; nothing is written unless all can be. */
export function writeNewFiles(files: readonly PlannedFile[], root: string): void {
  const taken = files.filter((f) => existsSync(f.path));
  if (taken.length) {
    throw new ScsError(
      taken.map((f) => report('file-exists', { file: path.relative(root, f.path) || f.path })),
      1,
    );
  }
  for (const f of files) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content, { flag: 'wx' });
  }
}

/** What `scs init` needs to know about the organisation. */
export interface InitSettings {
  name: string;
  /** The press archive's public address (`site.baseUrl`), with a trailing slash. */
  url: string;
  /** The first is the default language. */
  languages: string[];
  /** The newsletter's sender address. */
  from: string;
}

export type InitField = keyof InitSettings;
type Checked<T> = { ok: true; value: T } | { ok: false; diagnostic: Diagnostic };

/** The languages scs writes a newsroom in: those it has scaffold texts for. */
const INIT_LANGUAGES = Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[];

/** Texts of a new newsroom other than placeholders, per language scs writes newsrooms in. */
const NEWSROOM_TEXTS: Record<
  (typeof INIT_LANGUAGES)[number],
  { says: string; siteName: string; list: [id: string, name: string]; welcome: string }
> = {
  sv: {
    says: 'säger',
    siteName: '{org} – Press',
    list: ['nyheter', 'Nyheter från {org}'],
    welcome: 'Välkommen till vårt nya pressrum',
  },
  en: {
    says: 'says',
    siteName: '{org} – Press room',
    list: ['news', 'News from {org}'],
    welcome: 'Welcome to our new press room',
  },
};
const newsroomTexts = (lang: string) =>
  NEWSROOM_TEXTS[lang as keyof typeof NEWSROOM_TEXTS] ?? NEWSROOM_TEXTS.en;

const invalid = (problem: string, fix: string): Checked<never> => ({
  ok: false,
  diagnostic: report('usage', { problem, fix }),
});

/** Each answer `scs init` takes, checked on its own (a prompt asks again for the one that is wrong). */
export const INIT_FIELDS: { [K in InitField]: (input: string) => Checked<InitSettings[K]> } = {
  name(input) {
    const name = input.trim();
    if (!name) return invalid('The organisation name is empty.', 'Give the name readers know you by.');
    if (/[\r\n]/.test(name))
      return invalid('The organisation name contains a line break.', 'Write it on one line.');
    return { ok: true, value: name };
  },
  url(input) {
    const hint =
      'Give the full address the press archive will have, such as https://press.your-organisation.se/.';
    let url: URL;
    try {
      url = new URL(input.trim());
    } catch {
      return invalid(`The site URL "${input.trim()}" is not an absolute URL.`, hint);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return invalid(`The site URL "${input.trim()}" is not an http(s) URL.`, hint);
    if (url.search || url.hash)
      return invalid(`The site URL "${input.trim()}" has a query or fragment.`, hint);
    return { ok: true, value: url.href.endsWith('/') ? url.href : `${url.href}/` };
  },
  languages(input) {
    const languages = input
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const hint = `Give one or more of ${INIT_LANGUAGES.join(', ')}, separated by commas; the first is the default.`;
    const unknown = languages.filter((l) => !(INIT_LANGUAGES as string[]).includes(l));
    if (!languages.length) return invalid('No language given.', hint);
    if (unknown.length) return invalid(`scs cannot write a newsroom in "${unknown.join('", "')}".`, hint);
    if (new Set(languages).size !== languages.length) return invalid('A language is named twice.', hint);
    return { ok: true, value: languages };
  },
  from(input) {
    const checked = normalizeEmail(input);
    if (!checked.ok)
      return invalid(
        `The sender "${input.trim()}" is not a valid address: ${checked.reason}.`,
        'Give the address newsletters are sent from, such as press@your-organisation.se.',
      );
    return { ok: true, value: checked.email };
  },
};

/** Checks every answer at once: the settings, or every problem. */
export function initSettings(input: Record<InitField, string>): {
  settings?: InitSettings;
  diagnostics: Diagnostic[];
} {
  const settings: Partial<Record<InitField, unknown>> = {};
  const diagnostics: Diagnostic[] = [];
  for (const field of Object.keys(INIT_FIELDS) as InitField[]) {
    const checked = INIT_FIELDS[field](input[field]);
    if (checked.ok) settings[field] = checked.value;
    else diagnostics.push(checked.diagnostic);
  }
  return diagnostics.length
    ? { diagnostics }
    : { settings: settings as unknown as InitSettings, diagnostics };
}

/** A sender to suggest for a site: press@ the site's domain, without a "www." or "press." in front. */
export function suggestedSender(url: string): string {
  return `press@${new URL(url).hostname.replace(/^(?:www|press)\./, '')}`;
}

/** `scs init` writes only into an empty folder (a `.git` in it is fine). */
export function checkInitFolder(dir: string): void {
  const existing = existsSync(dir) ? readdirSync(dir).filter((n) => n !== '.git') : [];
  if (existing.length) {
    throw fatal(1, 'init-not-empty', {
      dir,
      existing: `${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}`,
    });
  }
}

/**
 * Plans a new newsroom in `dir`: the organisation's config, a .gitignore, and a draft welcome release
 * that shows the release format (`scs check` passes at once; the draft is published only once edited).
 */
export function planInit(dir: string, settings: InitSettings, now: Date): PlannedFile[] {
  checkInitFolder(dir);
  const lang = settings.languages[0]!;
  return [
    { path: path.join(dir, 'scs.config.yml'), content: newsroomConfig(settings) },
    {
      path: path.join(dir, '.gitignore'),
      content: readFileSync(path.join(INIT_TEMPLATE, 'gitignore'), 'utf8'),
    },
    scaffoldRelease(path.join(dir, 'releases'), {
      title: newsroomTexts(lang).welcome,
      date: localDate(now, INIT_TIME_ZONE),
      type: 'news',
      lang,
      contacts: [],
    }),
  ];
}

const INIT_TIME_ZONE = 'Europe/Stockholm';

/** The config of a new newsroom: the organisation's own values, the rest documented in comments. */
function newsroomConfig(s: InitSettings): string {
  const fill = (text: string) => yamlString(text.replace('{org}', s.name));
  const perLanguage = (pick: (t: (typeof NEWSROOM_TEXTS)['sv']) => string) =>
    s.languages.map((l) => `    ${l}: ${fill(pick(newsroomTexts(l)))}`);
  return [
    `# scs configuration of ${s.name}. Every setting is documented in README.md`,
    '# ("Configuration"). Secrets (SMTP password, DKIM key) never go here: see "Environment".',
    'organization:',
    `  name: ${yamlString(s.name)}`,
    '  # url: https://www.your-organisation.se/   # your home page, linked from every archive page',
    '',
    `timeZone: ${INIT_TIME_ZONE}`,
    `languages: [${s.languages.join(', ')}]`,
    `defaultLanguage: ${s.languages[0]}`,
    '',
    'site:',
    `  baseUrl: ${yamlString(s.url)}`,
    '  name:',
    ...perLanguage((t) => t.siteName),
    '',
    '# The people releases name as press contacts ("scs new" puts in the first), the "About us" text',
    '# under each release, and the topics releases and lists may name:',
    '# contacts:',
    '#   firstname-lastname:',
    '#     name: Firstname Lastname',
    '#     role: { sv: pressansvarig, en: Press Officer }',
    '#     email: firstname.lastname@your-organisation.se',
    '#     phone: 010-123 45 67',
    '# boilerplates:',
    '#   about: { sv: "… är …", en: "… is …" }',
    '# topics:',
    '#   energy: { sv: Energi, en: Energy }',
    '',
    'newsletter:',
    '  from:',
    `    name: ${yamlString(s.name)}`,
    `    email: ${yamlString(s.from)}`,
    '  lists:',
    ...s.languages.flatMap((l) => {
      const [id, name] = newsroomTexts(l).list;
      return [`    ${id}:`, `      lang: ${l}`, `      name: ${fill(name)}`];
    }),
    '',
  ].join('\n');
}
