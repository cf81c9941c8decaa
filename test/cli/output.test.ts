import { describe, expect, it } from 'vitest';
import { formatDiagnostics, summaryLine, useColor } from '../../src/cli/output.js';
import type { Diagnostic } from '../../src/core/diagnostic.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('useColor', () => {
  it('colours only a terminal, and never with NO_COLOR or TERM=dumb', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
  });
});

describe('formatDiagnostics', () => {
  const d: Diagnostic = {
    code: 'date-invalid',
    severity: 'error',
    message: 'Bad, "date": 100%',
    hint: 'Fix it,\nplease.',
    file: 'releases/a,b.md',
    line: 3,
    column: 7,
  };

  it('escapes GitHub annotation properties and data', () => {
    expect(formatDiagnostics([d], 'github', { root: '.', color: false })).toBe(
      '::error file=releases/a%2Cb.md,line=3,col=7,title=date-invalid::Bad, "date": 100%25 Fix it,%0Aplease.\n',
    );
  });

  it('prints JSON as an array of diagnostics', () => {
    expect(JSON.parse(formatDiagnostics([d], 'json', { root: '.', color: false }))).toEqual([d]);
  });

  it('prints location, severity, message, code and hint for people', () => {
    const text = formatDiagnostics([d], 'pretty', { root: '/nonexistent', color: false });
    expect(text).toBe(
      'releases/a,b.md:3:7 error Bad, "date": 100% [date-invalid]\n  hint: Fix it,\nplease.\n',
    );
  });

  it('sums up', () => {
    expect(summaryLine([], 4)).toBe('No problems in 4 files.');
    expect(summaryLine([d, { ...d, severity: 'warning', file: 'x.md' }], 4)).toBe(
      '1 error, 1 warning in 2 files.',
    );
  });
});
