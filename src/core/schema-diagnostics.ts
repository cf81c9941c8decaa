import type * as z from 'zod';
import { diag, type Diagnostic } from './diagnostic.js';
import type { ParsedYaml } from './yaml.js';

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export const didYouMean = (word: string, candidates: Iterable<string>): string => {
  const c = closest(word, candidates);
  return c ? ` Did you mean "${c}"?` : '';
};

const describe = (path: readonly PropertyKey[]) =>
  path.length ? path.map(String).join('.') : 'the document';

function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  return v;
}

/**
 * Turns schema issues into diagnostics that point at the YAML key involved. `keysAt(path)` lists
 * the keys a mapping may have, for "did you mean" hints.
 */
export function schemaDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  yaml: ParsedYaml,
  file: string,
  keysAt: (path: readonly PropertyKey[]) => readonly string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const name = describe(path);
    const where = (p = path, part: 'key' | 'value' = 'value') => ({ file, ...yaml.locate(p, part) });
    const value = valueAt(yaml.value, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push(
            diag('field-unknown', 'error', `Unknown field "${[...path, key].join('.')}".`, {
              ...where([...path, key], 'key'),
              hint: `Remove it or fix its spelling.${didYouMean(key, keysAt(path))}`,
            }),
          );
        }
        break;
      case 'invalid_type':
        if (value === undefined) {
          const parent = path.slice(0, -1);
          out.push(
            diag('field-required', 'error', `Missing required field "${name}".`, {
              ...where(parent, 'key'),
              hint: `Add "${String(path[path.length - 1])}:" here.`,
            }),
          );
        } else {
          out.push(
            diag(
              'field-type',
              'error',
              `"${name}" must be ${article(issue.expected)}, not ${received(value)}.`,
              {
                ...where(),
                hint: typeHint(issue.expected),
              },
            ),
          );
        }
        break;
      case 'invalid_value':
        out.push(
          diag(
            'field-value',
            'error',
            `"${name}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${received(value)}.`,
            {
              ...where(),
              hint: `Use one of the allowed values.${didYouMean(String(value), issue.values.map(String))}`,
            },
          ),
        );
        break;
      case 'invalid_format':
        out.push(
          diag(
            issue.format === 'email' ? 'email-invalid' : 'field-format',
            'error',
            issue.format === 'email'
              ? `"${name}" is not a valid email address: ${received(value)}.`
              : `"${name}" is not a valid ${issue.format}: ${received(value)}.`,
            { ...where(), hint: issue.format === 'email' ? 'Write it as name@example.com.' : issue.message },
          ),
        );
        break;
      case 'custom': {
        const params = (issue.params ?? {}) as { code?: string; hint?: string; severity?: 'warning' };
        out.push(
          diag(params.code ?? 'field-value', params.severity ?? 'error', issue.message, {
            ...where(),
            hint: params.hint,
          }),
        );
        break;
      }
      case 'invalid_union':
        out.push(
          diag('field-type', 'error', `"${name}" has the wrong shape: ${received(value)}.`, {
            ...where(),
            hint: 'See the README for the allowed forms of this field.',
          }),
        );
        break;
      default:
        out.push(diag('field-value', 'error', `"${name}": ${issue.message}.`, where()));
    }
  }
  return out;
}

function typeHint(expected: string): string {
  if (expected === 'boolean') return 'Write true or false.';
  if (expected === 'array') return 'Write a list: [a, b] on one line, or one "- item" per line.';
  if (expected === 'object') return 'Write the fields on their own lines below the key, indented.';
  if (expected === 'number') return 'Write a number without quotes.';
  return 'Put the value in double quotes to make it a text.';
}

function article(expected: string): string {
  const noun =
    expected === 'object'
      ? 'a mapping'
      : expected === 'array'
        ? 'a list'
        : expected === 'boolean'
          ? 'true or false'
          : '';
  return noun || `a ${expected}`;
}

/** The keys a (strict) object schema allows at `path`, walking through optional, default, record and array. */
export function shapeKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = () => {
    for (;;) {
      const def = (s as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
      if (
        def &&
        (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') &&
        def.innerType
      )
        s = def.innerType;
      else return;
    }
  };
  for (const seg of [...path, undefined]) {
    unwrap();
    const def = (
      s as {
        _zod: {
          def: { type: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown };
        };
      }
    )._zod.def;
    if (seg === undefined) return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    if (def.type === 'object' && def.shape) s = def.shape[String(seg)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return [];
    if (!s) return [];
  }
  return [];
}
