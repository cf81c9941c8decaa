import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import { type Diagnostic, sortDiagnostics } from '../core/diagnostic.js';
import { parseYaml, type YamlPath } from '../core/yaml.js';

/** Names reserved for documentation (RFC 2606): `*.example` and `example.com`, `.net`, `.org`. */
const EXAMPLE_DOMAIN = /(?:^|\.)example(?:\.(?:com|net|org))?\.?$/i;

const domainOf = (value: string) =>
  value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : new URL(value).hostname;

/**
 * `config-example-domain`: with SMTP configured, the addresses every newsletter carries (the archive it
 * links to, where unsubscribing answers, the sender) must be the newsroom's own, not the example's.
 * Only settings written in the config file are reported: those defaulted derive from `site.baseUrl`.
 */
export function exampleDomainProblems(config: Config): Diagnostic[] {
  if (!config.env.smtpUrl || !config.file) return [];
  const file = path.relative(config.root, config.file) || config.file;
  const yaml = parseYaml(readFileSync(config.file, 'utf8'), file);
  const written = (p: YamlPath) =>
    p.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      yaml.value,
    );
  const { site, newsletter } = config;
  const settings: [YamlPath, string | undefined][] = [
    [['site', 'baseUrl'], site.baseUrl],
    ...Object.entries(site.languageBaseUrls).map(([lang, url]): [YamlPath, string] => [
      ['site', 'languageBaseUrls', lang],
      url,
    ]),
    [['newsletter', 'endpoint'], newsletter.endpoint],
    [['newsletter', 'from', 'email'], newsletter.from.email],
    [['newsletter', 'replyTo'], newsletter.replyTo],
    [['newsletter', 'unsubscribeMailto'], newsletter.unsubscribeMailto],
  ];
  const problems = settings
    .filter(
      ([p, value]) => value !== undefined && written(p) !== undefined && EXAMPLE_DOMAIN.test(domainOf(value)),
    )
    .map(([p, value]) =>
      report('config-example-domain', { setting: p.join('.'), value: value!, file, ...yaml.locate(p) }),
    );
  return sortDiagnostics(problems);
}
