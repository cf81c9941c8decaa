import type * as z from 'zod';
import { report } from './catalogue/index.js';
import type { Diagnostic } from './diagnostic.js';
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
  const { codes } = yaml;
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const field = describe(path);
    const where = (p = path, part: 'key' | 'value' = 'value') => ({ file, ...yaml.locate(p, part) });
    const value = valueAt(yaml.value, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push(
            report(codes.unknown, {
              field: [...path, key].join('.'),
              ...where([...path, key], 'key'),
              didYouMean: didYouMean(key, keysAt(path)),
            }),
          );
        }
        break;
      case 'invalid_type':
        if (value === undefined) {
          const parent = path.slice(0, -1);
          out.push(
            report(codes.required, { field, key: String(path[path.length - 1]), ...where(parent, 'key') }),
          );
        } else {
          out.push(
            report(codes.type, { field, type: issue.expected, received: received(value), ...where() }),
          );
        }
        break;
      case 'invalid_value':
        out.push(
          report(codes.value, {
            field,
            allowed: issue.values.map((v) => JSON.stringify(v)).join(', '),
            received: received(value),
            ...where(),
            didYouMean: didYouMean(String(value), issue.values.map(String)),
          }),
        );
        break;
      case 'invalid_format':
        out.push(
          issue.format === 'email'
            ? report(codes.email, { value: field, reason: received(value), ...where() })
            : report(codes.format, {
                field,
                format: issue.format,
                received: received(value),
                rule: issue.message,
                ...where(),
              }),
        );
        break;
      case 'invalid_union':
        out.push(report(codes.type, { field, received: received(value), ...where() }));
        break;
      default:
        out.push(report(codes.value, { field, detail: issue.message, ...where() }));
    }
  }
  return out;
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
