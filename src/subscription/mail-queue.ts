import type { SendResult } from '../delivery/transport.js';

/** setTimeout and clearTimeout, so that tests can run retries at once. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One attempt at one mail, for the log (named by subscriber id, not address: personal data lives in the store). */
export interface MailLog {
  /** What the mail is, for people ("confirmation for subscriber 12"). */
  what: string;
  attempt: number;
  outcome: 'sent' | 'retrying' | 'failed';
  /** The server's reply, with any address in it masked: logs must hold no personal data. */
  response: string;
  /** When retrying: the wait before the next attempt. */
  retryInMs?: number;
}

export interface MailQueueOptions {
  /** Attempts per mail, the first included. */
  maxAttempts: number;
  /** The wait before the first retry; it doubles on each one. */
  retryBaseMs: number;
  timers?: Timers;
  onMail?: (entry: MailLog) => void;
}

export interface MailQueue {
  /** Starts sending in the background; a temporary failure is retried after a growing wait. */
  add(what: string, send: () => Promise<SendResult>): void;
  /** Resolves when nothing is being sent or waiting for a retry. */
  idle(): Promise<void>;
  /**
   * For shutdown: takes no more mail, makes the waiting retries their last attempt now, and waits for
   * the sends under way — at most `graceMs`.
   */
  drain(graceMs: number): Promise<void>;
}

/** Mail that goes out after the reply, so that no visitor waits on (or learns anything from) SMTP. */
export function createMailQueue(options: MailQueueOptions): MailQueue {
  const timers = options.timers ?? REAL_TIMERS;
  const running = new Set<Promise<void>>();
  const waiting = new Map<unknown, () => void>();
  const idleWaiters: (() => void)[] = [];
  let closed = false;

  const settle = () => {
    if (running.size || waiting.size) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  function attempt(what: string, send: () => Promise<SendResult>, n: number) {
    // Begun on the next turn of the event loop, once the reply is out: not even composing the mail
    // (signing it, reading the DKIM key) may delay it.
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(send)
      .catch(
        (e: Error): SendResult => ({ ok: false, permanent: true, response: e.message, scope: 'message' }),
      )
      .then((result) => {
        if (result.ok)
          return options.onMail?.({
            what,
            attempt: n,
            outcome: 'sent',
            response: maskAddresses(result.response),
          });
        if (result.permanent || closed || n >= options.maxAttempts)
          return options.onMail?.({
            what,
            attempt: n,
            outcome: 'failed',
            response: maskAddresses(result.response),
          });
        const retryInMs = options.retryBaseMs * 2 ** (n - 1);
        options.onMail?.({
          what,
          attempt: n,
          outcome: 'retrying',
          response: maskAddresses(result.response),
          retryInMs,
        });
        const next = () => {
          waiting.delete(handle);
          attempt(what, send, n + 1);
        };
        const handle = timers.set(next, retryInMs);
        waiting.set(handle, next);
      })
      .finally(() => {
        running.delete(run);
        settle();
      });
    running.add(run);
  }

  const idle = () =>
    new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      settle();
    });

  return {
    add(what, send) {
      if (closed) return options.onMail?.({ what, attempt: 0, outcome: 'failed', response: 'shutting down' });
      attempt(what, send, 1);
    },
    idle,
    async drain(graceMs) {
      closed = true;
      for (const [handle, next] of [...waiting]) {
        timers.clear(handle);
        next();
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        idle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** SMTP replies often quote the recipient ("550 5.1.1 <bob@x.se>: no such user"). */
function maskAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>');
}
