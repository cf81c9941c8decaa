import { defineDiagnostics } from './define.js';

/** "a mapping", "true or false", "a string": what zod's expected type reads as in a sentence. */
function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'boolean') return 'true or false';
  return `a ${type}`;
}

function typeHint(type: string | undefined): string {
  if (type === undefined) return 'See the README for the allowed forms of this field.';
  if (type === 'boolean') return 'Write true or false.';
  if (type === 'array') return 'Write a list: [a, b] on one line, or one "- item" per line.';
  if (type === 'object') return 'Write the fields on their own lines below the key, indented.';
  if (type === 'number') return 'Write a number without quotes.';
  return 'Put the value in double quotes to make it a text.';
}

/**
 * Problems of a YAML document and its schema (core/yaml.ts, core/schema-diagnostics.ts), and of the
 * worker threads (core/pool.ts). The configuration has the same document problems under "config-"
 * (catalogue/config.ts).
 */
export const documentDiagnostics = defineDiagnostics({
  'yaml-syntax': {
    severity: 'error',
    title: 'The YAML does not parse',
    /** `detail`: the first sentence of the YAML parser's message. */
    message: (a: { detail: string }) => a.detail,
    hint: 'Fix the YAML syntax here; strings containing ":" or "#" are safest in double quotes.',
  },
  'yaml-duplicate-key': {
    severity: 'error',
    title: 'A YAML key appears twice',
    message: (a: { detail: string }) => a.detail,
    hint: 'Each key may appear only once: remove or merge the repeated key.',
  },
  'field-unknown': {
    severity: 'error',
    title: 'An unknown field (with "did you mean")',
    message: (a: { field: string }) => `Unknown field "${a.field}".`,
    hint: 'Remove it or fix its spelling.',
  },
  'field-required': {
    severity: 'error',
    title: 'A required field is missing',
    message: (a: { field: string; key: string }) => `Missing required field "${a.field}".`,
    hint: (a) => `Add "${a.key}:" here.`,
  },
  'field-type': {
    severity: 'error',
    title: 'A field has the wrong type or shape',
    /** `type`: the type zod expected; none when the value fits none of a field's forms. */
    message: (a: { field: string; received: string; type?: string }) =>
      a.type === undefined
        ? `"${a.field}" has the wrong shape: ${a.received}.`
        : `"${a.field}" must be ${article(a.type)}, not ${a.received}.`,
    hint: (a) => typeHint(a.type),
  },
  'field-value': {
    severity: 'error',
    title: 'A field has a value it does not allow',
    /** `allowed`: the values it takes, when they are few; else `detail` says what is wrong. */
    message: (a: { field: string; allowed?: string; received?: string; detail?: string }) =>
      a.allowed === undefined
        ? `"${a.field}": ${a.detail}.`
        : `"${a.field}" must be one of ${a.allowed}, not ${a.received}.`,
    hint: (a) =>
      a.allowed === undefined
        ? 'Give a value of the form the README describes.'
        : 'Use one of the allowed values.',
  },
  'field-format': {
    severity: 'error',
    title: 'A field is not in its format (a URL, a date …)',
    /** `rule`: what the format asks for, as the schema words it. */
    message: (a: { field: string; format: string; received: string; rule: string }) =>
      `"${a.field}" is not a valid ${a.format}: ${a.received}.`,
    hint: (a) => a.rule,
  },
  'email-invalid': {
    severity: 'error',
    title: 'An email address that does not parse',
    message: (a: { value: string; reason: string }) =>
      `"${a.value}" is not a valid email address: ${a.reason}.`,
    hint: 'Write it as name@example.org.',
  },
  'worker-failed': {
    severity: 'warning',
    title:
      'A parser or rendering thread died or stopped answering (60 s) while on the named release file or output page (or the thread scanning the release folder did): its work was done again on the main thread, so nothing is missing',
    message: (a: { thread: string; why: string; where: string }) =>
      `A ${a.thread} thread ${a.why} ${a.where}; the work it had been given was done again on the main thread.`,
    hint: 'Nothing is missing from the results. If this repeats, run with --threads 1 and report it.',
  },
});
