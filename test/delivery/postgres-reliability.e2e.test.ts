import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, newsroom, type Newsroom } from '../publish/newsroom.js';

/**
 * The ledger's promises on PostgreSQL, with the real binary, several worker processes and a loopback
 * SMTP sink: nobody gets two copies, nobody is skipped but the reported uncertain, whatever happens to
 * a worker (SIGKILL, SIGSTOP past its lease, its database connection killed) or however many runners
 * start at once. SCS_TEST_RELIABILITY_N sets the list size (default 20,000).
 */
const N = Number(process.env.SCS_TEST_RELIABILITY_N ?? 20_000);
const CONCURRENCY = 4;
const LEASE_MS = 3000;

let server: TestPostgres;
let databases = 0;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

/** A sink that counts what it accepted per recipient (and keeps nothing else), answering after `delayMs`. */
async function startSink(delayMs: number) {
  const perRecipient = new Map<string, number>();
  const sink = new SMTPServer({
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        setTimeout(() => {
          for (const r of session.envelope.rcptTo)
            perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
          callback();
        }, delayMs);
      });
    },
  });
  sink.on('error', () => {});
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    perRecipient,
    close: () => new Promise<void>((resolve) => sink.close(() => resolve())),
  };
}

interface Setup {
  room: Newsroom;
  db: pg.Client;
  url: string;
  env: NodeJS.ProcessEnv;
  emails: string[];
  scs(args: string[]): ReturnType<typeof runScsAsync>;
  close(): Promise<void>;
}

/** A newsroom on a fresh PostgreSQL database with `n` confirmed readers of `nyheter`, and a sink. */
async function setup(n: number, sinkUrl: string): Promise<Setup> {
  const room = newsroom({ concurrency: CONCURRENCY, leaseMs: LEASE_MS, timeoutMs: 10_000 });
  const url = server.createDatabase(`reliable${++databases}`);
  const env = { ...room.env, SCS_DATABASE: url, SCS_SMTP_URL: sinkUrl };
  const scs = (args: string[]) => runScsAsync(args, { cwd: room.dir, env });
  const migrated = await scs(['db', 'migrate']);
  expect(migrated.code, migrated.stderr).toBe(0);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(
    `INSERT INTO subscribers (email, email_hash, email_key, name, lang, status, consent_source, consent_at, created_at, updated_at)
     SELECT 'reader' || i || '@example.com', 'hash' || i, 'reader' || i || '@example.com', NULL, 'sv',
       'confirmed', 'import', '2026-10-01T08:00:00.000Z', '2026-10-01T08:00:00.000Z', '2026-10-01T08:00:00.000Z'
     FROM generate_series(1, $1::int) AS i`,
    [n],
  );
  await db.query(
    `INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at)
     SELECT 'nyheter', id, 'active', created_at, created_at FROM subscribers`,
  );
  const emails = Array.from({ length: n }, (_, i) => `reader${i + 1}@example.com`);
  return {
    room,
    db,
    url,
    env,
    emails,
    scs,
    async close() {
      await db.end();
      room.cleanup();
    },
  };
}

const send = (s: Setup, ...extra: string[]) =>
  s.scs(['send', BERGRUM_SV, '--list', 'nyheter', '--now', DUE, ...extra]);

interface WorkerRow {
  pid: number;
  fence: string;
  sent: number;
  sending: number;
}

/** Each live worker with what it has sent and has in flight so far. */
async function workers(db: pg.Client): Promise<WorkerRow[]> {
  const { rows } = await db.query<WorkerRow>(
    `SELECT w.pid, w.fence,
       count(d.*) FILTER (WHERE d.status = 'sent')::int AS sent,
       count(d.*) FILTER (WHERE d.status = 'sending')::int AS sending
     FROM dispatch_workers w LEFT JOIN deliveries d ON d.claim_fence = w.fence
     GROUP BY w.pid, w.fence ORDER BY w.fence`,
  );
  return rows;
}

async function counts(db: pg.Client): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM deliveries GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Nobody twice; everyone sent once except the uncertain, who got it at most once. */
async function checkLedgerAgainstSink(s: Setup, perRecipient: Map<string, number>) {
  const { rows } = await s.db.query<{ email: string; status: string }>(
    'SELECT email, status FROM deliveries',
  );
  expect(rows).toHaveLength(s.emails.length);
  const twice = [...perRecipient].filter(([, n]) => n > 1);
  expect(twice).toEqual([]);
  const notSent = rows.filter((r) => r.status === 'sent' && perRecipient.get(r.email) !== 1);
  expect(notSent).toEqual([]);
  const neither = rows.filter((r) => r.status !== 'sent' && r.status !== 'uncertain');
  expect(neither).toEqual([]);
}

describe('several workers on PostgreSQL', () => {
  it(`4 workers, ${N} recipients, one killed with SIGKILL mid-send: nobody twice, nobody skipped but its messages in flight`, async () => {
    const sink = await startSink(2);
    const s = await setup(N, sink.url);
    try {
      const run = send(s, '--workers', '4');
      // The first worker past ~1,000 sent (1/20 of the list when it is smaller) with messages in flight.
      const victim = await until('a worker with 1,000 sent and messages in flight', async () =>
        (await workers(s.db)).find((w) => w.sent >= Math.min(1000, N / 20) && w.sending > 0),
      );
      process.kill(victim.pid, 'SIGKILL');
      await until('the worker to die', async () => (alive(victim.pid) ? undefined : true));
      // A statement it had sent the server may still commit: let it.
      await pause(500);
      const { rows } = await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE claim_fence = $1 AND status = 'sending'`,
        [victim.fence],
      );
      const inFlight = rows[0]!.n;
      expect(inFlight).toBeGreaterThan(0);
      expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);
      const result = await run;
      // The killed worker makes the whole command fail; the others finished the dispatch.
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`pid ${victim.pid}\\): no result`));
      const c = await counts(s.db);
      expect(c).toEqual({ sent: N - inFlight, uncertain: inFlight });
      await checkLedgerAgainstSink(s, sink.perRecipient);
      const { rows: state } = await s.db.query<{ state: string }>('SELECT state FROM dispatches');
      expect(state).toEqual([{ state: 'done' }]);

      // A later run sends nothing new.
      const before = [...sink.perRecipient.values()].reduce((a, b) => a + b, 0);
      const again = await send(s);
      expect(again.code, again.stderr).toBe(0);
      expect([...sink.perRecipient.values()].reduce((a, b) => a + b, 0)).toBe(before);
      expect(await counts(s.db)).toEqual(c);
    } finally {
      await s.close();
      await sink.close();
    }
  }, 300_000);

  it('a worker frozen past its lease (SIGSTOP) sends nothing more when woken, and says why', async () => {
    const n = Math.min(N, 3000);
    const sink = await startSink(2);
    const s = await setup(n, sink.url);
    try {
      const run = send(s, '--workers', '3');
      const frozen = await until('a worker with messages sent and in flight', async () =>
        (await workers(s.db)).find((w) => w.sent >= n / 20 && w.sending > 0),
      );
      process.kill(frozen.pid, 'SIGSTOP');
      const frozenAt = Date.now();
      try {
        // `scs status` lists the workers, the frozen one among them (gone once its lease has run out).
        const status = await s.scs(['status', '--json']);
        expect(status.code, status.stderr).toBe(0);
        const listed = (JSON.parse(status.stdout) as { workers: { pid: number; command: string }[] }).workers;
        expect(listed.map((w) => w.pid)).toContain(frozen.pid);
        expect(listed.length).toBeGreaterThanOrEqual(2);
        // The others take over its recipients once its lease has run out, and finish the dispatch.
        await until(
          'the others to finish',
          async () => {
            const c = await counts(s.db);
            return (c.pending ?? 0) + (c.sending ?? 0) === 0 ? c : undefined;
          },
          120_000,
        );
        expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(LEASE_MS - 500);
      } finally {
        process.kill(frozen.pid, 'SIGCONT');
      }
      const sentBefore = [...sink.perRecipient.values()].reduce((a, b) => a + b, 0);
      const result = await run;
      expect(result.code).toBe(1);
      expect(`${result.stdout}\n${result.stderr}`).toMatch(/lease/);
      // Woken, it claimed and sent nothing new: the sink got nothing more than the messages it had in
      // flight when it froze (which are uncertain).
      const c = await counts(s.db);
      expect((c.sent ?? 0) + (c.uncertain ?? 0)).toBe(n);
      expect(c.uncertain ?? 0).toBeLessThanOrEqual(CONCURRENCY);
      expect([...sink.perRecipient.values()].reduce((a, b) => a + b, 0) - sentBefore).toBeLessThanOrEqual(
        c.uncertain ?? 0,
      );
      await checkLedgerAgainstSink(s, sink.perRecipient);
    } finally {
      await s.close();
      await sink.close();
    }
  }, 300_000);

  it('two runners publishing at once mail each release once', async () => {
    const sink = await startSink(1);
    const s = await setup(Math.min(N, 2000), sink.url);
    try {
      // Two runners (CI jobs) each with a checkout of its own, on the same database.
      const other = newsroom({ concurrency: CONCURRENCY, leaseMs: LEASE_MS, timeoutMs: 10_000 });
      const [a, b] = await Promise.all([
        s.scs(['publish', '--now', DUE]),
        runScsAsync(['publish', '--now', DUE], { cwd: other.dir, env: s.env }),
      ]).finally(() => other.cleanup());
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const { rows } = await s.db.query<{ release_id: string; list_id: string; total: number }>(
        `SELECT release_id, list_id, total FROM dispatches WHERE list_id = 'nyheter'`,
      );
      expect(rows.map((r) => r.total)).toEqual(rows.map(() => s.emails.length));
      const c = await counts(s.db);
      expect(c).toEqual({ sent: rows.length * s.emails.length });
      // Each of the releases' messages once per reader: nobody got any twice.
      for (const email of s.emails.slice(0, 50)) expect(sink.perRecipient.get(email)).toBe(rows.length);
      expect(
        [...sink.perRecipient.values()].every((v) => v === rows.length),
        'every reader got each release once',
      ).toBe(true);
    } finally {
      await s.close();
      await sink.close();
    }
  }, 300_000);

  it('a worker whose database connection is killed stops cleanly: nobody twice', async () => {
    const n = Math.min(N, 3000);
    const sink = await startSink(2);
    const s = await setup(n, sink.url);
    try {
      const run = send(s, '--workers', '2');
      const victim = await until('a worker with messages sent', async () =>
        (await workers(s.db)).find((w) => w.sent >= n / 20),
      );
      // Every connection of the workers drops at once, busy or idle.
      const { rows: killed } = await s.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scs'`,
      );
      expect(killed.length).toBeGreaterThan(0);
      const result = await run;
      expect([0, 1, 2]).toContain(result.code);
      // Whatever it left is finished by a later run: nobody twice, nobody skipped but the uncertain.
      const again = await send(s);
      expect([0, 1]).toContain(again.code);
      await pause(LEASE_MS + 500);
      const last = await send(s);
      expect(last.code, last.stderr).toBe(0);
      const c = await counts(s.db);
      expect((c.sent ?? 0) + (c.uncertain ?? 0)).toBe(n);
      expect(c.uncertain ?? 0).toBeLessThanOrEqual(CONCURRENCY * 2);
      expect(victim.pid).toBeGreaterThan(0);
      await checkLedgerAgainstSink(s, sink.perRecipient);
    } finally {
      await s.close();
      await sink.close();
    }
  }, 300_000);
});
