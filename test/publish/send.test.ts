import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { ScsError } from '../../src/core/diagnostic.js';
import { sendRelease, type SendOptions } from '../../src/publish/send.js';
import { removeSubscriber } from '../../src/subscribers/manage.js';
import { startSmtpServer, type SmtpScript, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BERGRUM_SV, DUE_DATE, newsroom, readers, type Newsroom } from './newsroom.js';

describe('sending a release (library)', () => {
  let room: Newsroom;
  let server: TestSmtpServer;
  afterEach(async () => {
    await server?.close();
    room?.cleanup();
  });

  const setUp = async (delivery: Record<string, number>, script: SmtpScript = {}) => {
    room = newsroom(delivery);
    server = await startSmtpServer(script);
  };
  const send = (options: Partial<SendOptions> = {}, env: NodeJS.ProcessEnv = {}) =>
    sendRelease(room.config({ SCS_SMTP_URL: server.url, ...env }), {
      release: BERGRUM_SV,
      now: DUE_DATE,
      ...options,
    });
  const dispatchOf = (r: Awaited<ReturnType<typeof send>>) => r.dispatches[0]!;

  it('sends every subscriber one personal message, over at most `concurrency` connections, and never again', async () => {
    await setUp({ concurrency: 3 }, { delayMs: 2 });
    const emails = readers(40);
    await room.seed('nyheter', emails);
    await room.seed('news', ['english@example.com']);
    const result = await send();
    expect(result.ok).toBe(true);
    expect(result.transport.kind).toBe('smtp');
    expect(dispatchOf(result)).toMatchObject({
      state: 'done',
      start: 'new',
      total: 40,
      counts: { sent: 40, pending: 0, sending: 0 },
    });
    for (const email of emails) expect(server.count(email)).toBe(1);
    expect(server.count('english@example.com')).toBe(0);
    expect(server.sessions.maxOpen).toBeLessThanOrEqual(3);
    const first = server.received.find((m) => m.to === emails[7])!.raw.toString();
    expect(first).toContain(`To: "Reader 7" <${emails[7]}>`);
    expect(first).toMatch(
      /List-Unsubscribe: <https:\/\/press\.stadslabbet\.test\/newsletter\/unsubscribe\?token=[\w.-]+>/,
    );
    expect(server.received[0]!.from).toBe('press@stadslabbet.test');

    const again = await send();
    expect(again.ok).toBe(true);
    expect(dispatchOf(again)).toMatchObject({ state: 'done', start: 'finished', run: { sent: 0 } });
    expect(server.received).toHaveLength(40);
  });

  it('retries temporary failures with exponential backoff, and gives up after maxAttempts', async () => {
    const seen = new Map<string, number[]>();
    const flakyIds: string[] = [];
    await setUp(
      { retryBaseMs: 60, maxAttempts: 3 },
      {
        rcpt(to, attempt) {
          seen.set(to, [...(seen.get(to) ?? []), Date.now()]);
          if (to.startsWith('slow') && attempt < 3)
            return { code: 451, message: '4.3.0 Greylisted, try again' };
          if (to.startsWith('never')) return { code: 452, message: '4.2.2 Mailbox full' };
          return undefined;
        },
        data(to, attempt, raw) {
          if (!to.startsWith('flaky')) return undefined;
          flakyIds.push(/^Message-ID: (.*)\r$/m.exec(raw.toString())![1]!);
          return attempt === 1 ? 'drop' : undefined;
        },
      },
    );
    await room.seed('nyheter', [
      'slow@example.com',
      'never@example.com',
      'flaky@example.com',
      'fine@example.com',
    ]);
    const result = await send();
    const d = dispatchOf(result);
    expect(d).toMatchObject({
      state: 'done',
      counts: { sent: 3, failed: 1 },
      run: { sent: 3, failed: 1, retried: 5 },
    });
    expect(server.count('slow@example.com')).toBe(1);
    expect(server.count('flaky@example.com')).toBe(1);
    const [a, b, c] = seen.get('slow@example.com')!;
    expect(b! - a!).toBeGreaterThanOrEqual(60);
    expect(c! - b!).toBeGreaterThanOrEqual(120);
    expect(seen.get('never@example.com')).toHaveLength(3);
    // Every attempt carries the Message-ID assigned when the dispatch was planned.
    expect(flakyIds).toHaveLength(2);
    expect(flakyIds[1]).toBe(flakyIds[0]);

    const store = await room.store();
    try {
      const [problem] = await store.ledger.problems(d.dispatchId!, 5);
      expect(problem).toMatchObject({ email: 'never@example.com', status: 'failed', attempts: 3 });
      expect(problem!.reply).toMatch(/452 .*Mailbox full.*gave up after 3 attempts/);
      // A temporary failure is not a bounce: the address stays deliverable.
      expect((await store.subscribers.find('never@example.com'))?.status).toBe('confirmed');
    } finally {
      await store.close();
    }
  });

  it('records a permanent refusal once, and suppresses the address', async () => {
    await setUp(
      {},
      {
        rcpt: (to) => (to === 'gone@example.com' ? { code: 550, message: '5.1.1 User unknown' } : undefined),
      },
    );
    await room.seed('nyheter', ['gone@example.com', 'here@example.com']);
    const result = await send();
    expect(result.ok).toBe(true);
    expect(dispatchOf(result)).toMatchObject({
      state: 'done',
      counts: { sent: 1, failed: 1 },
      run: { bounced: 1, retried: 0 },
    });
    const store = await room.store();
    try {
      expect((await store.subscribers.find('gone@example.com'))?.status).toBe('bounced');
      expect((await store.subscribers.suppression('gone@example.com'))?.reason).toBe('bounced');
      expect((await collect(store.subscribers.recipients('nyheter'))).map((r) => r.email)).toEqual([
        'here@example.com',
      ]);
    } finally {
      await store.close();
    }
  });

  it('pauses when more than half of the last 100 attempts fail, and resumes on the next run', async () => {
    let healed = false;
    await setUp(
      { retryBaseMs: 300, concurrency: 4 },
      { rcpt: () => (healed ? undefined : { code: 421, message: '4.7.0 Service not available' }) },
    );
    const emails = readers(120);
    await room.seed('nyheter', emails);
    const paused = await send();
    expect(paused.ok).toBe(false);
    const d = dispatchOf(paused);
    expect(d.state).toBe('paused');
    expect(d.reason).toMatch(/^5\d of the last \d+ attempts failed \(the last: .*421/);
    expect(d.counts.sent).toBe(0);
    expect(d.counts.pending).toBe(120);
    expect(server.received).toHaveLength(0);
    const store = await room.store();
    expect(await store.ledger.get(d.dispatchId!)).toMatchObject({ state: 'paused', pauseReason: d.reason });
    await store.close();

    healed = true;
    const resumed = await send();
    expect(resumed.ok).toBe(true);
    expect(dispatchOf(resumed)).toMatchObject({ state: 'done', start: 'resumed', counts: { sent: 120 } });
    for (const email of emails) expect(server.count(email)).toBe(1);
  });

  it('pauses at once, blaming nobody, when the server refuses the sender', async () => {
    room = newsroom();
    server = await startSmtpServer({ auth: { user: 'press', pass: 'right' } });
    await room.seed('nyheter', readers(10));
    const result = await sendRelease(
      room.config({ SCS_SMTP_URL: `smtp://press:wrong@127.0.0.1:${server.port}` }),
      {
        release: BERGRUM_SV,
        now: DUE_DATE,
      },
    );
    const d = dispatchOf(result);
    expect(result.ok).toBe(false);
    expect(d).toMatchObject({ state: 'paused', counts: { pending: 10, failed: 0, sent: 0 } });
    expect(d.reason).toMatch(/the mail server refuses our messages: .*535/);
    const store = await room.store();
    try {
      expect((await store.ledger.due(d.dispatchId!, 20, new Date())).every((r) => r.attempts === 0)).toBe(
        true,
      );
      expect((await store.subscribers.find('reader0000@example.com'))?.status).toBe('confirmed');
    } finally {
      await store.close();
    }
  });

  it('honours an unsubscribe that happens during the dispatch', async () => {
    const emails = readers(30);
    await setUp(
      { concurrency: 1 },
      {
        delayMs: 5,
        async onAccepted(_to) {
          if (server.received.length === 3) {
            const store = await room.store();
            try {
              await removeSubscriber(room.config(), store, { email: emails[20]!, now: new Date() });
            } finally {
              await store.close();
            }
          }
        },
      },
    );
    await room.seed('nyheter', emails);
    const result = await send();
    expect(dispatchOf(result)).toMatchObject({ state: 'done', counts: { sent: 29, skipped: 1 } });
    expect(server.count(emails[20]!)).toBe(0);
    expect(server.received).toHaveLength(29);
  });

  it('stops after the messages in flight when aborted, leaving nothing uncertain, and resumes', async () => {
    const controller = new AbortController();
    await setUp(
      { concurrency: 2 },
      {
        delayMs: 5,
        onAccepted: () => server.received.length >= 5 && controller.abort('interrupted (SIGINT)'),
      },
    );
    const emails = readers(30);
    await room.seed('nyheter', emails);
    const stopped = await send({ signal: controller.signal });
    const d = dispatchOf(stopped);
    expect(d.state).toBe('stopped');
    expect(d.reason).toBe('interrupted (SIGINT)');
    expect(d.counts.uncertain + d.counts.sending).toBe(0);
    expect(d.counts.sent).toBe(server.received.length);
    expect(d.counts.sent).toBeLessThan(30);
    const resumed = await send();
    expect(dispatchOf(resumed)).toMatchObject({ state: 'done', counts: { sent: 30 } });
    for (const email of emails) expect(server.count(email)).toBe(1);
  });

  it('keeps to the rate limit', async () => {
    const times: number[] = [];
    await setUp({ concurrency: 4 }, { onAccepted: () => times.push(Date.now()) });
    await room.seed('nyheter', readers(20));
    const start = Date.now();
    const result = await send({ rate: 25 });
    expect(result.ok).toBe(true);
    // 25 a second with a bucket of 2.5: the 20th message cannot leave before (20 - 2.5) / 25 s.
    expect(times).toHaveLength(20);
    expect(times.at(-1)! - start).toBeGreaterThanOrEqual(700);
  });

  it('sends a test only to the given addresses, marked as a test, outside the ledger', async () => {
    await setUp({});
    await room.seed('nyheter', readers(3));
    const result = await send({ test: ['Editor@Example.com', 'second@example.org'] });
    expect(result.ok).toBe(true);
    expect(result.tests.map((t) => [t.to, t.ok])).toEqual([
      ['Editor@example.com', true],
      ['second@example.org', true],
    ]);
    expect(server.received.map((m) => m.to)).toEqual(
      expect.arrayContaining(['Editor@example.com', 'second@example.org']),
    );
    expect(server.received).toHaveLength(2);
    expect(server.received[0]!.raw.toString()).toMatch(/^Subject: .*TEST/m);
    const store = await room.store();
    try {
      expect(await store.ledger.list()).toEqual([]);
    } finally {
      await store.close();
    }
    // Drafts may be tested; bad addresses are a usage error.
    expect(
      (
        await send({
          release: 'en/winter-cycling-survey-shows-what-keeps-people-on-their-bikes',
          test: ['a@example.com'],
        })
      ).ok,
    ).toBe(true);
    await expect(send({ test: ['not an address'] })).rejects.toThrow(ScsError);
  });

  it('refuses drafts, embargoed releases and unknown names, and plans without sending on a dry run', async () => {
    await setUp({});
    await room.seed('nyheter', readers(3));
    const draft = await send({ release: 'en/winter-cycling-survey-shows-what-keeps-people-on-their-bikes' });
    expect(draft.diagnostics.map((d) => d.code)).toEqual(['release-draft']);
    const embargoed = await send({
      release: 'sv/skelleftea-testar-fossilfria-arbetsmaskiner-pa-byggarbetsplatser',
    });
    expect(embargoed.diagnostics[0]).toMatchObject({ code: 'release-not-published' });
    expect(embargoed.diagnostics[0]!.message).toContain('2027-01-15T08:00+01:00');
    const unknown = await send({ release: 'sv/umea-lagrar-sommarvarme-i-gamla-bergum' }).catch(
      (e: ScsError) => e,
    );
    expect(unknown).toBeInstanceOf(ScsError);
    expect((unknown as ScsError).diagnostics[0]!.hint).toContain(`Did you mean "${BERGRUM_SV}"?`);
    const wrongList = await send({ list: 'news' }).catch((e: ScsError) => e);
    expect((wrongList as ScsError).diagnostics[0]!.code).toBe('email-list-language');

    const dry = await send({ dryRun: true, release: 'bergrum-2026' });
    expect(dry.ok).toBe(true);
    expect(dry.dispatches.map((d) => [d.releaseId, d.listId, d.state, d.total])).toEqual([
      ['en/umea-stores-summer-heat-in-old-rock-caverns', 'news', 'planned', 0],
      [BERGRUM_SV, 'nyheter', 'planned', 3],
    ]);
    const english = await send({ dryRun: true, lang: 'en' });
    expect(english.dispatches.map((d) => [d.releaseId, d.listId])).toEqual([
      ['en/umea-stores-summer-heat-in-old-rock-caverns', 'news'],
    ]);
    expect(server.received).toHaveLength(0);
    const store = await room.store();
    try {
      expect(await store.ledger.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
