/** Splits a release file into its YAML frontmatter and Markdown body, keeping line numbers. */
export type SplitResult =
  | { ok: true; yaml: string; yamlLine: number; body: string; bodyLine: number }
  | { ok: false; reason: 'missing' | 'unclosed' };

export function splitFrontmatter(text: string): SplitResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const open = /^---[ \t]*\r?\n/.exec(src);
  if (!open) return { ok: false, reason: 'missing' };
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = src.slice(open[0].length);
  // An empty frontmatter closes on the very next line.
  const m = close.exec(rest);
  if (!m) return { ok: false, reason: 'unclosed' };
  const yaml = rest.slice(0, m.index);
  let bodyStart = m.index + m[0].length;
  if (rest[bodyStart] === '\r') bodyStart++;
  if (rest[bodyStart] === '\n') bodyStart++;
  const yamlLines = countLines(yaml);
  return { ok: true, yaml, yamlLine: 2, body: rest.slice(bodyStart), bodyLine: 2 + yamlLines + 1 };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
