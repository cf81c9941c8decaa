import { describe, expect, it } from 'vitest';
import { createCli } from '../../src/cli/context.js';
import { duration, progressPrinter, reportLines } from '../../src/cli/dispatch-output.js';
import type { DispatchProgress, DispatchReport } from '../../src/publish/types.js';
import { BERGRUM_SV } from './newsroom.js';

const stream = (tty: boolean) => {
  const out = {
    text: '',
    isTTY: tty,
    write(s: string) {
      out.text += s;
      return true;
    },
  };
  return out;
};
const cliWith = (tty: boolean) => {
  const stderr = stream(tty);
  const stdout = stream(false);
  const cli = createCli({
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env: { NO_COLOR: '1' },
    cwd: '/',
  });
  return { cli, stderr };
};
const progress = (sent: number, final = false): DispatchProgress => ({
  dispatch: {
    id: 1,
    releaseId: BERGRUM_SV,
    listId: 'nyheter',
    lang: 'sv',
    transport: 'smtp',
    kind: 'newsletter',
    variant: '',
    detail: null,
    covers: null,
    subject: 's',
    releaseHash: 'h',
    state: 'open',
    pauseReason: null,
    total: 1000,
    plannedAt: new Date(),
    startedAt: null,
    finishedAt: null,
  },
  counts: { pending: 1000 - sent - 4, sending: 4, sent, failed: 2, uncertain: 0, skipped: 0 },
  rate: 812.4,
  etaMs: 3000,
  elapsedMs: 1000,
  final,
});

describe('sending progress', () => {
  it('draws a bar in place on a terminal, and clears it at the end', () => {
    const { cli, stderr } = cliWith(true);
    const p = progressPrinter(cli, false);
    p.onProgress(progress(250));
    expect(stderr.text).toBe(
      `${BERGRUM_SV} → nyheter [######------------------] 252/1,000 250 sent, 2 failed, 812/s, ETA 3 s`,
    );
    p.onProgress(progress(500));
    expect(stderr.text).toContain('\r\x1b[2K');
    expect(stderr.text.split('\r\x1b[2K').at(-1)).toContain('502/1,000 500 sent');
    p.onProgress(progress(996, true));
    expect(stderr.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('prints plain lines only every few seconds in logs, and JSON lines for machines', () => {
    const plain = cliWith(false);
    const p = progressPrinter(plain.cli, false);
    p.onProgress(progress(250));
    p.onProgress(progress(996, true));
    expect(plain.stderr.text).toBe('');
    const json = cliWith(false);
    progressPrinter(json.cli, true, 0).onProgress(progress(250));
    const logged = cliWith(false);
    progressPrinter(logged.cli, false, 0).onProgress(progress(250));
    expect(logged.stderr.text).toBe(
      `${BERGRUM_SV} → nyheter: 252/1,000 (250 sent, 2 failed, 812/s, ETA 3 s)\n`,
    );
    expect(JSON.parse(json.stderr.text)).toMatchObject({
      event: 'progress',
      releaseId: BERGRUM_SV,
      sent: 250,
      total: 1000,
      rate: 812,
    });
  });

  it('sums a dispatch up in one line', () => {
    const { cli } = cliWith(false);
    const report: DispatchReport = {
      releaseId: BERGRUM_SV,
      listId: 'nyheter',
      lang: 'sv',
      transport: 'smtp',
      start: 'new',
      state: 'done',
      total: 1203,
      counts: { pending: 0, sending: 0, sent: 1199, failed: 3, uncertain: 0, skipped: 1 },
      run: { sent: 1199, failed: 3, skipped: 1, retried: 4, bounced: 2 },
      requeued: 0,
      added: 0,
      elapsedMs: 75_000,
      diagnostics: [],
    };
    expect(reportLines(cli, report)).toEqual([
      `✓ ${BERGRUM_SV} → nyheter (1,203 recipients): 1,199 sent, 3 failed, 1 skipped in 1 min 15 s, 4 retries, 2 addresses suppressed as bounced.`,
    ]);
    expect(
      reportLines(cli, { ...report, state: 'paused', reason: '51 of the last 100 attempts failed' })[0],
    ).toContain(
      'paused (1,199 sent, 3 failed, 1 skipped): 51 of the last 100 attempts failed. The next run resumes it.',
    );
    expect(duration(3 * 86_400_000)).toBe('3 d');
  });
});
