import { contentDiagnostics } from './content.js';
import { defineDiagnostics } from './define.js';

/** Lists, subscribers, their import, and the secret key that signs their links (subscribers/). */
export const subscribersDiagnostics = defineDiagnostics({
  'list-none': {
    severity: 'error',
    title: 'No newsletter lists are configured, or none takes the release',
    /** With `id`: the release no list takes (its language and topics). */
    message: (a: { id?: string; lang?: string; topics?: string }) =>
      a.id === undefined
        ? 'No newsletter lists are configured.'
        : `No newsletter list takes ${a.id} (language "${a.lang}", topics: ${a.topics}).`,
    hint: (a) =>
      a.id === undefined
        ? 'Declare at least one under "newsletter.lists" in scs.config.yml.'
        : `Add a list with lang: ${a.lang} under newsletter.lists, or name one with --list.`,
  },
  'list-required': {
    severity: 'error',
    title: 'Several lists are configured and none is named',
    message: (a: { count: number; lists: string; first: string }) =>
      `Name the list: ${a.count} lists are configured (${a.lists}).`,
    hint: (a) => `Add --list ${a.first} (repeat --list for several).`,
  },
  'list-unknown': {
    severity: 'error',
    title: 'No such list',
    message: (a: { list: string; lists: string }) => `There is no list "${a.list}".`,
    hint: (a) => `Configured lists: ${a.lists}.`,
  },
  // A release's unknown language, said of --lang.
  'language-unknown': {
    ...contentDiagnostics['lang-unknown'],
    title: '--lang names a language that is not configured',
  },
  'subscriber-not-found': {
    severity: 'error',
    title: 'No such subscriber',
    message: (a: { email: string }) => `No subscriber ${a.email}.`,
    hint: 'Run "scs subscribers list" to see who is stored.',
  },
  'subscriber-suppressed': {
    severity: 'error',
    title: 'The address is suppressed (--force-resubscribe overrides)',
    message: (a: { email: string; detail: string }) => `${a.email} is not added: ${a.detail}.`,
    hint: 'They asked not to be mailed (or their address failed). Only if they have asked to come back, run again with --force-resubscribe.',
  },
  'import-unreadable': {
    severity: 'error',
    title: 'The CSV file cannot be read',
    message: (a: { csv: string; reason: string }) => `Cannot read ${a.csv}: ${a.reason}.`,
    hint: 'Check the path.',
  },
  'import-encoding': {
    severity: 'error',
    title: 'The CSV file is not UTF-8',
    message: (a: { csv: string }) => `${a.csv} is not UTF-8 text.`,
    hint: 'Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8); other encodings garble names such as "Åsa".',
  },
  'import-csv-invalid': {
    severity: 'error',
    title: 'The CSV is broken (its line named)',
    message: (a: { csv: string; reason: string }) => `${a.csv} is not valid CSV: ${a.reason}.`,
    hint: 'A quote that opens a field must close it; write a quote inside a quoted field as "".',
  },
  'import-empty': {
    severity: 'error',
    title: 'The CSV has no header and no rows',
    message: (a: { csv: string }) => `${a.csv} has no header line and no rows.`,
    hint: 'The first line names the columns, for example: email,name,language',
  },
  'import-no-email-column': {
    severity: 'error',
    title: 'The CSV has no email column',
    message: (a: { csv: string; header: string }) =>
      `${a.csv} has no email column (the header reads: ${a.header}).`,
    hint: 'Name the column holding the addresses "email" (or "e-post"). The first line must be the header.',
  },
  'import-duplicate-column': {
    severity: 'error',
    title: 'Two columns of the CSV mean the same',
    message: (a: { first: string; second: string }) =>
      `Two columns mean the same: "${a.first}" and "${a.second}".`,
    hint: 'Keep one of them.',
  },
  'import-row-invalid': {
    severity: 'error',
    title: 'A bad row in the CSV (file:line and reason; a warning with --skip-invalid)',
    /** `problem`: what is wrong with the row; `fix`: what to write instead. */
    message: (a: { problem: string; fix: string }) => a.problem,
    hint: (a) => a.fix,
  },
  'secret-too-short': {
    severity: 'error',
    title: 'SCS_SECRET, or the key in .scs/secret, is too short',
    /** `keyFile`: the key file, when the key came from it rather than from SCS_SECRET. */
    message: (a: { keyFile?: string; length?: number; min?: number }) =>
      a.keyFile === undefined
        ? `SCS_SECRET is ${a.length} characters long; it needs at least ${a.min}.`
        : `The key file ${a.keyFile} holds no usable key.`,
    hint: (a) =>
      a.keyFile === undefined
        ? 'Use a long random value, for example the output of "openssl rand -base64 32".'
        : 'Delete it only if no links or suppression entries depend on it, or set SCS_SECRET.',
  },
  'secret-unreadable': {
    severity: 'error',
    title: 'The key file .scs/secret cannot be read',
    message: (a: { keyFile: string; reason: string }) =>
      `Cannot read the key file ${a.keyFile}: ${a.reason}.`,
    hint: 'Fix its permissions, or set SCS_SECRET.',
  },
  'secret-unwritable': {
    severity: 'error',
    title: 'The key file .scs/secret cannot be created',
    message: (a: { keyFile: string; reason: string }) =>
      `Cannot create the key file ${a.keyFile}: ${a.reason}.`,
    hint: 'Make the .scs folder writable, or set SCS_SECRET.',
  },
});
