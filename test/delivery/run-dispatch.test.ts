import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../helpers/stores.js';
import { type DispatchContext, runDispatch } from '../../src/delivery/run-dispatch.js';
import type { OutgoingMessage, SendResult, Transport } from '../../src/delivery/transport.js';
import type { Dispatch, LedgerRecipient, LedgerRepo, NewDispatch } from '../../src/store/ledger-types.js';
import type { Store } from '../../src/store/types.js';
import { newsroom, readers, type Newsroom } from '../publish/newsroom.js';

const plan: NewDispatch = {
  releaseId: 'sv/x',
  lang: 'sv',
  listId: 'nyheter',
  transport: 'smtp',
  subject: 'X',
  releaseHash: 'h1',
};
const OK: SendResult = { ok: true, response: '250 ok' };
const LATER: SendResult = { ok: false, permanent: false, scope: 'connection', response: '451 later' };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A transport that answers through `answer`, and keeps what it was given. */
function transport(answer: (m: OutgoingMessage, attempt: number) => Promise<SendResult>, idempotent = false) {
  const sent: string[] = [];
  const t: Transport & { sent: string[] } = {
    kind: idempotent ? 'outbox' : 'smtp',
    idempotent,
    description: 'test',
    sent,
    send(m) {
      sent.push(m.to);
      return answer(m, sent.filter((to) => to === m.to).length);
    },
    async close() {},
  };
  return t;
}

/** The ledger, with a look after every commit at what a crash at that moment would leave in doubt. */
function watched(ledger: LedgerRepo, dispatchId: number) {
  const commits = { outcomesOnly: 0, withClaims: 0, mostSending: 0 };
  const watchedLedger: LedgerRepo = {
    ...ledger,
    async record(id, outcomes, claims, now) {
      const claimed = await ledger.record(id, outcomes, claims, now);
      if (!claims.length) commits.outcomesOnly++;
      else commits.withClaims++;
      commits.mostSending = Math.max(commits.mostSending, (await ledger.counts(dispatchId)).sending);
      return claimed;
    },
  };
  return { ledger: watchedLedger, commits };
}

describe('the send loop', () => {
  let room: Newsroom;
  let store: Store;
  beforeEach(async () => {
    room = newsroom();
  });
  afterEach(async () => {
    await store?.close();
    await room.cleanup();
  });

  const context = (
    over: Partial<DispatchContext> & Pick<DispatchContext, 'dispatch' | 'ledger' | 'transport'>,
  ): DispatchContext => {
    let n = 0;
    return {
      settings: { concurrency: 4, rate: 0, maxAttempts: 3, retryBaseMs: 5 },
      deliverable: async (ids) => new Set(ids),
      bounced: async () => {},
      build: (d) => ({
        from: 'press@example.com',
        to: d.email,
        raw: Buffer.from('Subject: X\r\n\r\nHej\r\n'),
        messageId: `<${d.subscriberId}.${n++}@test>`,
      }),
      clock: () => new Date(),
      ...over,
    };
  };
  const planned = async (
    recipients?: (all: LedgerRecipient[]) => LedgerRecipient[],
    over: Partial<NewDispatch> = {},
  ) => {
    const source = recipients
      ? { recipients: recipients(await collect(store.subscribers.recipients('nyheter'))) }
      : { list: 'nyheter' };
    return await store.ledger.createDispatch({ ...plan, ...over }, source, new Date());
  };

  /**
   * Runs the dispatch over a transport that answers the first ten messages and then never again, as if
   * the run were killed; once `stuckAt` messages wait, `inspect` looks at the ledger from another
   * connection, as the next run would.
   */
  const stuckRun = async (
    dispatch: Dispatch,
    idempotent: boolean,
    stuckAt: number,
    inspect: (next: Store) => Promise<void>,
  ) => {
    const hung: (() => void)[] = [];
    const t = transport(
      () =>
        t.sent.length <= 10 ? Promise.resolve(OK) : new Promise((resolve) => hung.push(() => resolve(OK))),
      idempotent,
    );
    const controller = new AbortController();
    const running = runDispatch(
      context({ dispatch, ledger: store.ledger, transport: t, signal: controller.signal }),
    );
    while (hung.length < stuckAt) await tick(1);
    const next = await room.store();
    try {
      await inspect(next);
    } finally {
      await next.close();
    }
    controller.abort('test over');
    for (const answer of hung) answer();
    expect((await running).state).toBe('stopped');
  };

  it('never has more than `concurrency` recipients in doubt, and records outcomes with the next claims', async () => {
    await room.seed('nyheter', readers(120));
    store = await room.store();
    const dispatch = await planned();
    const { ledger, commits } = watched(store.ledger, dispatch.id);
    const t = transport(() => tick(Math.random() * 3).then(() => OK));
    const result = await runDispatch(context({ dispatch, ledger, transport: t }));
    expect(result).toMatchObject({ state: 'done', counts: { sent: 120, sending: 0, pending: 0 } });
    expect(new Set(t.sent).size).toBe(120);
    expect(t.sent).toHaveLength(120);
    // A crash at any commit would have left at most 4 uncertain.
    expect(commits.mostSending).toBeLessThanOrEqual(4);
    // Outcomes ride along with claims; only the last few, with nobody left to claim, have their own.
    expect(commits.outcomesOnly).toBeLessThanOrEqual(4);
  });

  it('under a rate limit, claims a batch of messages per commit, not one per token', async () => {
    await room.seed('nyheter', readers(160));
    store = await room.store();
    const dispatch = await planned();
    const { ledger, commits } = watched(store.ledger, dispatch.id);
    const at: number[] = [];
    // A fast server: every slot is free again long before the next token, as against a real relay.
    const t = transport(() => {
      at.push(performance.now());
      return Promise.resolve(OK);
    });
    const settings = { concurrency: 8, rate: 400, maxAttempts: 3, retryBaseMs: 5 };
    const result = await runDispatch(context({ dispatch, ledger, transport: t, settings }));
    expect(result).toMatchObject({ state: 'done', counts: { sent: 160 } });
    // Six messages (three quarters of the slots) per claim at least, apart from the first burst.
    expect(commits.withClaims).toBeLessThanOrEqual(160 / 6 + 2);
    // And the limit holds: no second sees more than `rate` messages plus the bucket's tenth of a second.
    for (const [i, start] of at.entries()) {
      const inSecond = at.slice(i).filter((x) => x < start + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(400 + 40);
    }
  });

  it('pauses when hard bounces reported while it runs pile up, counting only those that arrive meanwhile', async () => {
    await room.seed('nyheter', readers(300));
    store = await room.store();
    const dispatch = await planned();
    const t = transport(() => tick(1).then(() => OK));
    // 10 bounces from an earlier run, then (as DSNs come back) nearly every message bounces.
    const lateBounces = async () => 10 + Math.max(0, t.sent.length - 20);
    const result = await runDispatch(
      context({ dispatch, ledger: store.ledger, transport: t, lateBounces, lateBouncesEveryMs: 0 }),
    );
    expect(result.state).toBe('paused');
    expect(result.reason).toMatch(
      /^\d+ of the last \d+ attempts failed or bounced later \(\d+ hard bounces reported/,
    );
    expect(t.sent.length).toBeLessThan(300);
    // Without bounces coming back, nothing pauses.
    const calm = await planned(undefined, { listId: 'nyheter', releaseId: 'sv/y' });
    const quiet = transport(() => tick(1).then(() => OK));
    const done = await runDispatch(
      context({
        dispatch: calm,
        ledger: store.ledger,
        transport: quiet,
        lateBounces: async () => 10,
        lateBouncesEveryMs: 0,
      }),
    );
    expect(done.state).toBe('done');
  });

  it('leaves at most `concurrency` uncertain when the run dies mid-batch', async () => {
    await room.seed('nyheter', readers(30));
    store = await room.store();
    const dispatch = await planned();
    await stuckRun(dispatch, false, 4, async (next) => {
      // Exactly the four with the server: the ten before them were recorded with the last claims.
      expect((await next.ledger.markInterrupted(new Date())).get(dispatch.id)).toBe(4);
      expect(await next.ledger.counts(dispatch.id)).toMatchObject({
        sent: 10,
        uncertain: 4,
        sending: 0,
        pending: 16,
      });
    });
  });

  it('commits in batches over a transport that cannot deliver twice, and leaves nobody in doubt', async () => {
    await room.seed('nyheter', readers(200));
    store = await room.store();
    const dispatch = await planned(undefined, { transport: 'outbox' });
    const { ledger, commits } = watched(store.ledger, dispatch.id);
    // Every tenth is refused once: a retry is sent once more, never twice while its outcome is pending.
    const t = transport(
      (m, attempt) => Promise.resolve(m.to.endsWith('7@example.com') && attempt === 1 ? LATER : OK),
      true,
    );
    const result = await runDispatch(context({ dispatch, ledger, transport: t }));
    expect(result).toMatchObject({
      state: 'done',
      counts: { sent: 200, sending: 0, pending: 0 },
      run: { sent: 200, retried: 20 },
    });
    expect(new Set(t.sent).size).toBe(200);
    expect(t.sent).toHaveLength(220);
    // No claims, and outcomes in batches of 256 although the concurrency is 4: a few commits, not sixty.
    expect(commits.withClaims).toBe(0);
    expect(commits.outcomesOnly).toBeLessThanOrEqual(10);
    expect(commits.mostSending).toBe(0);

    // A run that dies with messages in flight leaves them to be written again, not uncertain.
    await room.seed('nyheter', readers(30, 'late'));
    const next = await planned(undefined, { transport: 'outbox', releaseId: 'sv/y' });
    await stuckRun(next, true, 20, async (other) => {
      expect((await other.ledger.markInterrupted(new Date())).has(next.id)).toBe(false);
      const counts = await other.ledger.counts(next.id);
      expect(counts).toMatchObject({ sending: 0, uncertain: 0 });
      expect(counts.sent + counts.pending).toBe(230);
      expect(counts.pending).toBeGreaterThanOrEqual(20);
    });
  });

  it('brings back the retries the sweep has passed, and looks again from the start before it is done', async () => {
    const ids = await room.seed('nyheter', readers(40));
    store = await room.store();
    // The first subscriber joins the dispatch only once the sweep is well past them.
    const dispatch = await planned((all) => all.filter((r) => r.subscriberId !== ids[0]));
    const late = (await collect(store.subscribers.recipients('nyheter'))).filter(
      (r) => r.subscriberId === ids[0],
    );
    const t = transport(async (m, attempt) => {
      if (t.sent.length === 20)
        await store.ledger.addRecipients(dispatch.id, { recipients: late }, new Date());
      return Promise.resolve(m.to.endsWith('7@example.com') && attempt === 1 ? LATER : OK);
    });
    const result = await runDispatch(context({ dispatch, ledger: store.ledger, transport: t }));
    expect(result).toMatchObject({ state: 'done', counts: { sent: 40, pending: 0 }, run: { retried: 4 } });
    expect(t.sent.filter((to) => to === 'reader0000@example.com')).toHaveLength(1);
    expect(t.sent.filter((to) => to === 'reader0017@example.com')).toHaveLength(2);
    expect(t.sent).toHaveLength(44);
  });
});
