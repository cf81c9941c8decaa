import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, summarize } from '../core/diagnostic.js';
import { LineIndex } from '../core/source-map.js';

/** Colours only on a terminal, and never with NO_COLOR (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !('NO_COLOR' in env && env.NO_COLOR !== undefined) && env.TERM !== 'dumb';
}

export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

export type DiagnosticFormat = 'pretty' | 'json' | 'github';

/** Formats diagnostics for people (with a code frame), for machines (JSON), or for GitHub Actions. */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: DiagnosticFormat,
  options: { root: string; color: boolean },
): string {
  if (format === 'json') return `${JSON.stringify(diagnostics, null, 2)}\n`;
  if (format === 'github') {
    const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
    return diagnostics
      .map((d) => {
        const props = [
          d.file ? `file=${prop(d.file)}` : '',
          d.line ? `line=${d.line}` : '',
          d.column ? `col=${d.column}` : '',
          `title=${prop(d.code)}`,
        ].filter(Boolean);
        return `::${d.severity === 'note' ? 'notice' : d.severity} ${props.join(',')}::${esc(d.message + (d.hint ? ` ${d.hint}` : ''))}\n`;
      })
      .join('');
  }
  const c = paint(options.color);
  const sources = new Map<string, LineIndex | null>();
  const source = (file: string) => {
    if (!sources.has(file)) {
      try {
        sources.set(file, new LineIndex(readFileSync(path.resolve(options.root, file), 'utf8')));
      } catch {
        sources.set(file, null);
      }
    }
    return sources.get(file);
  };
  return diagnostics
    .map((d) => {
      const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '';
      const label =
        d.severity === 'error'
          ? c.red(c.bold('error'))
          : d.severity === 'warning'
            ? c.yellow(c.bold('warning'))
            : c.cyan(c.bold('note'));
      const lines = [`${where ? `${c.cyan(where)} ` : ''}${label} ${d.message} ${c.dim(`[${d.code}]`)}`];
      const src = d.file && d.line ? source(d.file) : undefined;
      if (src && d.line && d.line <= src.lineCount) {
        const width = String(d.line + 1).length;
        for (let n = Math.max(1, d.line - 1); n <= Math.min(src.lineCount, d.line + 1); n++) {
          const text = src.lineText(n).slice(0, 160);
          const gutter = `${String(n).padStart(width)} | `;
          lines.push(n === d.line ? `${c.bold('>')} ${gutter}${text}` : c.dim(`  ${gutter}${text}`));
          if (n === d.line && d.column)
            lines.push(`  ${' '.repeat(width)} | ${' '.repeat(d.column - 1)}${c.red('^')}`);
        }
      }
      if (d.hint) lines.push(`  ${c.green('hint:')} ${d.hint}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 errors, 1 warning in 2 files" */
export function summaryLine(diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  const s = summarize(diagnostics);
  if (!s.errors && !s.warnings) return `No problems in ${plural(checkedFiles, 'file')}.`;
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}.`;
}
