/**
 * A fast reader for the plain YAML that release frontmatter almost always is: top-level keys with
 * scalars, flow lists of scalars, block lists, one level of nested mappings, and block scalars.
 * It returns undefined for anything else (anchors, tags, escapes, comments after values, deeper
 * nesting, duplicate keys …), and the caller then uses the full YAML parser, which also reports errors.
 * Values follow the YAML 1.2 core schema exactly, as the full parser does.
 */

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

const KEY_LINE = /^([A-Za-z_][\w-]*):(?: +(.*))?$/;
const ITEM_LINE = /^- +(.*)$|^-$/;

const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const TRUE_RE = /^(?:true|True|TRUE)$/;
const FALSE_RE = /^(?:false|False|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

class Unsupported extends Error {}
const bail = (): never => {
  throw new Unsupported();
};

/** A plain or quoted scalar on one line; bails on anything that needs the full parser. */
function scalar(raw: string): Value {
  const text = raw.trim();
  const q = text[0];
  if (q === '"') {
    if (text.length < 2 || !text.endsWith('"') || text.includes('\\')) bail();
    const inner = text.slice(1, -1);
    if (inner.includes('"')) bail();
    return inner;
  }
  if (q === "'") {
    if (text.length < 2 || !text.endsWith("'")) bail();
    const inner = text.slice(1, -1);
    if (/'(?!')/.test(inner.replace(/''/g, ''))) bail();
    return inner.replace(/''/g, "'");
  }
  // Indicators, comments and ": " inside a plain scalar have YAML meanings of their own.
  if (/^[-?:,[\]{}#&*!|>%@`]/.test(text) && !/^-[^\s]/.test(text) && !/^:[^\s]/.test(text)) bail();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #') || text.includes('\t')) bail();
  if (NULL_RE.test(text)) return null;
  if (TRUE_RE.test(text)) return true;
  if (FALSE_RE.test(text)) return false;
  if (INT_RE.test(text) || FLOAT_RE.test(text)) return Number(text);
  if (/^[-+]?0o[0-7]+$|^[-+]?0x[0-9a-fA-F]+$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(text)) bail();
  return text;
}

/** `[a, "b", c]` with scalar items only. */
function flowList(text: string): Value[] {
  const inner = text.slice(1, -1).trim();
  if (!inner) return [];
  if (/[[\]{}]/.test(inner)) bail();
  const items: Value[] = [];
  // Quoted items may contain commas.
  const re = /\s*("[^"\\]*"|'(?:[^']|'')*'|[^,'"]+)\s*(?:,|$)/y;
  let pos = 0;
  while (pos < inner.length) {
    re.lastIndex = pos;
    const m = re.exec(inner);
    if (!m) bail();
    const item = m![1]!.trim();
    if (item.includes(' #') || item.includes(':')) bail();
    items.push(scalar(item));
    pos = re.lastIndex;
  }
  if (/,\s*$/.test(inner)) bail();
  return items;
}

function inlineValue(text: string): Value {
  const t = text.trim();
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) bail();
    return flowList(t);
  }
  if (t.startsWith('{')) bail();
  return scalar(t);
}

const indentOf = (line: string) => line.length - line.trimStart().length;

export function fastYaml(text: string): Record<string, Value> | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  try {
    return parseTop(text.split('\n'));
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function parseTop(lines: string[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  let i = 0;
  const skippable = (l: string) => l.trim() === '' || l.trimStart().startsWith('#');
  while (i < lines.length) {
    const line = lines[i]!;
    if (skippable(line)) {
      i++;
      continue;
    }
    if (indentOf(line) !== 0) bail();
    const m = KEY_LINE.exec(line.trimEnd());
    if (!m) bail();
    const key = m![1]!;
    if (Object.hasOwn(out, key)) bail();
    const rest = m![2]?.trim() ?? '';
    i++;
    // Lines that belong to this key: indented, or "- " items at column 0.
    const start = i;
    while (
      i < lines.length &&
      (skippable(lines[i]!) || indentOf(lines[i]!) > 0 || (rest === '' && /^-(?: |$)/.test(lines[i]!)))
    )
      i++;
    const block = lines.slice(start, i);
    while (block.length && skippable(block[block.length - 1]!)) block.pop();
    if (rest === '|' || rest === '|-' || rest === '>' || rest === '>-') out[key] = blockScalar(rest, block);
    else if (rest !== '') {
      if (block.length) bail();
      out[key] = inlineValue(rest);
    } else if (!block.length) out[key] = null;
    else out[key] = nested(block);
  }
  return out;
}

function blockScalar(style: string, block: string[]): string {
  const content = block.filter((l) => l.trim() !== '');
  if (!content.length) return '';
  const indent = indentOf(content[0]!);
  if (indent === 0 || content.some((l) => indentOf(l) !== indent || l.trimStart().startsWith('#'))) bail();
  const lines = block.map((l) => (l.trim() === '' ? '' : l.slice(indent).trimEnd()));
  if (lines.some((l, n) => l === '' && n > 0 && n < lines.length - 1) && style[0] === '>') bail();
  const body = style[0] === '|' ? lines.join('\n') : lines.join(' ');
  return style.endsWith('-') ? body : `${body}\n`;
}

/** A block list or a one-level block mapping below a key. */
function nested(block: string[]): Value {
  const content = block.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const indent = indentOf(content[0]!);
  if (content[0]!.trimStart().startsWith('- ') || content[0]!.trim() === '-')
    return blockList(content, indent);
  return blockMap(content, indent);
}

function blockMap(lines: string[], indent: number): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const line of lines) {
    if (indentOf(line) !== indent) bail();
    const m = KEY_LINE.exec(line.slice(indent).trimEnd());
    if (!m || m[2] === undefined || Object.hasOwn(out, m[1]!)) bail();
    const rest = m![2]!.trim();
    if (rest === '|' || rest === '>' || rest === '|-' || rest === '>-') bail();
    out[m![1]!] = inlineValue(rest);
  }
  return out;
}

function blockList(lines: string[], indent: number): Value[] {
  const items: Value[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (indentOf(line) !== indent) bail();
    const m = ITEM_LINE.exec(line.slice(indent).trimEnd());
    if (!m) bail();
    const first = m![1]?.trim() ?? '';
    i++;
    const key = KEY_LINE.exec(first);
    if (!key) {
      if (i < lines.length && indentOf(lines[i]!) > indent) bail();
      items.push(first === '' ? null : inlineValue(first));
      continue;
    }
    // "- name: …" starts a mapping whose other keys line up under "name".
    const inner = indent + (line.slice(indent).length - line.slice(indent).replace(/^-\s+/, '').length);
    const mapLines = [`${' '.repeat(inner)}${first}`];
    while (i < lines.length && indentOf(lines[i]!) > indent) mapLines.push(lines[i++]!);
    items.push(blockMap(mapLines, inner));
  }
  return items;
}
