import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.js';
import { runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, readers, type Newsroom } from '../publish/newsroom.js';
import { bounceFor, bounceRoom, fixture } from './room.js';

/** A client of the test user's mailbox, to fill it and look at it. */
const imapClient = (d: TestDovecot) =>
  new ImapFlow({
    host: '127.0.0.1',
    port: d.port,
    secure: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
  });

describe('scs bounces fetch from IMAP (the real binary, a throw-away Dovecot)', () => {
  let room: Newsroom;
  let server: TestSmtpServer;
  let dovecot: TestDovecot;
  let client: ImapFlow | undefined;
  afterEach(async () => {
    await client?.logout().catch(() => {});
    await dovecot?.stop();
    await server?.close();
    room?.cleanup();
  });

  it('applies what it recognises, moves exactly that to Processed, and leaves the rest in the INBOX', async () => {
    room = bounceRoom();
    server = await startSmtpServer();
    dovecot = await startDovecot();
    const emails = readers(3);
    await room.seed('nyheter', emails);
    const env = { ...room.env, SCS_SMTP_URL: server.url, SCS_BOUNCE_IMAP_URL: dovecot.url };
    const scs = (args: string[]) => runScsAsync(args, { cwd: room.dir, env });
    expect((await scs(['send', BERGRUM_SV, '--now', DUE])).code).toBe(0);
    const to = (email: string) => server.received.find((m) => m.to === email)!;

    client = imapClient(dovecot);
    await client.connect();
    const inbox = [
      bounceFor('m365-recipient-not-found.eml', to(emails[0]!), { verp: true }),
      bounceFor('arf-feedback-loop.eml', to(emails[1]!), { verp: false }),
      fixture('auto-exchange-ooo.eml'),
      fixture('unrelated-spam.eml'),
      fixture('yahoo-no-account.eml'),
    ];
    for (const raw of inbox) await client.append('INBOX', raw.replace(/\r?\n/g, '\r\n'));
    await client.logout();
    client = undefined;

    const run = await scs(['bounces', 'fetch', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      source: expect.stringMatching(/^IMAP imap:\/\/127\.0\.0\.1:\d+\/INBOX$/),
      messages: 5,
      recorded: 2,
      suppressed: 2,
      counts: { applied: 2, 'auto-reply': 1, unrelated: 1, forged: 1 },
    });
    // The password never shows.
    expect(run.stdout + run.stderr).not.toContain(dovecot.password);

    client = imapClient(dovecot);
    await client.connect();
    const subjects = async (box: string) => {
      const lock = await client!.getMailboxLock(box);
      try {
        const all =
          client!.mailbox && client!.mailbox.exists > 0
            ? await client!.fetchAll('1:*', { envelope: true, flags: true })
            : [];
        return all.map((m) => ({ subject: m.envelope?.subject, seen: m.flags?.has('\\Seen') ?? false }));
      } finally {
        lock.release();
      }
    };
    expect((await subjects('INBOX')).map((m) => m.subject).sort()).toEqual([
      "Automatic reply: Rock caverns store the summer's heat",
      'Failure Notice',
      'You have won!',
    ]);
    // Left untouched: not even marked as read.
    expect((await subjects('INBOX')).every((m) => !m.seen)).toBe(true);
    expect(await subjects('Processed')).toHaveLength(2);

    const again = JSON.parse((await scs(['bounces', 'fetch', '--json'])).stdout);
    expect(again).toMatchObject({ messages: 3, recorded: 0, counts: { applied: 0 } });

    for (const [email, reason] of [
      [emails[0]!, 'bounced'],
      [emails[1]!, 'complained'],
    ] as const) {
      const shown = JSON.parse((await scs(['subscribers', 'show', email, '--json'])).stdout);
      expect(shown.suppression).toMatchObject({ reason });
    }
  });
});
