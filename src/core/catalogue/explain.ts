import type { Severity } from '../diagnostic.js';
import { didYouMean } from '../schema-diagnostics.js';
import type { AnyEntry } from './define.js';
import { catalogue, type Code, usageError } from './index.js';

/** What the catalogue says about one code, without a case at hand: for `scs explain` and the README. */
export interface Explanation {
  code: Code;
  severity: Severity;
  title: string;
  /** The advice, each argument it depends on shown as <name>. */
  hint?: string;
  /** Where the README's table of codes has its row. */
  readme: string;
}

/** Arguments that read as their names: `hint(placeholders)` is the advice with its blanks shown. */
const placeholders = new Proxy({} as Record<string, unknown>, {
  get: (_, key) => (typeof key === 'string' ? `<${key}>` : undefined),
});

const anchor = (code: string) => `code-${code}`;

export function explanation(code: Code): Explanation {
  const entry: AnyEntry = catalogue[code];
  const hint = typeof entry.hint === 'function' ? entry.hint(placeholders) : entry.hint;
  return {
    code,
    severity: entry.severity,
    title: entry.title,
    ...(hint ? { hint } : {}),
    readme: `README.md#${anchor(code)}`,
  };
}

const isCode = (code: string): code is Code => Object.hasOwn(catalogue, code);

/** `scs explain <code>`: the code as printed ("[field-unknown]" too), or a usage error that suggests one. */
export function explainCode(text: string): Explanation {
  const code = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (isCode(code)) return explanation(code);
  const codes = Object.keys(catalogue);
  throw usageError(
    `"${code}" is not a diagnostic code of scs.`,
    'Give a code as scs prints it in brackets, e.g. scs explain field-unknown; README "Diagnostic codes" lists them all.',
    didYouMean(code, codes),
  );
}

/** Text for a Markdown table cell: nothing in it may start a tag, a link, code or a new cell. */
const cell = (text: string) =>
  text
    .replace(/[\\|[\]`]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

/** The README's table of codes, sorted by code (scripts/diagnostics-table.mjs writes it there). */
export function diagnosticsTable(): string {
  const rows = (Object.keys(catalogue) as Code[]).sort().map((code) => {
    const e = explanation(code);
    return `| <a id="${anchor(code)}"></a>\`${code}\` | ${e.severity} | ${cell(e.title)} | ${cell(e.hint ?? '')} |`;
  });
  return ['| code | severity | what it means | what to do |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
