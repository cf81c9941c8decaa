import { isPostgresUrl } from '../store/postgres/location.js';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { report } from '../core/catalogue/index.js';
import { hasErrors, ScsError, sortDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { parsePhone } from '../core/phone.js';
import { schemaDiagnostics, shapeKeys, didYouMean } from '../core/schema-diagnostics.js';
import { isValidTimeZone, parseDuration } from '../core/time.js';
import { DOCUMENT_CODES, parseYaml, type YamlPath } from '../core/yaml.js';
import { ConfigCache } from './cache.js';
import { parseAddressRange } from './trust-proxy.js';
import { configSchema, type ConfigInput, type LocalizedInput } from './schema.js';
import type { Config, Contact, Localized, NewsletterList } from './types.js';

/** The licence of press images unless the config or the frontmatter says otherwise: editorial use, credited. */
const DEFAULT_IMAGE_LICENSE: Localized = {
  sv: 'Fri att använda i redaktionellt syfte med angiven fotograf',
  en: 'Free to use for editorial purposes, with the photographer credited',
};

const CONFIG_FILES = ['scs.config.yml', 'scs.config.yaml'];

export interface LoadConfigOptions {
  /** Project root; default the current directory. */
  root?: string;
  /** Config file, relative to root or absolute; default `scs.config.yml`. */
  configFile?: string;
  /**
   * Without `configFile`: look for the config in `root` and then in each folder above it, as git looks
   * for `.git`; the folder it is found in becomes the project root.
   */
  searchParents?: boolean;
  /** Values that win over the file (CLI flags). */
  overrides?: { baseUrl?: string; outDir?: string };
  /** Environment to read secrets from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface ConfigResult {
  config?: Config;
  diagnostics: Diagnostic[];
}

/** Reads and validates the config; never throws on user mistakes. */
export function readConfig(options: LoadConfigOptions = {}): ConfigResult {
  const start = path.resolve(options.root ?? '.');
  const candidates = options.configFile ? [options.configFile] : CONFIG_FILES;
  const search = options.searchParents && !options.configFile;
  const found = search ? findUp(start) : findIn(start, candidates);
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  if (!found) {
    const file = path.resolve(start, candidates[0]!);
    return {
      diagnostics: [
        report('config-missing', {
          ...(search ? { name: candidates[0]!, searched: shown(start) } : { name: shown(file) }),
          file: shown(file),
        }),
      ],
    };
  }
  const root = search ? path.dirname(found) : start;
  const file = shown(found);
  let text: string;
  try {
    text = readFileSync(found, 'utf8');
  } catch (e) {
    return {
      diagnostics: [report('config-unreadable', { reason: (e as Error).message, file })],
    };
  }
  const overrides = options.overrides ?? {};
  const env = options.env ?? process.env;
  const cache = new ConfigCache(root, found, text, overrides);
  const cached = cache.get();
  if (cached)
    return { config: { ...cached, env: secrets(env, root, cached.newsletter.from) }, diagnostics: [] };
  const yaml = parseYaml(text, file, 1, DOCUMENT_CODES.config);
  if (yaml.diagnostics.length) return { diagnostics: yaml.diagnostics };
  if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    return {
      diagnostics: [report('config-not-mapping', { file, line: 1, column: 1 })],
    };
  }
  const schema = configSchema();
  const parsed = schema.safeParse(yaml.value);
  if (!parsed.success) {
    return {
      diagnostics: schemaDiagnostics(parsed.error.issues, yaml, file, (p) => shapeKeys(schema, p)),
    };
  }
  const result = resolveConfig(parsed.data, {
    root,
    file: found,
    shownFile: file,
    locate: yaml.locate,
    overrides,
    env,
  });
  if (result.config && !result.diagnostics.length) cache.set(result.config);
  return result;
}

const findIn = (dir: string, names: readonly string[]) =>
  names.map((c) => path.resolve(dir, c)).find((f) => existsSync(f));

/** The config file in `dir` or the nearest folder above it. */
function findUp(dir: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const found = findIn(at, CONFIG_FILES);
    if (found || path.dirname(at) === at) return found;
  }
}

/** Reads the config or throws a ScsError (exit code 2) carrying its diagnostics. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const { config, diagnostics } = readConfig(options);
  if (!config || hasErrors(diagnostics)) throw new ScsError(diagnostics, 2);
  return config;
}

interface ResolveContext {
  root: string;
  file: string;
  shownFile: string;
  locate: (p: YamlPath, part?: 'key' | 'value') => { line: number; column: number };
  overrides: NonNullable<LoadConfigOptions['overrides']>;
  env: NodeJS.ProcessEnv;
}

const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function resolveConfig(input: ConfigInput, ctx: ResolveContext): ConfigResult {
  const diagnostics: Diagnostic[] = [];
  const at = (p: YamlPath, part?: 'key' | 'value') => ({ file: ctx.shownFile, ...ctx.locate(p, part) });

  const languages = input.languages;
  const defaultLanguage = input.defaultLanguage ?? languages[0]!;
  /** A language the config names (where) that is not among `languages`. */
  const unknownLanguage = (
    lang: string,
    where: ReturnType<typeof at>,
    more: { isDefault?: true; list?: string; didYouMean?: string } = {},
  ) =>
    diagnostics.push(
      report('config-language-unknown', { lang, languages: languages.join(', '), ...more, ...where }),
    );
  if (!languages.includes(defaultLanguage))
    unknownLanguage(defaultLanguage, at(['defaultLanguage']), { isDefault: true });
  if (!isValidTimeZone(input.timeZone)) {
    diagnostics.push(report('config-timezone-invalid', { zone: input.timeZone, ...at(['timeZone']) }));
  }

  const localize = (value: LocalizedInput, p: YamlPath): Localized => {
    if (typeof value === 'string') return Object.fromEntries(languages.map((l) => [l, value]));
    for (const key of Object.keys(value)) {
      if (!languages.includes(key))
        unknownLanguage(key, at([...p, key], 'key'), { didYouMean: didYouMean(key, languages) });
    }
    const fallback = value[defaultLanguage] ?? Object.values(value)[0]!;
    return Object.fromEntries(languages.map((l) => [l, value[l] ?? fallback]));
  };

  /** Topics a contact or list names must be declared. */
  const knownTopics = (owner: string, ids: string[], p: YamlPath) =>
    ids.forEach((topic, i) => {
      if (!input.topics[topic])
        diagnostics.push(
          report('config-topic-unknown', {
            owner,
            topic,
            ...at([...p, i]),
            didYouMean: didYouMean(topic, Object.keys(input.topics)),
          }),
        );
    });

  const contacts: Record<string, Contact> = {};
  for (const [cid, c] of Object.entries(input.contacts)) {
    const contact: Contact = { id: cid, name: c.name, email: c.email };
    if (c.role) contact.role = localize(c.role, ['contacts', cid, 'role']);
    if (c.organization) contact.organization = localize(c.organization, ['contacts', cid, 'organization']);
    if (c.phone !== undefined) {
      const phone = parsePhone(String(c.phone), input.site.phoneRegion);
      if (phone) contact.phone = phone;
      else
        diagnostics.push(
          report('config-phone-invalid', {
            phone: String(c.phone),
            contact: cid,
            ...at(['contacts', cid, 'phone']),
          }),
        );
    }
    if (c.press) contact.press = true;
    knownTopics(`Contact "${cid}"`, c.topics, ['contacts', cid, 'topics']);
    if (c.topics.length) contact.topics = c.topics;
    contacts[cid] = contact;
  }

  const baseUrl = slash(ctx.overrides.baseUrl ?? input.site.baseUrl);
  const languageBaseUrls: Localized = {};
  for (const lang of languages) {
    const own = ctx.overrides.baseUrl ? undefined : input.site.languageBaseUrls[lang];
    languageBaseUrls[lang] = slash(own ?? new URL(`${lang}/`, baseUrl).href);
  }
  for (const key of Object.keys(input.site.languageBaseUrls)) {
    if (!languages.includes(key)) unknownLanguage(key, at(['site', 'languageBaseUrls', key], 'key'));
  }

  const topics = Object.fromEntries(
    Object.entries(input.topics).map(([k, v]) => [k, localize(v, ['topics', k])]),
  );
  const boilerplates = Object.fromEntries(
    Object.entries(input.boilerplates).map(([k, v]) => [k, localize(v, ['boilerplates', k])]),
  );

  const nl = input.newsletter;
  const lists: Record<string, NewsletterList> = {};
  for (const [lid, l] of Object.entries(nl?.lists ?? {})) {
    if (!languages.includes(l.lang))
      unknownLanguage(l.lang, at(['newsletter', 'lists', lid, 'lang']), { list: lid });
    knownTopics(`List "${lid}"`, l.topics, ['newsletter', 'lists', lid, 'topics']);
    // The description is the sign-up form's text; a press list is never on the form.
    if (l.audience === 'press' && l.description !== undefined)
      diagnostics.push(
        report('press-list-public-field', {
          list: lid,
          field: 'description',
          ...at(['newsletter', 'lists', lid, 'description'], 'key'),
        }),
      );
    lists[lid] = {
      id: lid,
      lang: l.lang,
      name: localize(l.name, ['newsletter', 'lists', lid, 'name']),
      ...(l.description
        ? { description: localize(l.description, ['newsletter', 'lists', lid, 'description']) }
        : {}),
      topics: l.topics,
      audience: l.audience,
    };
  }
  const duration = (value: string | number, p: YamlPath, fallback: number) => {
    const ms = parseDuration(value);
    if (ms === undefined)
      diagnostics.push(
        report('config-duration-invalid', { setting: p.join('.'), value: JSON.stringify(value), ...at(p) }),
      );
    return ms ?? fallback;
  };
  input.serve.trustProxy.forEach((entry, i) => {
    if (!parseAddressRange(entry))
      diagnostics.push(report('config-trust-proxy-invalid', { entry, ...at(['serve', 'trustProxy', i]) }));
  });
  const org = input.organization;
  const orgNames = localize(org.name, ['organization', 'name']);
  const orgName = orgNames[defaultLanguage]!;
  const from = nl?.from ?? { name: orgName, email: `press@${new URL(baseUrl).hostname}` };

  const config: Config = {
    root: ctx.root,
    file: ctx.file,
    timeZone: input.timeZone,
    languages,
    defaultLanguage,
    organization: { ...org, name: orgName, names: orgNames },
    releasesDir: path.resolve(ctx.root, input.releases),
    templatesDir: path.resolve(ctx.root, input.templates),
    stateDir: path.resolve(ctx.root, '.scs'),
    site: {
      baseUrl,
      name: localize(input.site.name, ['site', 'name']),
      ...(input.site.description
        ? { description: localize(input.site.description, ['site', 'description']) }
        : {}),
      languageBaseUrls,
      pageSize: input.site.pageSize,
      feedSize: input.site.feedSize,
      outDir: path.resolve(ctx.root, ctx.overrides.outDir ?? input.site.out),
      phoneRegion: input.site.phoneRegion,
    },
    contacts,
    boilerplates,
    topics,
    images: {
      license: input.images.license
        ? localize(input.images.license, ['images', 'license'])
        : { ...DEFAULT_IMAGE_LICENSE },
    },
    newsletter: {
      from,
      ...(nl?.replyTo ? { replyTo: nl.replyTo } : {}),
      subjectPrefix: nl?.subjectPrefix ?? '',
      maxAgeMs: duration(nl?.maxAge ?? '3d', ['newsletter', 'maxAge'], 3 * 86400000),
      endpoint: slash(nl?.endpoint ?? new URL('newsletter/', baseUrl).href),
      ...(nl?.unsubscribeMailto ? { unsubscribeMailto: nl.unsubscribeMailto } : {}),
      confirmTokenTtlMs: duration(
        nl?.confirmTokenTtl ?? '7d',
        ['newsletter', 'confirmTokenTtl'],
        7 * 86400000,
      ),
      lists,
      delivery: nl?.delivery ?? configSchemaDeliveryDefaults(),
      bounce: {
        ...(nl?.bounce?.address ? { address: nl.bounce.address } : {}),
        softLimit: nl?.bounce?.softLimit ?? 3,
        softWindowMs: duration(
          nl?.bounce?.softWindow ?? '30d',
          ['newsletter', 'bounce', 'softWindow'],
          30 * 86400000,
        ),
      },
    },
    serve: { trustProxy: input.serve.trustProxy.map((entry) => entry.trim()) },
    env: secrets(ctx.env, ctx.root, from),
  };
  return { config, diagnostics: sortDiagnostics(diagnostics) };
}

/** The settings that come from the environment only: secrets, and where the database lives. */
function secrets(env: NodeJS.ProcessEnv, root: string, from: { email: string }): Config['env'] {
  const dkimKey = env.SCS_DKIM_PRIVATE_KEY;
  const webhooks = {
    ...(env.SCS_WEBHOOK_POSTMARK_AUTH ? { postmark: env.SCS_WEBHOOK_POSTMARK_AUTH } : {}),
    ...(env.SCS_MAILGUN_SIGNING_KEY ? { mailgun: env.SCS_MAILGUN_SIGNING_KEY } : {}),
    ...(env.SCS_SES_TOPIC_ARN ? { ses: env.SCS_SES_TOPIC_ARN } : {}),
    ...(env.SCS_SENDGRID_VERIFICATION_KEY ? { sendgrid: env.SCS_SENDGRID_VERIFICATION_KEY } : {}),
  };
  return {
    ...(Object.keys(webhooks).length ? { webhooks } : {}),
    ...(env.SCS_SMTP_URL ? { smtpUrl: env.SCS_SMTP_URL } : {}),
    ...(env.SCS_SECRET ? { secret: env.SCS_SECRET } : {}),
    database: isPostgresUrl(env.SCS_DATABASE ?? '')
      ? env.SCS_DATABASE!
      : path.resolve(root, env.SCS_DATABASE ?? '.scs/scs.db'),
    ...(dkimKey
      ? {
          dkim: {
            privateKey: dkimKey,
            selector: env.SCS_DKIM_SELECTOR ?? 'scs',
            domain: env.SCS_DKIM_DOMAIN ?? from.email.split('@')[1]!,
          },
        }
      : {}),
  };
}

function configSchemaDeliveryDefaults() {
  return configSchema().shape.newsletter.unwrap().shape.delivery.parse(undefined);
}
