import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERGRUM_EN, BERGRUM_SV, DUE, newsroom } from '../publish/newsroom.js';
import { postgresBin, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';

/**
 * The same newsroom's day with the real binary, on SQLite and on PostgreSQL: an import, a look at the
 * subscribers, a sign-up through `scs serve`, an erasure, a publish to the file outbox and `scs status`.
 * Whatever the store, the results are the same.
 */
const PEOPLE = `E-post;Namn;Språk
Ada.Berg@Example.org;Ada Berg;sv
bo.lind@example.org;"Bo Lind";sv
cia.ek@example.org;Cia Ek;sv
`;

const haveServer = postgresBin() !== undefined;
let server: TestPostgres | undefined;
let databases = 0;
beforeAll(async () => {
  if (haveServer) server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

/** SCS_DATABASE for a fresh store of this kind (SQLite: the default file in the project). */
function database(kind: 'sqlite' | 'postgres'): NodeJS.ProcessEnv {
  if (kind === 'sqlite') return {};
  const name = `room${++databases}`;
  return {
    SCS_DATABASE: `${server!.createDatabase(name).replace('postgres@', 'postgres:pw-NEVER-SHOWN@')}?schema=scs`,
  };
}

async function startServe(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...cleanEnv(), ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /Listening on (http:\/\/\S+\/)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`scs serve exited: ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `scs status --json`'s dispatches, without the times they ran at. */
const dispatches = (status: {
  dispatches: {
    dispatch: { releaseId: string; listId: string; transport: string; state: string };
    counts: unknown;
  }[];
}) =>
  status.dispatches.map(({ dispatch: d, counts }) => [d.releaseId, d.listId, d.transport, d.state, counts]);

type List = { id: string; status: string };
const lists = (memberships: List[]) => memberships.map((l) => [l.id, l.status]);

/** What a person sees of the day, without the times the runs happened at. */
async function day(kind: 'sqlite' | 'postgres') {
  const room = newsroom();
  const env = { ...room.env, ...database(kind) };
  const outboxDir = path.join(room.dir, '.scs', 'outbox');
  const outbox = () => {
    try {
      return readdirSync(outboxDir).filter((f) => f.endsWith('.eml'));
    } catch {
      return [];
    }
  };
  const printed: string[] = [];
  const scs = async (...args: string[]) => {
    const r = await runScsAsync(args, { cwd: room.dir, env });
    printed.push(r.stdout, r.stderr);
    expect(r.stderr).not.toContain('internal error');
    return r;
  };
  const json = async (...args: string[]) => {
    const r = await scs(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  try {
    writeFileSync(path.join(room.dir, 'people.csv'), PEOPLE);
    const imported = await json('subscribers', 'import', 'people.csv', '--list', 'nyheter', '--confirmed');

    // A sign-up through the form, confirmed by the link in its mail.
    const serve = await startServe(room.dir, env);
    try {
      const form = new URLSearchParams({ email: 'Dag.Holm@example.org', lists: 'nyheter', lang: 'sv' });
      const posted = await fetch(`${serve.url}subscribe`, {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
      expect(posted.status).toBeLessThan(400);
      let mails: string[] = [];
      for (let i = 0; i < 200 && mails.length === 0; i++) {
        mails = outbox();
        if (!mails.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(mails).toHaveLength(1);
      const mail = await simpleParser(readFileSync(path.join(outboxDir, mails[0]!)));
      const link = new URL(/https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0]);
      const confirmed = await fetch(`${serve.url}confirm${link.search}`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(confirmed.status, await confirmed.text()).toBeLessThan(400);
    } finally {
      await serve.stop();
    }

    const shown = await json('subscribers', 'show', 'dag.holm@example.org');
    const erased = await scs('subscribers', 'erase', 'cia.ek@example.org', '--yes');
    const listed = await json('subscribers', 'list');
    const exported = await scs('subscribers', 'export');
    const published = await json('publish', '--now', DUE);
    const status = await json('status');
    for (const text of printed) expect(text).not.toContain('NEVER-SHOWN');
    return {
      imported: { ...imported, file: undefined },
      shown: {
        email: shown.subscriber.email,
        status: shown.subscriber.status,
        lists: lists(shown.subscriber.lists),
        consent: shown.subscriber.consent.source,
        history: shown.history.map((e: { kind: string; list?: string }) => [e.kind, e.list]),
      },
      erased: [erased.code, erased.stdout],
      listed: listed.map((s: { email: string; status: string; lists: List[] }) => [
        s.email,
        s.status,
        lists(s.lists),
      ]),
      exported: [exported.code, exported.stdout.split('\n').length],
      published: published.dispatches.map((d: { releaseId: string; listId: string; counts: unknown }) => [
        d.releaseId,
        d.listId,
        d.counts,
      ]),
      status: dispatches(status),
      outbox: outbox().length,
    };
  } finally {
    room.cleanup();
  }
}

describe('the same day on SQLite and on PostgreSQL (the binary)', { timeout: 300_000 }, () => {
  it.skipIf(!haveServer)('imports, signs up, erases, publishes and reports alike', async () => {
    const [sqlite, postgres] = [await day('sqlite'), await day('postgres')];
    expect(sqlite.listed).toHaveLength(3);
    expect(sqlite.published).toEqual([
      [BERGRUM_EN, 'news', expect.objectContaining({ sent: 0 })],
      [BERGRUM_SV, 'nyheter', expect.objectContaining({ sent: 3 })],
    ]);
    expect(postgres).toEqual(sqlite);
  });

  it.skipIf(!haveServer)('lets two runners publish at once on a fresh PostgreSQL database', async () => {
    // Two CI runners: each its own checkout of the project, one database between them.
    const [room, other] = [newsroom(), newsroom()];
    try {
      const env = { ...room.env, ...database('postgres') };
      const runs = await Promise.all(
        [room, other].map((r) => runScsAsync(['publish', '--now', DUE, '--json'], { cwd: r.dir, env })),
      );
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const status = await runScsAsync(['status', '--json'], { cwd: room.dir, env });
      // Each dispatch planned once, whichever runner got there first, and finished.
      const planned = dispatches(JSON.parse(status.stdout));
      expect(planned.map(([release, list, transport]) => `${release} ${list} ${transport}`).sort()).toEqual([
        `${BERGRUM_EN} news outbox`,
        `${BERGRUM_SV} nyheter outbox`,
      ]);
      for (const d of planned) expect(d[3]).toBe('done');
    } finally {
      room.cleanup();
      other.cleanup();
    }
  });

  it.skipIf(!haveServer)(
    'says clearly, without a password or a stack, when PostgreSQL cannot be used',
    async () => {
      const room = newsroom();
      try {
        const secret = 'pw-NEVER-SHOWN';
        const cases: [string, string][] = [
          [`postgres://nobody:${secret}@127.0.0.1:${server!.port}/postgres`, 'store-auth-failed'],
          [`postgres://postgres:${secret}@127.0.0.1:${server!.port}/no_such_db`, 'store-database-missing'],
          [`postgres://postgres:${secret}@127.0.0.1:1/postgres`, 'store-unreachable'],
        ];
        for (const [url, code] of cases) {
          const r = await runScsAsync(['subscribers', 'list'], {
            cwd: room.dir,
            env: { ...room.env, SCS_DATABASE: url },
          });
          expect([r.code, r.stdout], r.stderr).toEqual([2, '']);
          expect(r.stderr).toContain(`[${code}]`);
          expect(r.stderr).not.toContain(secret);
          expect(r.stderr).not.toMatch(/^\s+at /m);
        }
      } finally {
        room.cleanup();
      }
    },
  );
});
