import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchReport } from '../../src/publish/types.js';
import { type SmtpScript, startSmtpServer } from '../delivery/smtp-server.js';
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
  const stops: (() => unknown)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  /** A newsroom with `n` readers on "nyheter" and an SMTP server, both gone after the test. */
  const setUp = async (n: number, delivery: Record<string, number>, script: SmtpScript = {}) => {
    const room = newsroom(delivery);
    stops.push(room.cleanup);
    await room.seed('nyheter', readers(n));
    const server = await startSmtpServer(script);
    stops.push(server.close);
    return { room, server };
  };
  const publish = async (room: Newsroom, url: string, json = true) => {
    const before = Date.now();
    const r = await runScsAsync(['publish', '--now', DUE, ...(json ? ['--json'] : [])], {
      cwd: room.dir,
      env: { ...room.env, SCS_SMTP_URL: url },
    });
    return {
      ...r,
      before,
      after: Date.now(),
      result: json ? (JSON.parse(r.stdout) as Published) : undefined,
    };
  };
  const within = (iso: string | undefined, from: number, to: number) => {
    const t = Date.parse(iso ?? '');
    expect(t).toBeGreaterThanOrEqual(from - 1000);
    expect(t).toBeLessThanOrEqual(to + 1000);
  };

  it('exits 0 when everything went out, and names the next release due (an embargo)', async () => {
    const { room, server } = await setUp(3, {});
    const { code, result } = await publish(room, server.url);
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, nextDue: '2027-01-15T07:00:00.000Z', nextDueReason: 'release' });
    expect(result!.dispatches.every((d) => d.state === 'done' && d.retryAt === undefined)).toBe(true);
  });

  it('exits 1 when the server refuses us, and asks to be run again one retry delay later', async () => {
    const { room, server } = await setUp(
      3,
      { retryBaseMs: TEN_MINUTES },
      { auth: { user: 'press', pass: 'right' } },
    );
    const wrong = `smtp://press:wrong@127.0.0.1:${server.port}`;
    const json = await publish(room, wrong);
    expect(json.code).toBe(1);
    expect(json.result).toMatchObject({ ok: false, nextDueReason: 'retry' });
    within(json.result!.nextDue, json.before + TEN_MINUTES, json.after + TEN_MINUTES);
    const paused = json.result!.dispatches.find((d) => d.state === 'paused')!;
    expect(paused.reason).toMatch(/refuses our messages: .*535/);
    expect(paused.retryAt).toBe(json.result!.nextDue);

    const text = await publish(room, wrong, false);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^Next retry due: \d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d \(run scs publish again then: the paused dispatch resumes\)\.$/m,
    );
    expect(text.stdout).not.toContain('Next release due');
    expect(server.received).toHaveLength(0);
  });

  it('exits 1 when failures pause a dispatch, and names its first retry', async () => {
    const { room, server } = await setUp(
      60,
      { retryBaseMs: TEN_MINUTES, maxAttempts: 5 },
      { rcpt: () => ({ code: 451, message: '4.3.0 Try again later' }) },
    );
    const { code, result, before, after } = await publish(room, server.url);
    expect(code).toBe(1);
    const paused = result!.dispatches.find((d) => d.state === 'paused')!;
    expect(paused.reason).toMatch(/of the last \d+ attempts failed/);
    expect(result).toMatchObject({ ok: false, nextDueReason: 'retry', nextDue: paused.retryAt });
    within(paused.retryAt, before + TEN_MINUTES, after + TEN_MINUTES);
  });
});
