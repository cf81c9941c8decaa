import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, readers, type Newsroom } from '../publish/newsroom.js';
import { bounceFor, bounceRoom, fixture } from './room.js';

describe('scs bounces fetch (the real binary, a dispatch to the loopback SMTP server)', () => {
  let room: Newsroom;
  let server: TestSmtpServer;
  afterEach(async () => {
    await server?.close();
    room?.cleanup();
  });

  const scs = (args: string[]) =>
    runScsAsync(args, { cwd: room.dir, env: { ...room.env, SCS_SMTP_URL: server.url } });
  const show = async (email: string) =>
    JSON.parse((await scs(['subscribers', 'show', email, '--json'])).stdout) as {
      subscriber: { status: string; statusDetail: string | null } | null;
      suppression: { reason: string } | null;
    };

  it('applies bounces and complaints from a Maildir, moves only those, and leaves the rest alone', async () => {
    room = bounceRoom();
    server = await startSmtpServer();
    const emails = readers(5);
    await room.seed('nyheter', emails);
    const sent = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(sent.code, sent.stderr).toBe(0);
    const to = (email: string) => server.received.find((m) => m.to === email)!;

    const box = path.join(room.dir, 'bounces');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(box, sub), { recursive: true });
    const put = (name: string, text: string) => writeFileSync(path.join(box, 'new', name), text, 'latin1');
    put('1.hard', bounceFor('postfix-user-unknown.eml', to(emails[0]!), { verp: true }));
    // No token: matched by Final-Recipient and the returned Message-ID.
    put('2.hard-by-message-id', bounceFor('gmail-no-such-user.eml', to(emails[1]!), { verp: false }));
    put('3.complaint', bounceFor('arf-yahoo-cfl.eml', to(emails[2]!), { verp: true }));
    put('4.soft', bounceFor('gmail-over-quota.eml', to(emails[3]!), { verp: true }));
    put('5.vacation', fixture('auto-sieve-vacation.eml'));
    put('6.reply', fixture('unrelated-human-reply.eml'));
    // The fixture's own token was not signed with this project's secret.
    put('7.forged', fixture('exim-unrouteable.eml'));
    put('8.malformed', fixture('bad-malformed-dsn.eml'));

    const run = await scs([
      'bounces',
      'fetch',
      '--maildir',
      'bounces',
      '--now',
      '2026-10-14T11:00',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      messages: 8,
      recorded: 4,
      suppressed: 3,
      counts: { applied: 4, 'auto-reply': 1, unrelated: 1, forged: 1, malformed: 1, duplicate: 0 },
    });
    expect(run.stderr).toContain('bounce-token-forged');
    expect(run.stderr).toContain(path.join('bounces', 'new', '8.malformed'));
    expect(readdirSync(path.join(box, 'new')).sort()).toEqual([
      '5.vacation',
      '6.reply',
      '7.forged',
      '8.malformed',
    ]);
    expect(readdirSync(path.join(box, 'cur')).sort()).toEqual([
      '1.hard:2,S',
      '2.hard-by-message-id:2,S',
      '3.complaint:2,S',
      '4.soft:2,S',
    ]);

    expect(await show(emails[0]!)).toMatchObject({
      subscriber: {
        status: 'bounced',
        statusDetail: expect.stringMatching(
          /^hard bounce 5\.1\.1 to sv\/.* \(dispatch 1, via maildir\): 550 5\.1\.1 </,
        ),
      },
      suppression: { reason: 'bounced' },
    });
    expect(await show(emails[1]!)).toMatchObject({ suppression: { reason: 'bounced' } });
    expect(await show(emails[2]!)).toMatchObject({
      subscriber: { status: 'complained' },
      suppression: { reason: 'complained' },
    });
    // One soft bounce is not enough (3 within 30 days by default).
    expect(await show(emails[3]!)).toMatchObject({ subscriber: { status: 'confirmed' }, suppression: null });

    // The same report again, under another name: applied once only.
    cpSync(path.join(box, 'cur', '1.hard:2,S'), path.join(box, 'new', '9.again'));
    const again = JSON.parse((await scs(['bounces', 'fetch', '--maildir', 'bounces', '--json'])).stdout);
    expect(again).toMatchObject({ messages: 5, recorded: 0, counts: { duplicate: 1, applied: 0 } });
    expect(existsSync(path.join(box, 'cur', '9.again:2,S'))).toBe(true);

    // Two more soft bounces for the same reader through the Postfix pipe: the third suppresses.
    for (const id of ['soft-2', 'soft-3']) {
      const r = spawnSync(
        process.execPath,
        [BIN, 'bounces', 'fetch', '--stdin', '--now', '2026-10-15T10:00'],
        {
          cwd: room.dir,
          env: { ...cleanEnv(), ...room.env },
          input: bounceFor('gmail-over-quota.eml', to(emails[3]!), { verp: true, id }),
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
    }
    expect(await show(emails[3]!)).toMatchObject({
      subscriber: {
        status: 'bounced',
        statusDetail: expect.stringContaining('3 soft bounces within 30 days'),
      },
    });
    expect(await show(emails[4]!)).toMatchObject({ subscriber: { status: 'confirmed' }, suppression: null });

    // scs status counts them per dispatch, with rates.
    const status = await scs(['status', BERGRUM_SV]);
    expect(status.stdout).toContain(
      'since: 2 bounced hard (40.00 %), 1 soft (20.00 %), 1 complaint (20.00 %) of 5 delivered',
    );
    // And show explains each suppression by its events.
    const shown = await scs(['subscribers', 'show', emails[0]!]);
    expect(shown.stdout).toMatch(/Bounces:\n.*hard 5\.1\.1 \(dispatch 1, via maildir\): 550 5\.1\.1/);

    // Lifting a bounce suppression is logged with its reason; an unsubscribe's is never lifted here.
    const lifted = await scs([
      'subscribers',
      'unsuppress',
      emails[0]!,
      '--reason',
      'mailbox restored, checked by phone',
    ]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(await show(emails[0]!)).toMatchObject({ subscriber: { status: 'confirmed' }, suppression: null });
    expect((await scs(['subscribers', 'show', emails[0]!])).stdout).toContain('unsuppressed');
    const again2 = await scs(['subscribers', 'unsuppress', emails[0]!, '--reason', 'twice']);
    expect([again2.code, again2.stderr]).toEqual([1, expect.stringContaining('[bounce-not-suppressed]')]);
    await scs(['subscribers', 'remove', emails[4]!]);
    const refused = await scs(['subscribers', 'unsuppress', emails[4]!, '--reason', 'asked to']);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      expect.stringContaining('[bounce-unsuppress-refused]'),
    ]);
  });
});
