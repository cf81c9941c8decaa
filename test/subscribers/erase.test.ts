import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';
import { eraseSubscriber } from '../../src/subscribers/manage.js';
import { DUE, DUE_DATE, type Newsroom, newsroom } from '../publish/newsroom.js';

/** Every file under `dir` whose bytes mention one of `needles` (in any letter case). */
function filesMentioning(dir: string, needles: string[]): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => {
      const text = readFileSync(file).toString('latin1').toLowerCase();
      return needles.some((n) => text.includes(n.toLowerCase()));
    })
    .map((file) => path.relative(dir, file));
}

describe('scs subscribers erase (the binary)', { timeout: 240_000 }, () => {
  let room: Newsroom;
  let server: TestSmtpServer | undefined;
  let serve: ChildProcess | undefined;
  afterEach(async () => {
    if (serve?.exitCode === null) {
      const exited = new Promise((resolve) => serve!.on('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await server?.close();
    serve = server = undefined;
    room?.cleanup();
  });

  it('leaves no trace under .scs/ (database, write-ahead log, ledger replies, outbox) while another process holds the database open', async () => {
    room = newsroom({ maxAttempts: 2 });
    await room.seed('nyheter', ['anna@example.com']);
    // `scs serve` keeps the database open, so that no other run's close empties the log.
    serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: room.dir,
      env: { ...cleanEnv(), ...room.env },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      serve!.stdout!.on('data', (d) => {
        stdout += d;
        const m = /Listening on (http:\/\/\S+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      serve!.on('exit', () => reject(new Error('scs serve exited')));
    });
    // A connection of the test's own, opened and closed for each look.
    const query = (sql: string) => {
      const db = new Database(path.join(room.dir, '.scs', 'scs.db'), { readonly: true });
      try {
        return db.prepare(sql).pluck().all();
      } finally {
        db.close();
      }
    };
    const scs = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await runScsAsync(args, { cwd: room.dir, env: { ...room.env, ...env } });
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const person = ['ingrid.holm@example.se', 'Quillfeather'];
    await scs([
      'subscribers',
      'add',
      'Ingrid.Holm@Example.se',
      '--name',
      'Ingrid Quillfeather',
      '--list',
      'nyheter',
    ]);
    await scs(['subscribers', 'add', 'ingrid.holm@example.se', '--list', 'nyheter', '--confirmed']);
    await scs(['publish', '--now', DUE]);
    // A server whose refusal quotes the address and the name, as many do.
    server = await startSmtpServer({
      rcpt: (to) =>
        to.toLowerCase() === person[0]
          ? { code: 452, message: `4.2.2 <${to}>: mailbox of Ingrid Quillfeather is full` }
          : undefined,
    });
    await runScsAsync(['publish', '--now', DUE], {
      cwd: room.dir,
      env: { ...room.env, SCS_SMTP_URL: server.url },
    });
    // Written after the send's checkpoint: her row is in the log now (and a confirmation mail for news
    // in the outbox, besides the first one and the newsletter).
    await scs([
      'subscribers',
      'add',
      'INGRID.HOLM@example.se',
      '--list',
      'news',
      '--name',
      'Ingrid Quillfeather-Ek',
    ]);
    const quoting = "SELECT count(*) FROM deliveries WHERE last_reply LIKE '%<ingrid.holm@example.se>%'";
    expect(query(quoting)).toEqual([1]);
    const scsDir = path.join(room.dir, '.scs');
    expect(filesMentioning(scsDir, person).sort()).toEqual([
      expect.stringMatching(/^outbox\/.+\.eml$/),
      expect.stringMatching(/^outbox\/.+\.eml$/),
      expect.stringMatching(/^outbox\/.+\.eml$/),
      'scs.db',
      'scs.db-wal',
    ]);

    const erased = await scs(['subscribers', 'erase', 'Ingrid.HOLM@example.se', '--yes']);
    expect(erased.stdout).toContain('Erased Ingrid.HOLM@example.se');
    expect(erased.stderr).toContain('Deleted 3 messages to them from the file outbox.');
    expect(filesMentioning(scsDir, person)).toEqual([]);
    // Everyone else's data is untouched, and the open connection reads on.
    expect(filesMentioning(scsDir, ['anna@example.com']).sort()).toEqual([
      expect.stringMatching(/^outbox\/.+\.eml$/),
      'scs.db',
    ]);
    expect(query('SELECT email FROM subscribers')).toEqual(['anna@example.com']);
    expect((await fetch(`${url}healthz`)).status).toBe(200);
  });

  it('says when a reader kept the log from being emptied, and a second erase finishes it', async () => {
    room = newsroom();
    await room.seed('nyheter', ['ingrid.holm@example.se']);
    const store = await room.store();
    // A read that began before the erasure still needs the old pages in the log.
    const reader = new Database(path.join(room.dir, '.scs', 'scs.db'));
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM subscribers').get();
      const first = await eraseSubscriber(room.config(), store, {
        email: 'ingrid.holm@example.se',
        now: DUE_DATE,
      });
      expect([first.erased, first.logCleared]).toEqual([true, false]);
      reader.exec('COMMIT');
      const again = await eraseSubscriber(room.config(), store, {
        email: 'ingrid.holm@example.se',
        now: DUE_DATE,
      });
      expect([again.erased, again.logCleared]).toEqual([false, true]);
    } finally {
      reader.close();
      await store.close();
    }
  });
});
