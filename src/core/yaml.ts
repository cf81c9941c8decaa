import type { Document, Node as YamlNode } from 'yaml';
import { type Code, report } from './catalogue/index.js';
import type { Diagnostic, Position } from './diagnostic.js';
import { fastYaml } from './fast-yaml.js';
import { lazyRequire } from './lazy-require.js';
import { LineIndex } from './source-map.js';

// Needed only for what fastYaml declines and for positions in diagnostics: runs that find the config
// and the releases in their caches never load it.
const yamlLib = lazyRequire<typeof import('yaml')>('yaml');

export type YamlPath = readonly (string | number)[];

/**
 * The codes of a document's YAML and schema problems: a release's, or the configuration's (named with
 * "config-" in front, so that scripts tell them apart).
 */
export const DOCUMENT_CODES = {
  release: {
    syntax: 'yaml-syntax',
    duplicateKey: 'yaml-duplicate-key',
    unknown: 'field-unknown',
    required: 'field-required',
    type: 'field-type',
    value: 'field-value',
    format: 'field-format',
    email: 'email-invalid',
  },
  config: {
    syntax: 'config-yaml-syntax',
    duplicateKey: 'config-yaml-duplicate-key',
    unknown: 'config-field-unknown',
    required: 'config-field-required',
    type: 'config-field-type',
    value: 'config-field-value',
    format: 'config-field-format',
    email: 'config-email-invalid',
  },
} as const satisfies Record<string, Record<string, Code>>;

export type DocumentCodes = (typeof DOCUMENT_CODES)[keyof typeof DOCUMENT_CODES];

export interface ParsedYaml {
  /** Plain JavaScript value (YAML 1.2 core schema: dates stay strings). */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Where a key path sits in the original file (1-based), falling back to the nearest parent. */
  locate(path: YamlPath, part?: 'key' | 'value'): Position;
  /** What its problems are called (schemaDiagnostics names the schema's by them too). */
  codes: DocumentCodes;
}

/**
 * Parses YAML that starts at `firstLine` of `file` and keeps enough of the tree to point
 * diagnostics at any key path.
 */
export function parseYaml(
  text: string,
  file: string,
  firstLine = 1,
  codes: DocumentCodes = DOCUMENT_CODES.release,
): ParsedYaml {
  const fast = fastYaml(text);
  if (fast) {
    // Positions are only needed for diagnostics: parse the full tree the first time one asks.
    let full: ParsedYaml | undefined;
    return {
      value: fast,
      diagnostics: [],
      locate: (path, part) => {
        full ??= parseYamlFully(text, file, firstLine, codes);
        return full.locate(path, part);
      },
      codes,
    };
  }
  return parseYamlFully(text, file, firstLine, codes);
}

function parseYamlFully(text: string, file: string, firstLine: number, codes: DocumentCodes): ParsedYaml {
  const { isMap, isSeq, isScalar, parseDocument } = yamlLib();
  const doc: Document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const lines = new LineIndex(text);
  const at = (offset: number): Position => {
    const p = lines.position(Math.min(offset, text.length));
    return { line: p.line + firstLine - 1, column: p.column };
  };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const p = at(e.pos[0]);
    const duplicate = e.code === 'DUPLICATE_KEY';
    diagnostics.push(
      report(duplicate ? codes.duplicateKey : codes.syntax, { detail: firstSentence(e.message), file, ...p }),
    );
  }
  const locate = (path: YamlPath, part: 'key' | 'value' = 'value'): Position => {
    let node: unknown = doc.contents;
    let best: Position = at((doc.contents as YamlNode | null)?.range?.[0] ?? 0);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) return best;
        const keyNode = pair.key as YamlNode | null;
        if (keyNode?.range) best = at(keyNode.range[0]);
        if (last && part === 'key') return best;
        const valueNode = pair.value as YamlNode | null;
        if (valueNode?.range && (last || !(isMap(valueNode) || isSeq(valueNode))))
          best = at(valueNode.range[0]);
        node = valueNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as YamlNode | undefined;
        if (!item) return best;
        if (item.range) best = at(item.range[0]);
        node = item;
      } else return best;
    }
    return best;
  };
  const value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { value, diagnostics, locate, codes };
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
