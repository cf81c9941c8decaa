import type {
  DeliveryClaim,
  DeliveryCounts,
  DeliveryOutcome,
  Dispatch,
  DueDelivery,
  LedgerRepo,
} from '../store/ledger-types.js';
import { FailureWindow } from './failure-window.js';
import { RateMeter } from './rate-meter.js';
import { TokenBucket } from './token-bucket.js';
import type { OutgoingMessage, SendResult, Transport } from './transport.js';

export interface DispatchSettings {
  /** Messages with the transport at once; also the most that can be uncertain after a crash. */
  concurrency: number;
  /** Messages per second; 0 means no limit. */
  rate: number;
  maxAttempts: number;
  /** First retry delay; it doubles with each attempt. */
  retryBaseMs: number;
}

export interface DispatchProgress {
  dispatch: Dispatch;
  counts: DeliveryCounts;
  /** Messages per second over the last few seconds. */
  rate: number;
  /** Estimated time left, when there is a rate to go by. */
  etaMs?: number;
  elapsedMs: number;
  /** The last call for this run of the dispatch. */
  final: boolean;
}

export interface DispatchContext {
  dispatch: Dispatch;
  ledger: LedgerRepo;
  transport: Transport;
  settings: DispatchSettings;
  /** Which of these recipients may still be mailed right now (confirmed, on the list, not suppressed). */
  deliverable(subscriberIds: number[]): Promise<Set<number>>;
  /** The server refused the address for good: suppress it. */
  bounced(email: string, reply: string, now: Date): Promise<void>;
  /** The finished message for a recipient, or why none can be made for them. */
  build(recipient: DueDelivery, now: Date): OutgoingMessage | { error: string };
  clock(): Date;
  /** Aborting stops the dispatch after the messages in flight (Ctrl-C, a lost lock); the reason is reported. */
  signal?: AbortSignal;
  /** Called at most every quarter second, and once at the end. */
  onProgress?(progress: DispatchProgress): void;
  /** When to pause: more than `limit` failures among the last `size` attempts (default 50 of 100). */
  failureWindow?: { size: number; limit: number };
  /**
   * How many hard bounces have been reported for this dispatch so far (DSNs applied by `scs bounces
   * fetch`, relay webhooks): each one reported while the dispatch runs counts as a failure in the
   * window above, so a list that bounces later, not during SMTP, pauses too.
   */
  lateBounces?(): Promise<number>;
  /** How often `lateBounces` is asked (default every second). */
  lateBouncesEveryMs?: number;
}

export interface DispatchRunResult {
  /** `done`: nobody is pending; `paused`: too many failures (resumes next run); `stopped`: aborted. */
  state: 'done' | 'paused' | 'stopped';
  reason?: string;
  counts: DeliveryCounts;
  /** What this run did. */
  run: { sent: number; failed: number; skipped: number; retried: number; bounced: number };
  elapsedMs: number;
  /** Time spent in the ledger, the subscriber checks and building messages. */
  timings: { ledgerMs: number; storeMs: number; buildMs: number };
}

const PROGRESS_EVERY_MS = 250;
const READ_AHEAD = 256;
const REFILL_WAIT_MS = 2;
/** Messages at once with a transport that cannot make a second copy (the outbox): nothing is in doubt. */
const IDEMPOTENT_BATCH = 256;
const LATE_BOUNCES_EVERY_MS = 1000;
/** How often a run with nothing left to send looks whether the other workers have finished. */
const OTHERS_POLL_MS = 1000;

/**
 * Sends one dispatch's pending recipients. The order for each message is: check the subscriber is still
 * deliverable, build the message, commit `sending` (with its Message-ID) to the ledger, hand it to the
 * transport, and commit the outcome. Commits are batched (the claims for free slots together with the
 * outcomes that came in meanwhile), so a crash leaves at most `concurrency` recipients `sending`, to be
 * marked uncertain by the next run. The outbox, which cannot make a second copy, is not claimed at all:
 * after a crash its messages are simply written again, so its outcomes are committed in larger batches.
 * Temporary failures come back after an exponential backoff;
 * permanent ones are final and the address is suppressed; failures piling up pause the dispatch.
 */
export async function runDispatch(ctx: DispatchContext): Promise<DispatchRunResult> {
  const { ledger, transport, settings, clock, dispatch } = ctx;
  const id = dispatch.id;
  const started = performance.now();
  const timings = { ledgerMs: 0, storeMs: 0, buildMs: 0 };
  const timed = <T>(key: keyof typeof timings, fn: () => T): T => {
    const t = performance.now();
    try {
      return fn();
    } finally {
      timings[key] += performance.now() - t;
    }
  };
  /** `timed` for a store call: the time until its answer. */
  const awaited = async <T>(key: keyof typeof timings, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[key] += performance.now() - t;
    }
  };

  await awaited('ledgerMs', () => ledger.setState(id, 'open', null, clock()));
  const counts = await awaited('ledgerMs', () => ledger.counts(id));
  const run = { sent: 0, failed: 0, skipped: 0, retried: 0, bounced: 0 };
  const outcomes: DeliveryOutcome[] = [];
  const window = new FailureWindow(ctx.failureWindow?.size, ctx.failureWindow?.limit);
  const bucket = new TokenBucket(settings.rate, clock().getTime());
  // Messages in flight at once: with a transport that may have delivered a message when a run dies, the
  // concurrency, which bounds how many can be in doubt; with one that cannot deliver twice, a batch
  // (each refill commits the outcomes that came in).
  const slots = transport.idempotent
    ? Math.max(settings.concurrency, IDEMPOTENT_BATCH)
    : settings.concurrency;
  // Free slots are refilled together (each refill is a commit, which costs more than its rows): when
  // three quarters of them are free, or when one has waited REFILL_WAIT_MS, which only a slow server
  // makes happen. (Against a fast server, refilling at half made more, smaller commits and sent no faster.)
  const refillAt = Math.max(1, Math.ceil((slots * 3) / 4));
  let freedAt: number | undefined;
  let inFlight = 0;
  let queue: DueDelivery[] = [];
  // How far the sweep through the dispatch (in subscriber order) has read; retries come back anyway.
  let after = 0;
  // Without claims (see below), the rows of messages in flight or with outcomes not yet committed are
  // still `pending`: a retry among them must not be read again meanwhile.
  const unsettled = transport.idempotent ? new Set<number>() : undefined;
  const readAhead = async (now: Date) => {
    queue = await awaited('ledgerMs', () => ledger.due(id, READ_AHEAD, now, after));
    after = Math.max(after, queue.at(-1)?.subscriberId ?? 0);
    if (unsettled?.size) queue = queue.filter((d) => !unsettled.has(d.subscriberId));
  };
  let halt: { state: 'paused' | 'stopped'; reason: string } | undefined;
  let wake: (() => void) | undefined;
  // A message may settle (or the signal fire) while the loop awaits the store, not only while it sleeps:
  // the next sleep then returns at once instead of missing it.
  let woken = false;
  const notify = () => {
    if (wake) wake();
    else woken = true;
  };
  ctx.signal?.addEventListener('abort', notify);

  // Bounces reported before this run are not its failures: only those that arrive while it runs count.
  let lateSeen = ctx.lateBounces ? await awaited('storeMs', () => ctx.lateBounces!()) : 0;
  let latePolled = performance.now();
  const lateEvery = ctx.lateBouncesEveryMs ?? LATE_BOUNCES_EVERY_MS;
  const pollLateBounces = async () => {
    if (!ctx.lateBounces || performance.now() - latePolled < lateEvery) return;
    latePolled = performance.now();
    const now = await awaited('storeMs', () => ctx.lateBounces!());
    for (; lateSeen < now; lateSeen++) window.add(true);
    if (window.tripped)
      halt ??= {
        state: 'paused',
        reason: `${window.failures} of the last ${window.attempts} attempts failed or bounced later (${now} hard bounces reported for this dispatch)`,
      };
  };

  const meter = new RateMeter();
  let lastProgress = 0;
  const progress = (final: boolean) => {
    if (!ctx.onProgress) return;
    const t = performance.now();
    if (!final && t - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = t;
    const rate = meter.add(t, run.sent + run.failed);
    const left = counts.pending + counts.sending;
    ctx.onProgress({
      dispatch,
      counts: { ...counts },
      rate,
      ...(rate > 0 ? { etaMs: (left / rate) * 1000 } : {}),
      elapsedMs: t - started,
      final,
    });
  };

  const outcome = (d: DueDelivery, o: Omit<DeliveryOutcome, 'subscriberId'>) => {
    outcomes.push({ subscriberId: d.subscriberId, ...o });
    counts[o.status]++;
  };

  const settle = (d: DueDelivery, result: SendResult) => {
    inFlight--;
    freedAt ??= performance.now();
    counts.sending--;
    const attempts = d.attempts + 1;
    if (result.ok) {
      outcome(d, { status: 'sent', attempts, reply: result.response });
      run.sent++;
      window.add(false);
    } else if (result.permanent && result.scope === 'sender') {
      // Not this recipient's doing, and every other message would fail alike: put them back untouched.
      outcome(d, { status: 'pending', attempts: d.attempts, reply: result.response });
      halt ??= { state: 'paused', reason: `the mail server refuses our messages: ${result.response}` };
    } else {
      const now = clock();
      if (result.permanent) {
        outcome(d, { status: 'failed', attempts, reply: result.response });
        run.failed++;
        // Suppressed by then: the caller recorded the bounce before settling (see `bounce`).
        if (result.scope === 'recipient') run.bounced++;
      } else if (attempts >= settings.maxAttempts) {
        outcome(d, {
          status: 'failed',
          attempts,
          reply: `${result.response} (gave up after ${attempts} attempts)`,
        });
        run.failed++;
      } else {
        const retryAt = new Date(now.getTime() + settings.retryBaseMs * 2 ** (attempts - 1));
        outcome(d, { status: 'pending', attempts, reply: result.response, retryAt });
        run.retried++;
      }
      window.add(true);
      if (window.tripped) {
        halt ??= {
          state: 'paused',
          reason: `${window.failures} of the last ${window.attempts} attempts failed (the last: ${d.email}: ${result.response})`,
        };
      }
    }
    notify();
  };

  /** A refusal of the address for good suppresses it before its outcome settles. */
  const bounce = (d: DueDelivery, result: SendResult) =>
    !result.ok && result.permanent && result.scope === 'recipient'
      ? awaited('storeMs', () => ctx.bounced(d.email, result.response, clock()))
      : undefined;

  // Waking waits for the end of the event loop's current turn: replies that arrive together are then
  // recorded (and their slots refilled) in one transaction instead of one each.
  const sleep = (ms: number | undefined) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        setImmediate(resolve);
        return;
      }
      const timer = ms === undefined ? undefined : setTimeout(() => wake?.(), Math.max(1, ms));
      wake = () => {
        wake = undefined;
        clearTimeout(timer);
        setImmediate(resolve);
      };
    });

  let failure: unknown;
  try {
    for (;;) {
      if (!halt && ctx.signal?.aborted)
        halt = { state: 'stopped', reason: String(ctx.signal.reason ?? 'stopped') };
      if (!halt) await pollLateBounces();
      const now = clock();
      const claims: DeliveryClaim[] = [];
      const batch: [DueDelivery, OutgoingMessage][] = [];
      let found = 0;
      const waited = freedAt === undefined ? 0 : performance.now() - freedAt;
      const refill = slots - inFlight >= refillAt || inFlight === 0 || waited >= REFILL_WAIT_MS;
      const tokens = bucket.available(now.getTime());
      // Under a rate limit, a refill waits for a batch's worth of tokens (the free slots, at most a
      // refill's worth): taking each message as its token came cost a commit and a look-up per message,
      // and four throttled workers then fell well short of four times one.
      const batchTokens = Math.max(1, Math.min(slots - inFlight, refillAt, Math.floor(bucket.capacity)));
      if (!halt && !failure && refill) {
        const room = tokens >= batchTokens ? Math.min(slots - inFlight, tokens) : 0;
        if (room > 0) {
          // Read ahead: one query per few hundred recipients. The rows stay pending until claimed, and a
          // claim succeeds only for a row still pending, so a stale read can never send anyone twice.
          if (!queue.length) await readAhead(now);
          const due = queue.splice(0, room);
          found = due.length;
          // One look-up for the batch: a read transaction per recipient cost more than the ledger itself.
          const deliverable = due.length
            ? await awaited('storeMs', () => ctx.deliverable(due.map((d) => d.subscriberId)))
            : new Set<number>();
          for (const d of due) {
            counts.pending--;
            if (!deliverable.has(d.subscriberId)) {
              outcome(d, {
                status: 'skipped',
                attempts: d.attempts,
                reply: 'no longer subscribed when its turn came',
              });
              run.skipped++;
              continue;
            }
            const built = timed('buildMs', () => ctx.build(d, now));
            if ('error' in built) {
              outcome(d, { status: 'failed', attempts: d.attempts, reply: built.error });
              run.failed++;
              continue;
            }
            claims.push({ subscriberId: d.subscriberId, messageId: built.messageId });
            batch.push([d, built]);
          }
        }
      }
      if (refill) freedAt = undefined;
      // Outcomes wait for the next refill's commit rather than taking one of their own: until then their
      // rows stay `sending`, but no new row becomes `sending` before they are recorded, so a crash still
      // leaves at most `concurrency` in doubt. Only a halt records them at once.
      // A transport that cannot deliver twice needs no claims: a message it had when the run died is
      // simply sent again, so its rows stay `pending` until their outcome is recorded.
      if (claims.length || (outcomes.length && (refill || halt || failure))) {
        const claiming = transport.idempotent ? [] : claims;
        const recorded = outcomes.splice(0);
        const claimed =
          claiming.length || recorded.length
            ? await awaited('ledgerMs', () => ledger.record(id, recorded, claiming, now))
            : [];
        if (unsettled) for (const o of recorded) unsettled.delete(o.subscriberId);
        const mine = claiming.length === claimed.length ? undefined : new Set(claimed);
        for (const [d, message] of batch) {
          if (mine && !mine.has(d.subscriberId)) continue;
          unsettled?.add(d.subscriberId);
          counts.sending++;
          inFlight++;
          bucket.take(1, now.getTime());
          // Settles on its own: `settle` and `failure` take the outcome in.
          void transport
            .send(message)
            .catch(
              (e: Error): SendResult => ({
                ok: false,
                permanent: false,
                scope: 'connection',
                response: e.message,
              }),
            )
            .then(async (result) => {
              let bounceFailure: unknown;
              await bounce(d, result)?.catch((e: unknown) => {
                bounceFailure = e;
              });
              try {
                settle(d, result);
                if (bounceFailure !== undefined) throw bounceFailure;
              } catch (e) {
                failure ??= e;
                notify();
              }
            });
        }
        progress(false);
      }
      if (found > 0 && !halt) continue;
      if (inFlight === 0 && (halt || failure)) break;
      let waitMs: number | undefined =
        refill || halt || failure || freedAt === undefined ? undefined : REFILL_WAIT_MS - waited;
      if (!halt && !failure && refill) {
        if (tokens < batchTokens) waitMs = bucket.waitMs(now.getTime(), batchTokens);
        else {
          // Nothing due right now: whoever is left waits for a retry.
          const retryAt = await awaited('ledgerMs', () => ledger.nextRetryAt(id));
          if (retryAt === undefined && inFlight === 0) {
            // The last message settled while the store answered: record it before counting afresh.
            if (outcomes.length) continue;
            if (after > 0) {
              // One more sweep from the start before calling it done, so that nobody put back behind the
              // sweep while it ran (added to the dispatch, say) is left out; they are counted afresh.
              after = 0;
              await readAhead(now);
              if (queue.length) {
                Object.assign(counts, await awaited('ledgerMs', () => ledger.counts(id)));
                continue;
              }
            }
            // Nothing left for this run. Other workers (PostgreSQL) may still have recipients reserved
            // or in flight: wait for them, and take over what one leaves when its lease ends (its
            // messages in flight become uncertain), so that the dispatch is done only when it is.
            const left = await awaited('ledgerMs', () => ledger.counts(id));
            Object.assign(counts, left);
            if (left.pending + left.sending === 0) break;
            await awaited('ledgerMs', () => ledger.markInterrupted(now));
            waitMs = OTHERS_POLL_MS;
          } else if (retryAt !== undefined) waitMs = retryAt.getTime() - now.getTime();
        }
      }
      await sleep(waitMs);
    }
  } catch (e) {
    // Wait for the messages already handed over, so that their outcomes are recorded, then give up.
    failure = e;
    while (inFlight > 0) await sleep(undefined);
  } finally {
    ctx.signal?.removeEventListener('abort', notify);
  }
  const end = clock();
  await awaited('ledgerMs', async () => {
    if (outcomes.length) await ledger.record(id, outcomes.splice(0), [], end);
    if (!failure)
      await ledger.setState(
        id,
        halt ? (halt.state === 'paused' ? 'paused' : 'open') : 'done',
        halt?.state === 'paused' ? halt.reason : null,
        end,
      );
  });
  if (failure) throw failure;
  progress(true);
  return {
    state: halt?.state ?? 'done',
    ...(halt ? { reason: halt.reason } : {}),
    counts: { ...counts },
    run,
    elapsedMs: performance.now() - started,
    timings,
  };
}
