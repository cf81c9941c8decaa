import { documentDiagnostics } from './core.js';
import { type AnyEntry, defineDiagnostics } from './define.js';

type Prefixed<T> = { [K in keyof T & string as `config-${K}`]: T[K] };

/** A release's YAML and schema problems, as they are named when they are in the configuration. */
function inConfig<T extends Record<string, AnyEntry>>(entries: T): Prefixed<T> {
  return Object.fromEntries(
    Object.entries(entries).map(([code, e]) => [
      `config-${code}`,
      { ...e, title: `${e.title}, in the configuration` },
    ]),
  ) as Prefixed<T>;
}

const { 'worker-failed': _notInConfig, ...documentProblems } = documentDiagnostics;

/** Problems in `scs.config.yml` (config/load.ts), and its example addresses (publish/example-domains.ts). */
export const configDiagnostics = {
  ...inConfig(documentProblems),
  ...defineDiagnostics({
    'config-missing': {
      severity: 'error',
      title: 'No configuration file here or in any folder above',
      /** `searched`: the folder searched from, when scs looked in the folders above too. */
      message: (a: { name: string; searched?: string }) =>
        a.searched === undefined
          ? `No configuration file: ${a.name} does not exist.`
          : `No configuration file: no ${a.name} in ${a.searched} or any folder above it.`,
      hint: 'Run "scs init" to set up a newsroom here, or pass --config <file>.',
    },
    'config-unreadable': {
      severity: 'error',
      title: 'The configuration file cannot be read',
      message: (a: { reason: string }) => `Cannot read the configuration: ${a.reason}.`,
      hint: 'Check that the file exists and is readable.',
    },
    'config-not-mapping': {
      severity: 'error',
      title: 'The configuration is not a YAML mapping of settings',
      message: () => 'The configuration must be a YAML mapping of settings.',
      hint: 'Start from the file "scs init" writes.',
    },
    'config-language-unknown': {
      severity: 'error',
      title: 'A language (default, localized text, language base URL, list) that is not among "languages"',
      /** `languages`: the configured ones, joined; `list`: the list whose language it is. */
      message: (a: { lang: string; languages: string; isDefault?: boolean; list?: string }) =>
        a.isDefault === true
          ? `defaultLanguage "${a.lang}" is not among languages (${a.languages}).`
          : a.list === undefined
            ? `"${a.lang}" is not a configured language.`
            : `List "${a.list}" has language "${a.lang}", which is not configured.`,
      hint: (a) =>
        a.isDefault === true ? 'Add it to "languages" or pick one of them.' : `Use one of ${a.languages}.`,
    },
    'config-timezone-invalid': {
      severity: 'error',
      title: 'An unknown time zone',
      message: (a: { zone: string }) => `Unknown time zone "${a.zone}".`,
      hint: 'Use an IANA name such as Europe/Stockholm.',
    },
    'config-phone-invalid': {
      severity: 'error',
      title: "A contact's phone number does not parse",
      message: (a: { phone: string; contact: string }) =>
        `The phone number "${a.phone}" of contact "${a.contact}" is not a valid number.`,
      hint: 'Write it as 010-123 45 67 or +46 10 123 45 67.',
    },
    'config-topic-unknown': {
      severity: 'error',
      title: 'A newsletter list or a contact names a topic that is not declared',
      message: (a: { owner: string; topic: string }) => `${a.owner} names the unknown topic "${a.topic}".`,
      hint: 'Declare it under "topics" or remove it.',
    },
    'config-duration-invalid': {
      severity: 'error',
      title: 'A duration (newsletter.maxAge, newsletter.confirmTokenTtl) that does not parse',
      message: (a: { setting: string; value: string }) => `"${a.setting}" is not a duration: ${a.value}.`,
      hint: 'Write a number with a unit: 3d, 12h, 30m.',
    },
    'config-trust-proxy-invalid': {
      severity: 'error',
      title: 'An entry of serve.trustProxy is neither an IP address nor a CIDR range',
      message: (a: { entry: string }) =>
        `"${a.entry}" in serve.trustProxy is neither an IP address nor a CIDR range.`,
      hint: 'Write the address your proxy connects from (127.0.0.1) or its network (10.0.0.0/8, 2001:db8::/32).',
    },
    'config-example-domain': {
      severity: 'error',
      title:
        'scs publish with SCS_SMTP_URL set: site.baseUrl, the sender or another address newsletters carry is still on an example domain (*.example, example.com)',
      message: (a: { setting: string; value: string }) =>
        `${a.setting} is still on an example domain (${a.value}): newsletters sent now would carry it.`,
      hint: 'Put your own address there ("scs init" writes a config for your organisation), or unset SCS_SMTP_URL to rehearse with the file outbox.',
    },
  }),
};
