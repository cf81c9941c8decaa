import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import {
  createServer,
  type RequestLog,
  type ServeOptions,
  type SubscriptionServer,
} from '../../src/subscription/server.js';
import type { Store } from '../../src/store/types.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { readers, type Newsroom } from '../publish/newsroom.js';
import { MAILGUN_KEY, POSTMARK_AUTH, sendgridHeaders, sendgridKeys } from './relays.js';
import { messageIdTo, sentBounceRoom } from './room.js';
import { CERT_PATH, type SnsHost, sesBounce, sesComplaint, startSnsHost, TOPIC } from './sns.js';

describe('relay webhooks in scs serve (real HTTP on 127.0.0.1)', () => {
  let room: Newsroom;
  let smtp: TestSmtpServer;
  let server: SubscriptionServer | undefined;
  let store: Store | undefined;
  let sns: SnsHost | undefined;
  const NOW = new Date('2026-10-14T09:00:00Z');
  /** The server of `scs serve` for the room, with these settings, on a free port, its clock at NOW. */
  async function serve(store: Store, env: NodeJS.ProcessEnv, options: Partial<ServeOptions> = {}) {
    const config = room.config(env);
    const log: RequestLog[] = [];
    server = createServer(config, store, createTransport(config), {
      now: () => NOW,
      onRequest: (e) => log.push(e),
      ...options,
    });
    const base = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}/newsletter/webhooks/`;
    return { base, log };
  }
  afterEach(async () => {
    if (server) await shutdown(server);
    await sns?.close();
    await store?.close();
    await smtp?.close();
    room?.cleanup();
  });

  it('verifies, applies the policy once per event, and refuses forgeries, replays and wrong content types', async () => {
    smtp = await startSmtpServer();
    const emails = readers(3);
    room = await sentBounceRoom(smtp, emails);
    const messageId = (email: string) => messageIdTo(smtp, email).slice(1, -1);

    store = await room.store();
    const { base, log } = await serve(store, {
      SCS_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      SCS_WEBHOOK_POSTMARK_AUTH: POSTMARK_AUTH,
    });
    const post = (relay: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(base + relay, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    const mailgunEvent = (seconds: number, key = MAILGUN_KEY) => {
      const timestamp = String(Math.floor(NOW.getTime() / 1000) - seconds);
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

  it('Amazon SES through SNS: checks topic, certificate host, signature (v1, v2) and time, confirms the subscription, applies bounces and complaints once', async () => {
    smtp = await startSmtpServer();
    sns = await startSnsHost();
    const emails = readers(3);
    room = await sentBounceRoom(smtp, emails);
    const messageId = (email: string) => messageIdTo(smtp, email);
    store = await room.store();
    const { base, log } = await serve(
      store,
      { SCS_SES_TOPIC_ARN: `arn:aws:sns:eu-north-1:123456789012:other, ${TOPIC}` },
      { sns: { host: sns.host, ca: sns.ca } },
    );
    const url = `${base}ses`;
    // SNS posts its JSON as text/plain.
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, text: await r.text() }));

    const confirmation = sns.signed(
      {
        Type: 'SubscriptionConfirmation',
        MessageId: 'sub-1',
        Token: 'token-2336412f37fb',
        TopicArn: TOPIC,
        Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
        SubscribeURL: `https://${sns.host}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=token-2336412f37fb`,
        Timestamp: NOW.toISOString(),
      },
      '1',
    );
    expect(await post(confirmation)).toMatchObject({ status: 200 });
    expect(sns.requests).toEqual([CERT_PATH, expect.stringMatching(/^\/\?Action=ConfirmSubscription&/)]);

    const hard = sns.notification(sesBounce(emails[0]!, messageId(emails[0]!), 'fb-1'), NOW, 'n-1');
    expect(await post(hard)).toMatchObject({ status: 200 });
    expect(await post(hard)).toMatchObject({ status: 200 });
    expect(await store.subscribers.suppression(emails[0]!)).toMatchObject({ reason: 'bounced' });
    const events = await store.bounces.events((await store.subscribers.find(emails[0]!))!.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'hard', status: '5.1.1', source: 'ses' });
    // Fetched once, kept in memory.
    expect(sns.requests.filter((r) => r === CERT_PATH)).toHaveLength(1);

    const soft = sns.notification(
      sesBounce(emails[2]!, messageId(emails[2]!), 'fb-2', 'Transient'),
      NOW,
      'n-2',
    );
    expect(await post({ ...soft, SignatureVersion: '1' })).toMatchObject({ status: 401 });
    expect(await post(soft)).toMatchObject({ status: 200 });
    expect(await store.bounces.events((await store.subscribers.find(emails[2]!))!.id)).toMatchObject([
      { type: 'soft' },
    ]);
    expect(await store.subscribers.suppression(emails[2]!)).toBeUndefined();

    const complaint = sns.notification(sesComplaint(emails[1]!, messageId(emails[1]!), 'fb-3'), NOW, 'n-3');
    // Tampered with: the signature no longer matches.
    const tampered = { ...complaint, Message: complaint.Message!.replace(emails[1]!, emails[2]!) };
    expect(await post(tampered)).toMatchObject({ status: 401, text: 'ses: bad signature\n' });
    const old = sns.notification(
      sesComplaint(emails[1]!, messageId(emails[1]!), 'fb-3'),
      new Date(NOW.getTime() - 6 * 60 * 1000),
      'n-3',
    );
    expect(await post(old)).toMatchObject({ status: 401 });
    const otherTopic = sns.signed({ ...complaint, TopicArn: 'arn:aws:sns:eu-north-1:999999999999:theirs' });
    expect(await post(otherTopic)).toMatchObject({ status: 401 });
    // A certificate anywhere but SNS's host is refused before anything is fetched.
    const fetched = sns.requests.length;
    for (const certUrl of [
      `http://${sns.host}${CERT_PATH}`,
      `https://sns.eu-north-1.amazonaws.com.attacker.example${CERT_PATH}`,
      `https://attacker@${sns.host}${CERT_PATH}`,
    ])
      expect(await post(sns.signed({ ...complaint, SigningCertURL: certUrl }))).toMatchObject({
        status: 401,
      });
    expect(sns.requests).toHaveLength(fetched);
    expect(await store.subscribers.suppression(emails[1]!)).toBeUndefined();
    expect(await post(complaint)).toMatchObject({ status: 200 });
    expect(await store.subscribers.suppression(emails[1]!)).toMatchObject({ reason: 'complained' });

    expect(log.map((e) => e.note)).toEqual(
      expect.arrayContaining([
        `ses: subscription to ${TOPIC} confirmed`,
        'ses: 1 recorded, 1 suppressed, 0 unmatched',
        'ses: 0 recorded, 0 suppressed, 0 unmatched',
        'ses: timestamp older than 5 minutes (replay)',
        'ses: topic arn:aws:sns:eu-north-1:999999999999:theirs is not SCS_SES_TOPIC_ARN',
        'ses: SigningCertURL is not https on ' + sns.host,
      ]),
    );
  });

  it('SendGrid: checks the ECDSA signature over timestamp and body and its time, applies each event of the batch once', async () => {
    smtp = await startSmtpServer();
    const emails = readers(4);
    room = await sentBounceRoom(smtp, emails);
    const messageId = (email: string) => messageIdTo(smtp, email);
    const { privateKey, verificationKey } = sendgridKeys();
    store = await room.store();
    const seconds = Math.floor(NOW.getTime() / 1000);
    const { base, log } = await serve(store, { SCS_SENDGRID_VERIFICATION_KEY: verificationKey });
    const url = `${base}sendgrid`;
    const post = (body: string, headers: Record<string, string>) =>
      fetch(url, { method: 'POST', headers, body }).then((r) => r.status);
    const event = (email: string, extra: Record<string, string>, id: string) => ({
      email,
      timestamp: seconds - 30,
      'smtp-id': messageId(email),
      sg_event_id: id,
      sg_message_id: `sg-${id}.filter0001`,
      ...extra,
    });
    const batch = JSON.stringify([
      event(
        emails[0]!,
        { event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 no such user' },
        'e1',
      ),
      event(emails[1]!, { event: 'spamreport' }, 'e2'),
      event(
        emails[2]!,
        { event: 'bounce', type: 'blocked', status: '4.7.1', reason: 'blocked by policy' },
        'e3',
      ),
      event(emails[3]!, { event: 'delivered', response: '250 ok' }, 'e4'),
    ]);
    const good = sendgridHeaders(privateKey, batch, seconds - 10);
    expect(
      await post(batch, { ...good, 'X-Twilio-Email-Event-Webhook-Timestamp': String(seconds - 11) }),
    ).toBe(401);
    expect(await post(batch, sendgridHeaders(sendgridKeys().privateKey, batch, seconds - 10))).toBe(401);
    expect(await post(batch, { 'Content-Type': 'application/json' })).toBe(401);
    expect(await post(batch, sendgridHeaders(privateKey, batch, seconds - 301))).toBe(401);
    expect(await post(batch, { ...good, 'Content-Type': 'application/x-www-form-urlencoded' })).toBe(415);
    expect(await store.subscribers.suppression(emails[0]!)).toBeUndefined();

    expect(await post(batch, good)).toBe(200);
    expect(await post(batch, sendgridHeaders(privateKey, batch, seconds))).toBe(200);
    expect(await store.subscribers.suppression(emails[0]!)).toMatchObject({ reason: 'bounced' });
    expect(await store.subscribers.suppression(emails[1]!)).toMatchObject({ reason: 'complained' });
    expect(await store.subscribers.suppression(emails[2]!)).toBeUndefined();
    expect(await store.bounces.events((await store.subscribers.find(emails[0]!))!.id)).toMatchObject([
      { type: 'hard', status: '5.1.1', source: 'sendgrid', detail: '550 5.1.1 no such user' },
    ]);
    expect(await store.bounces.events((await store.subscribers.find(emails[2]!))!.id)).toMatchObject([
      { type: 'soft' },
    ]);
    expect(await store.bounces.events((await store.subscribers.find(emails[3]!))!.id)).toEqual([]);
    expect(log.map((e) => e.note)).toEqual([
      'sendgrid: bad signature',
      'sendgrid: bad signature',
      'sendgrid: no signature',
      'sendgrid: timestamp older than 5 minutes (replay)',
      'sendgrid: content type is not application/json',
      'sendgrid: 3 recorded, 2 suppressed, 0 unmatched',
      'sendgrid: 0 recorded, 0 suppressed, 0 unmatched',
    ]);
  });
});
