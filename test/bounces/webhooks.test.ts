import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import { sendRelease } from '../../src/publish/send.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import { createServer, type RequestLog, type SubscriptionServer } from '../../src/subscription/server.js';
import type { Store } from '../../src/store/types.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BERGRUM_SV, DUE_DATE, readers, type Newsroom } from '../publish/newsroom.js';
import { bounceRoom } from './room.js';

const MAILGUN_KEY = 'key-mailgun-test-0123456789';
const POSTMARK_AUTH = 'scs:postmark-test-password';

describe('relay webhooks in scs serve (real HTTP on 127.0.0.1)', () => {
  let room: Newsroom;
  let smtp: TestSmtpServer;
  let server: SubscriptionServer | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    if (server) await shutdown(server);
    await store?.close();
    await smtp?.close();
    room?.cleanup();
  });

  it('verifies, applies the policy once per event, and refuses forgeries, replays and wrong content types', async () => {
    room = bounceRoom();
    smtp = await startSmtpServer();
    const emails = readers(3);
    await room.seed('nyheter', emails);
    await sendRelease(room.config({ SCS_SMTP_URL: smtp.url }), { release: BERGRUM_SV, now: DUE_DATE });
    const messageId = (email: string) =>
      /^Message-ID: <(.+)>$/im.exec(smtp.received.find((m) => m.to === email)!.raw.toString())![1]!;

    const config = room.config({
      SCS_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      SCS_WEBHOOK_POSTMARK_AUTH: POSTMARK_AUTH,
    });
    store = await room.store();
    const now = new Date('2026-10-14T09:00:00Z');
    const log: RequestLog[] = [];
    server = createServer(config, store, createTransport(config), {
      now: () => now,
      onRequest: (e) => log.push(e),
    });
    const base = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}/newsletter/webhooks/`;
    const post = (relay: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(base + relay, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    const mailgunEvent = (seconds: number, key = MAILGUN_KEY) => {
      const timestamp = String(Math.floor(now.getTime() / 1000) - seconds);
      const token = 'a'.repeat(50);
      return {
        signature: {
          timestamp,
          token,
          signature: createHmac('sha256', key)
            .update(timestamp + token)
            .digest('hex'),
        },
        'event-data': {
          event: 'failed',
          severity: 'permanent',
          id: 'mg-event-1',
          recipient: emails[0],
          message: { headers: { 'message-id': messageId(emails[0]!) } },
          'delivery-status': { code: 550, 'enhanced-code': '5.1.1', description: 'No such mailbox' },
        },
      };
    };
    expect((await post('mailgun', mailgunEvent(10, 'wrong-key-0123456789'))).status).toBe(401);
    // Replayed: signed, but more than five minutes old.
    expect((await post('mailgun', mailgunEvent(301))).status).toBe(401);
    expect(
      (
        await fetch(`${base}mailgun`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: 'x',
        })
      ).status,
    ).toBe(415);
    expect((await post('mailgun', '{not json')).status).toBe(400);
    expect(await store.subscribers.suppression(emails[0]!)).toBeUndefined();

    const ok = await post('mailgun', mailgunEvent(10));
    expect(ok.status).toBe(200);
    expect(await post('mailgun', mailgunEvent(20)).then((r) => r.status)).toBe(200);
    expect(await store.subscribers.suppression(emails[0]!)).toMatchObject({ reason: 'bounced' });
    expect(await store.bounces.events((await store.subscribers.find(emails[0]!))!.id)).toHaveLength(1);

    const complaint = { RecordType: 'SpamComplaint', ID: 4242, Email: emails[1], Details: 'marked as spam' };
    expect((await post('postmark', complaint)).status).toBe(401);
    const basic = `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}`;
    expect(
      (
        await post('postmark', complaint, {
          Authorization: `Basic ${Buffer.from('scs:wrong').toString('base64')}`,
        })
      ).status,
    ).toBe(401);
    expect((await post('postmark', complaint, { Authorization: basic })).status).toBe(200);
    expect(await store.subscribers.suppression(emails[1]!)).toMatchObject({ reason: 'complained' });
    // Not a bounce: accepted, nothing applied.
    const autoReply = { RecordType: 'Bounce', Type: 'AutoResponder', ID: 4243, Email: emails[2] };
    expect((await post('postmark', autoReply, { Authorization: basic })).status).toBe(200);
    expect(await store.subscribers.suppression(emails[2]!)).toBeUndefined();

    expect((await fetch(`${base}postmark`)).status).toBe(405);
    expect(log.map((e) => e.note).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'mailgun: bad signature',
        'mailgun: timestamp older than 5 minutes (replay)',
        'mailgun: content type is not application/json',
        'mailgun: 1 recorded, 1 suppressed, 0 unmatched',
        'mailgun: 0 recorded, 0 suppressed, 0 unmatched',
        'postmark: wrong or missing basic auth',
      ]),
    );
  });
});
