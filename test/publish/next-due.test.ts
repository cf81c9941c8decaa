import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchReport } from '../../src/publish/types.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { runScsAsync } from '../helpers/scs.js';
import { DUE, type Newsroom, newsroom, readers } from './newsroom.js';

/** `scs publish --json` as a scheduler reads it (dates as JSON has them). */
interface Published {
  ok: boolean;
  nextDue?: string;
  nextDueReason?: 'release' | 'retry';
  dispatches: (Omit<DispatchReport, 'retryAt'> & { retryAt?: string })[];
}

const TEN_MINUTES = 600_000;

/** What a scheduler running `scs publish` learns from it: the exit code and when to run next. */
describe('scs publish on a schedule (the binary)', () => {
  let room: Newsroom;
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    room?.cleanup();
  });
  const publish = async (url: string, json = true) => {
    const before = Date.now();
    const r = await runScsAsync(['publish', '--now', DUE, ...(json ? ['--json'] : [])], {
      cwd: room.dir,
      env: { ...room.env, SCS_SMTP_URL: url },
    });
    return { ...r, before, after: Date.now(), result: json ? (JSON.parse(r.stdout) as Published) : undefined };
  };
  const within = (iso: string | undefined, from: number, to: number) => {
    const t = Date.parse(iso ?? '');
    expect(t).toBeGreaterThanOrEqual(from - 1000);
    expect(t).toBeLessThanOrEqual(to + 1000);
  };

  it('exits 0 when everything went out, and names the next release due (an embargo)', async () => {
    room = newsroom();
    room.seed('nyheter', readers(3));
    server = await startSmtpServer();
    const { code, result } = await publish(server.url);
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, nextDue: '2027-01-15T07:00:00.000Z', nextDueReason: 'release' });
    expect(result!.dispatches.every((d) => d.state === 'done' && d.retryAt === undefined)).toBe(true);
  });

  it('exits 1 when the server refuses us, and asks to be run again one retry delay later', async () => {
    room = newsroom({ retryBaseMs: TEN_MINUTES });
    room.seed('nyheter', readers(3));
    server = await startSmtpServer({ auth: { user: 'press', pass: 'right' } });
    const wrong = `smtp://press:wrong@127.0.0.1:${server.port}`;
    const json = await publish(wrong);
    expect(json.code).toBe(1);
    expect(json.result).toMatchObject({ ok: false, nextDueReason: 'retry' });
    within(json.result!.nextDue, json.before + TEN_MINUTES, json.after + TEN_MINUTES);
    const paused = json.result!.dispatches.find((d) => d.state === 'paused')!;
    expect(paused.reason).toMatch(/refuses our messages: .*535/);
    expect(paused.retryAt).toBe(json.result!.nextDue);

    const text = await publish(wrong, false);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^Next retry due: \d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d \(run scs publish again then: the paused dispatch resumes\)\.$/m,
    );
    expect(text.stdout).not.toContain('Next release due');
    expect(server.received).toHaveLength(0);
  });

  it('exits 1 when failures pause a dispatch, and names its first retry', async () => {
    room = newsroom({ retryBaseMs: TEN_MINUTES, maxAttempts: 5 });
    room.seed('nyheter', readers(60));
    server = await startSmtpServer({ rcpt: () => ({ code: 451, message: '4.3.0 Try again later' }) });
    const { code, result, before, after } = await publish(server.url);
    expect(code).toBe(1);
    const paused = result!.dispatches.find((d) => d.state === 'paused')!;
    expect(paused.reason).toMatch(/of the last \d+ attempts failed/);
    expect(result).toMatchObject({ ok: false, nextDueReason: 'retry', nextDue: paused.retryAt });
    within(paused.retryAt, before + TEN_MINUTES, after + TEN_MINUTES);
  });
});
