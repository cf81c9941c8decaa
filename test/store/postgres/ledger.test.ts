import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScsError } from '../../../src/core/diagnostic.js';
import type { LedgerRepo, LockHolder, NewDispatch } from '../../../src/store/ledger-types.js';
import { connectPostgres } from '../../../src/store/postgres/connect.js';
import { createPostgresLedger } from '../../../src/store/postgres/ledger.js';
import { type PostgresLocation, parsePostgresUrl } from '../../../src/store/postgres/location.js';
import { migratePostgres } from '../../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations/index.js';
import { createSqlPool, type Sql, type SqlPool } from '../../../src/store/postgres/sql.js';
import { claimAndRecord } from '../../helpers/ledger-scenario.js';
import { failure, startPostgres, type TestPostgres } from '../../helpers/postgres.js';

const T = new Date('2026-10-14T08:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);
const LEASE_MS = 10_000;
const plan: NewDispatch = {
  releaseId: 'sv/x',
  lang: 'sv',
  listId: 'nyheter',
  transport: 'smtp',
  subject: 'X',
  releaseHash: 'h1',
};

let server: TestPostgres;
let databases = 0;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const pools: SqlPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.end();
});

/** A fresh, migrated database of its own. */
async function database(): Promise<PostgresLocation> {
  const parsed = parsePostgresUrl(server.createDatabase(`ledger${++databases}`));
  if ('code' in parsed) throw new Error(parsed.message);
  const client = await connectPostgres(parsed);
  try {
    await migratePostgres(client, parsed, POSTGRES_MIGRATIONS);
  } finally {
    await client.end();
  }
  return parsed;
}

/** A worker's view: a pool and a ledger of its own, as a separate process would have. */
function worker(location: PostgresLocation): { sql: Sql; ledger: LedgerRepo } {
  const pool = createSqlPool(location, { max: 2 });
  pools.push(pool);
  return { sql: pool.sql, ledger: createPostgresLedger(pool.sql) };
}

/** Subscribers on `list`, confirmed; returns their ids in order. */
async function seed(sql: Sql, list: string, emails: readonly string[], status = 'confirmed') {
  const ids: number[] = [];
  for (const email of emails) {
    const [row] = await sql.rows<{ id: string }>(
      `INSERT INTO subscribers (email, email_hash, email_key, name, lang, status, consent_source, consent_at, created_at, updated_at)
       VALUES ($1, 'h:' || $1, $1, NULL, 'sv', $2, 'cli', 'x', 'x', 'x') RETURNING id`,
      [email, status],
    );
    const id = Number(row!.id);
    await sql.run(
      `INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at) VALUES ($1, $2, 'active', 'x', 'x')`,
      [list, id],
    );
    ids.push(id);
  }
  return ids;
}

const readers = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `reader${String(from + i).padStart(4, '0')}@example.com`);

let tokens = 0;
function holder(over: Partial<LockHolder> = {}, now = T): LockHolder {
  return {
    token: `t${++tokens}`,
    pid: process.pid,
    host: hostname(),
    command: 'scs send sv/x',
    startedAt: now,
    heartbeatAt: now,
    expiresAt: new Date(now.getTime() + LEASE_MS),
    ...over,
  };
}

async function leaseLost(p: Promise<unknown>): Promise<ScsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ScsError) return e;
    throw e;
  }
  throw new Error('expected the lease to be lost');
}

/** The server's refusal of a statement, as the store reports it (`store-server-error`, with its reason). */
async function refused(p: Promise<unknown>): Promise<string> {
  const [d] = (await failure(p)).diagnostics;
  expect(d!.code).toBe('store-server-error');
  return d!.message;
}

// The backend-neutral behaviour is test/delivery/ledger.test.ts's contract suite (storeFactories); here,
// what PostgreSQL adds: planning in the database under races, leases, reservations and fences.
describe('the ledger on PostgreSQL', () => {
  it('gives each plan its own Message-ID prefix, and checks references per statement (migration 3)', async () => {
    const { sql, ledger } = worker(await database());
    const [a] = await seed(sql, 'nyheter', readers(2));
    const first = await ledger.createDispatch(plan, { list: 'nyheter' }, T, 'news.example');
    const again = await ledger.createDispatch(
      { ...plan, releaseId: 'sv/y' },
      { list: 'nyheter' },
      T,
      'news.example',
    );
    const ids = async (id: number) =>
      (
        await sql.rows<{ message_id: string }>(
          'SELECT message_id FROM deliveries WHERE dispatch_id = $1 ORDER BY subscriber_id',
          [id],
        )
      ).map((r) => r.message_id);
    const [one, two] = [await ids(first.id), await ids(again.id)];
    expect(one).toHaveLength(2);
    expect(new Set(one.map((m) => m.slice(0, 25))).size).toBe(1);
    expect(one[0]!.slice(0, 25)).not.toBe(two[0]!.slice(0, 25));

    // The statement triggers keep the rules the foreign keys kept, for single rows and bulk alike.
    expect(
      await refused(
        sql.run(
          `INSERT INTO subscriptions (list_id, subscriber_id, status, created_at, updated_at)
           SELECT 'other', x, 'active', 'x', 'x' FROM unnest($1::bigint[]) AS x`,
          [[a, 999_999]],
        ),
      ),
    ).toMatch(/subscriptions names a row of subscribers that does not exist/);
    expect(
      await refused(
        sql.run(
          `INSERT INTO deliveries (dispatch_id, subscriber_id, email, status, updated_at) VALUES (999, $1, 'x', 'pending', 0)`,
          [a],
        ),
      ),
    ).toMatch(/deliveries names a row of dispatches that does not exist/);
    // And the cascades: a dispatch takes its deliveries along, an erased subscriber their memberships.
    await sql.run('DELETE FROM dispatches WHERE id = $1', [first.id]);
    expect(await ids(first.id)).toEqual([]);
    await sql.run('DELETE FROM subscribers WHERE id = $1', [a]);
    expect(await sql.rows('SELECT 1 FROM subscriptions WHERE subscriber_id = $1', [a])).toEqual([]);
  });

  it('plans a list in the database: the deliverable members, each with a Message-ID of its own', async () => {
    const { sql, ledger } = worker(await database());
    const ids = await seed(sql, 'nyheter', readers(5));
    await seed(sql, 'news', ['english@example.com']);
    await seed(sql, 'nyheter', ['unconfirmed@example.com'], 'pending');
    await sql.run(`UPDATE subscriptions SET status = 'unsubscribed' WHERE subscriber_id = $1`, [ids[1]]);
    await sql.run(`INSERT INTO suppressions (hash, reason, created_at) VALUES ($1, 'bounced', 'x')`, [
      'h:reader0002@example.com',
    ]);
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T, 'news.example');
    expect(d).toMatchObject({ ...plan, state: 'open', total: 3, plannedAt: T, startedAt: null });
    expect(await ledger.counts(d.id)).toMatchObject({ pending: 3, sent: 0 });
    await ledger.acquireLock(holder(), () => false);
    const due = await ledger.due(d.id, 10, T);
    expect(due.map((r) => r.email)).toEqual([
      'reader0000@example.com',
      'reader0003@example.com',
      'reader0004@example.com',
    ]);
    // UUID-shaped: a random prefix per plan, then the subscriber id in hex (so the index grows at one end).
    const prefix = due[0]!.messageId!.slice(1, 25);
    expect(prefix).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-$/);
    for (const r of due)
      expect(r.messageId).toBe(`<${prefix}${r.subscriberId.toString(16).padStart(12, '0')}@news.example>`);
    expect((await ledger.find(plan))?.id).toBe(d.id);
    expect(await ledger.find({ ...plan, transport: 'outbox' })).toBeUndefined();
    expect(await ledger.list({ releaseIds: ['sv/x'] })).toHaveLength(1);
    expect(await ledger.list({ releaseIds: ['sv/y'] })).toHaveLength(0);

    // A correction goes to exactly those the release was sent to; given recipients, to those.
    await ledger.record(d.id, [], [{ subscriberId: due[0]!.subscriberId, messageId: '<a@x>' }], T);
    await ledger.record(
      d.id,
      [{ subscriberId: due[0]!.subscriberId, status: 'sent', attempts: 1, reply: '250' }],
      [],
      T,
    );
    const correction = await ledger.createDispatch(
      { ...plan, kind: 'correction', variant: '2026-10-15' },
      { sentIn: d.id },
      T,
    );
    expect(correction.total).toBe(1);
    expect(await ledger.sentRecipients(d.id)).toEqual([
      { subscriberId: due[0]!.subscriberId, email: 'reader0000@example.com', name: null },
    ]);
    const given = await ledger.createDispatch(
      { ...plan, kind: 'notice', variant: 'moved' },
      { recipients: [{ subscriberId: 99, email: 'x@example.com', name: 'X' }] },
      T,
    );
    expect(given.total).toBe(1);
    expect(await ledger.due(given.id, 10, T)).toEqual([
      { subscriberId: 99, email: 'x@example.com', name: 'X', attempts: 0, messageId: null },
    ]);
  });

  it('of two runners planning the same dispatch at once, one plans it and both get it', async () => {
    const location = await database();
    const a = worker(location);
    const b = worker(location);
    await seed(a.sql, 'nyheter', readers(300));
    const [one, two] = await Promise.all([
      a.ledger.createDispatch(plan, { list: 'nyheter' }, T, 'x'),
      b.ledger.createDispatch(plan, { list: 'nyheter' }, T, 'x'),
    ]);
    expect(one!.id).toBe(two!.id);
    expect(one!.total).toBe(300);
    expect(two!.total).toBe(300);
    expect(await a.ledger.counts(one!.id)).toMatchObject({ pending: 300 });
  });

  it('lets several workers top up the same dispatch at once: each newcomer added once', async () => {
    const location = await database();
    const all = [1, 2, 3, 4].map(() => worker(location));
    await seed(all[0]!.sql, 'nyheter', readers(10));
    const d = await all[0]!.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await seed(all[0]!.sql, 'nyheter', readers(2000, 10));
    const added = await Promise.all(
      all.map((w) => w.ledger.addRecipients(d.id, { list: 'nyheter' }, T, 'x')),
    );
    expect(added.reduce((a, b) => a + b, 0)).toBe(2000);
    expect((await all[0]!.ledger.get(d.id))?.total).toBe(2010);
  });

  it('claims only pending recipients and records outcomes, retries and interruptions', async () => {
    const location = await database();
    const { sql, ledger } = worker(location);
    const ids = await seed(sql, 'nyheter', readers(4));
    const d = await ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await ledger.acquireLock(holder(), () => false);
    await claimAndRecord(ledger, d.id, T, at);
    expect(ids).toHaveLength(4);

    // While this worker's lease lives, nobody else's markInterrupted touches its message in flight.
    const other = worker(location);
    await other.ledger.acquireLock(holder({}, at(2000)), () => false);
    expect([...(await other.ledger.markInterrupted(at(2000)))]).toEqual([]);
    // Once it is past: e, with its Message-ID, is uncertain.
    expect([...(await other.ledger.markInterrupted(at(LEASE_MS + 1)))]).toEqual([[d.id, 1]]);
    expect(await ledger.counts(d.id)).toMatchObject({ sending: 0, uncertain: 1 });
    expect((await ledger.problems(d.id, 5))[0]).toMatchObject({
      status: 'uncertain',
      messageId: '<e@x>',
      at: at(LEASE_MS + 1),
    });
    expect(await ledger.requeueUncertain(d.id, at(LEASE_MS + 2))).toBe(1);
    expect(await ledger.counts(d.id)).toMatchObject({ uncertain: 0, pending: 2 });
  });
});

describe('leases on PostgreSQL', () => {
  it('lets several workers hold leases at once, each reserving recipients the others do not get', async () => {
    const location = await database();
    const a = worker(location);
    const b = worker(location);
    const ids = await seed(a.sql, 'nyheter', readers(10));
    const d = await a.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    expect(await a.ledger.acquireLock(holder({ command: 'scs publish' }), () => false)).toEqual({
      acquired: true,
    });
    expect((await b.ledger.acquireLock(holder(), () => false)).acquired).toBe(true);
    expect((await a.ledger.holders()).map((h) => h.command)).toEqual(['scs publish', 'scs send sv/x']);
    const [ra, rb] = await Promise.all([a.ledger.due(d.id, 4, T), b.ledger.due(d.id, 4, T)]);
    const both = [...ra!, ...rb!].map((r) => r.subscriberId).sort((x, y) => x - y);
    expect(both).toEqual(ids.slice(0, 8));
    // b cannot claim what a reserved, nor record an outcome for it.
    const aOwn = ra!.map((r) => ({ subscriberId: r.subscriberId, messageId: '<b@x>' }));
    expect(await b.ledger.record(d.id, [], aOwn, T)).toEqual([]);
    expect((await b.ledger.due(d.id, 10, T)).map((r) => r.subscriberId)).toEqual([
      ...rb!.map((r) => r.subscriberId),
      ids[8],
      ids[9],
    ]);
    // Released, a's reserved rows are free again.
    await a.ledger.releaseLock((await a.ledger.holders())[0]!.token);
    expect((await b.ledger.due(d.id, 10, T)).map((r) => r.subscriberId)).toEqual(ids);
  });

  it('a worker frozen past its lease claims and records nothing; another takes its recipients over', async () => {
    const location = await database();
    const frozen = worker(location);
    const other = worker(location);
    const ids = await seed(frozen.sql, 'nyheter', readers(6));
    const d = await frozen.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    const h = holder();
    await frozen.ledger.acquireLock(h, () => false);
    const mine = await frozen.ledger.due(d.id, 4, T);
    // Two handed to the transport, two still only reserved.
    await frozen.ledger.record(
      d.id,
      [],
      mine.slice(0, 2).map((r) => ({ subscriberId: r.subscriberId, messageId: `<${r.subscriberId}@x>` })),
      T,
    );
    expect(await frozen.ledger.heartbeat(h.token, at(5000))).toBe(true);
    const late = at(5000 + LEASE_MS);
    // The lease ran out: nobody may refresh it any more…
    expect(await frozen.ledger.heartbeat(h.token, late)).toBe(false);
    // …and another worker that starts meanwhile ends it: the two in flight become uncertain.
    const taken = await other.ledger.acquireLock(holder({}, late), () => false);
    expect(taken).toMatchObject({ acquired: true, tookOverFrom: { token: h.token } });
    expect(await other.ledger.counts(d.id)).toMatchObject({ uncertain: 2, pending: 4, sending: 0 });
    expect((await other.ledger.due(d.id, 10, late)).map((r) => r.subscriberId)).toEqual(ids.slice(2));
    // The frozen worker wakes: its claims and outcomes commit nothing, and it is told why.
    const claim = frozen.ledger.record(
      d.id,
      [{ subscriberId: ids[0]!, status: 'sent', attempts: 1, reply: '250' }],
      mine.slice(2).map((r) => ({ subscriberId: r.subscriberId, messageId: 'x' })),
      late,
    );
    expect((await leaseLost(claim)).diagnostics[0]?.code).toBe('dispatch-lease-lost');
    expect((await leaseLost(frozen.ledger.due(d.id, 10, late))).diagnostics[0]?.code).toBe(
      'dispatch-lease-lost',
    );
    expect(await other.ledger.counts(d.id)).toMatchObject({ uncertain: 2, pending: 4, sending: 0, sent: 0 });
  });

  it('fences by the lease even before anyone ends it: an expired lease claims nothing', async () => {
    const location = await database();
    const a = worker(location);
    const b = worker(location);
    const ids = await seed(a.sql, 'nyheter', readers(3));
    const d = await a.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await a.ledger.acquireLock(holder(), () => false);
    const reserved = await a.ledger.due(d.id, 3, T);
    const late = at(LEASE_MS);
    // b, whose lease began earlier and lives on, may take a's reserved rows once a's lease is past.
    await b.ledger.acquireLock(holder({ expiresAt: at(LEASE_MS * 2) }), () => false);
    expect((await b.ledger.due(d.id, 10, late)).map((r) => r.subscriberId)).toEqual(ids);
    await expect(
      a.ledger.record(
        d.id,
        [],
        reserved.map((r) => ({ subscriberId: r.subscriberId, messageId: 'x' })),
        late,
      ),
    ).rejects.toThrow(ScsError);
    expect(await a.ledger.counts(d.id)).toMatchObject({ pending: 3, sending: 0 });
  });

  it('without a lease, sends as SQLite does (nothing reserved), but never takes what a live lease holds', async () => {
    const location = await database();
    const plain = worker(location);
    const leased = worker(location);
    const ids = await seed(plain.sql, 'nyheter', readers(4));
    const d = await plain.ledger.createDispatch(plan, { list: 'nyheter' }, T);
    await leased.ledger.acquireLock(holder(), () => false);
    expect((await leased.ledger.due(d.id, 2, T)).map((r) => r.subscriberId)).toEqual(ids.slice(0, 2));
    expect((await plain.ledger.due(d.id, 10, T)).map((r) => r.subscriberId)).toEqual(ids.slice(2));
    const all = ids.map((id) => ({ subscriberId: id, messageId: `<${id}@x>` }));
    expect(await plain.ledger.record(d.id, [], all, T)).toEqual(ids.slice(2));
    expect(
      await plain.ledger.record(
        d.id,
        [{ subscriberId: ids[2]!, status: 'sent', attempts: 1, reply: '250' }],
        [],
        T,
      ),
    ).toEqual([]);
    expect(await plain.ledger.counts(d.id)).toMatchObject({ pending: 2, sending: 1, sent: 1 });
  });

  it('ends the leases the caller says are gone (a dead process on this machine)', async () => {
    const location = await database();
    const a = worker(location);
    const b = worker(location);
    await a.ledger.acquireLock(holder({ pid: 999_999, command: 'scs publish' }), () => false);
    const taken = await b.ledger.acquireLock(holder(), (h) => h.pid === 999_999);
    expect(taken).toMatchObject({ acquired: true, tookOverFrom: { command: 'scs publish' } });
    expect((await b.ledger.holders()).map((h) => h.pid)).toEqual([process.pid]);
  });
});
