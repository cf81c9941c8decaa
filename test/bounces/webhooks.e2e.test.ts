import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { BIN, cleanEnv, runScsAsync } from '../helpers/scs.js';
import { BERGRUM_SV, DUE, readers, type Newsroom } from '../publish/newsroom.js';
import { MAILGUN_KEY, mailgunBody, POSTMARK_AUTH, sendgridHeaders, sendgridKeys } from './relays.js';
import { bounceRoom, messageIdTo } from './room.js';
import { CERT_PATH, type SnsHost, sesComplaint, startSnsHost, TOPIC } from './sns.js';

describe('relay webhooks of the real `scs serve` (a sent dispatch, signed requests on 127.0.0.1)', () => {
  let room: Newsroom;
  let smtp: TestSmtpServer;
  let sns: SnsHost | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await sns?.close();
    await smtp?.close();
    room?.cleanup();
  });

  it('applies good requests once, refuses bad signatures, replays and wrong content types, and keeps serving', async () => {
    room = bounceRoom();
    smtp = await startSmtpServer();
    sns = await startSnsHost();
    const emails = readers(6);
    await room.seed('nyheter', emails);
    const env = { ...room.env, SCS_SMTP_URL: smtp.url };
    const scs = (args: string[]) => runScsAsync(args, { cwd: room.dir, env });
    const sent = await scs(['send', BERGRUM_SV, '--now', DUE]);
    expect(sent.code, sent.stderr).toBe(0);
    const messageId = (email: string) => messageIdTo(smtp, email);

    const { privateKey, verificationKey } = sendgridKeys();
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: room.dir,
      env: {
        ...cleanEnv(),
        ...env,
        SCS_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        SCS_WEBHOOK_POSTMARK_AUTH: POSTMARK_AUTH,
        SCS_SENDGRID_VERIFICATION_KEY: verificationKey,
        SCS_SES_TOPIC_ARN: TOPIC,
      },
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const base = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child!.stdout!.on('data', (d) => {
        stdout += d;
        const m = /Listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', () => reject(new Error(`scs serve exited: ${stderr}`)));
    });
    const post = (relay: string, body: string, headers: Record<string, string>) =>
      fetch(`${base}webhooks/${relay}`, { method: 'POST', headers, body }).then((r) => r.status);
    const json = { 'Content-Type': 'application/json' };
    // `scs serve` runs on the real clock.
    const seconds = () => Math.floor(Date.now() / 1000);

    // Mailgun: a hard bounce.
    const failed = {
      event: 'failed',
      severity: 'permanent',
      id: 'mg-e2e-1',
      recipient: emails[0],
      message: { headers: { 'message-id': messageId(emails[0]!).slice(1, -1) } },
      'delivery-status': { code: 550, 'enhanced-code': '5.1.1', description: 'No such mailbox here' },
    };
    const mailgun = JSON.stringify(mailgunBody(MAILGUN_KEY, failed, seconds()));
    expect(
      await post('mailgun', JSON.stringify(mailgunBody('not-the-key-0123', failed, seconds())), json),
    ).toBe(401);
    expect(
      await post('mailgun', JSON.stringify(mailgunBody(MAILGUN_KEY, failed, seconds() - 600)), json),
    ).toBe(401);
    expect(await post('mailgun', mailgun, { 'Content-Type': 'text/plain' })).toBe(415);
    expect(await post('mailgun', mailgun, json)).toBe(200);
    expect(await post('mailgun', mailgun, json)).toBe(200);

    // Postmark: a spam complaint (no Message-ID passed back: the address's latest delivery).
    const complaint = JSON.stringify({
      RecordType: 'SpamComplaint',
      ID: 9001,
      Email: emails[1],
      Details: 'spam button',
    });
    const basic = (auth: string) => ({
      ...json,
      Authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
    });
    expect(await post('postmark', complaint, basic('scs:wrong'))).toBe(401);
    expect(await post('postmark', complaint, { ...basic(POSTMARK_AUTH), 'Content-Type': 'text/xml' })).toBe(
      415,
    );
    expect(await post('postmark', complaint, basic(POSTMARK_AUTH))).toBe(200);
    expect(await post('postmark', complaint, basic(POSTMARK_AUTH))).toBe(200);

    // SendGrid: a batch with a bounce and a spam report.
    const batch = JSON.stringify([
      {
        email: emails[2],
        event: 'bounce',
        type: 'bounce',
        status: '5.1.1',
        reason: '550 5.1.1 unknown user',
        sg_event_id: 'sg-e2e-1',
        'smtp-id': messageId(emails[2]!),
        timestamp: seconds(),
      },
      { email: emails[3], event: 'spamreport', sg_event_id: 'sg-e2e-2', timestamp: seconds() },
    ]);
    expect(await post('sendgrid', batch, sendgridHeaders(sendgridKeys().privateKey, batch, seconds()))).toBe(
      401,
    );
    expect(await post('sendgrid', batch, sendgridHeaders(privateKey, batch, seconds() - 600))).toBe(401);
    expect(
      await post('sendgrid', batch, {
        ...sendgridHeaders(privateKey, batch, seconds()),
        'Content-Type': 'text/plain',
      }),
    ).toBe(415);
    expect(await post('sendgrid', batch, sendgridHeaders(privateKey, batch, seconds()))).toBe(200);
    expect(await post('sendgrid', batch, sendgridHeaders(privateKey, batch, seconds()))).toBe(200);

    // SES through SNS. The binary trusts only SNS's own host, which a test may not reach: here every
    // request is refused before anything is fetched (the signed good path runs in webhooks.test.ts, with a
    // stand-in host the library is told to trust).
    const text = { 'Content-Type': 'text/plain; charset=UTF-8' };
    const ses = (at: Date) =>
      sns!.notification(sesComplaint(emails[4]!, messageId(emails[4]!), 'fb-e2e'), at, 'n-e2e');
    expect(await post('ses', JSON.stringify(ses(new Date())), text)).toBe(401);
    expect(
      await post(
        'ses',
        JSON.stringify({ ...ses(new Date()), TopicArn: 'arn:aws:sns:eu-north-1:999:x' }),
        text,
      ),
    ).toBe(401);
    const stale = {
      ...ses(new Date(Date.now() - 10 * 60 * 1000)),
      SigningCertURL: `https://sns.eu-north-1.amazonaws.com${CERT_PATH}`,
    };
    expect(await post('ses', JSON.stringify(stale), text)).toBe(401);
    expect(await post('ses', JSON.stringify(ses(new Date())), { 'Content-Type': 'application/xml' })).toBe(
      415,
    );
    expect(await post('ses', '{"Type":', text)).toBe(400);
    expect(sns.requests).toEqual([]);

    // Still serving after all that.
    expect((await fetch(`${base}healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();

    const show = async (email: string) =>
      JSON.parse((await scs(['subscribers', 'show', email, '--json'])).stdout) as {
        subscriber: { status: string; statusDetail: string | null };
        suppression: { reason: string } | null;
      };
    expect(await show(emails[0]!)).toMatchObject({
      subscriber: {
        status: 'bounced',
        statusDetail: expect.stringMatching(
          /^hard bounce 5\.1\.1 to .* via mailgun\): No such mailbox here$/,
        ),
      },
      suppression: { reason: 'bounced' },
    });
    expect(await show(emails[1]!)).toMatchObject({
      subscriber: { status: 'complained', statusDetail: expect.stringContaining('via postmark') },
    });
    expect(await show(emails[2]!)).toMatchObject({
      subscriber: {
        status: 'bounced',
        statusDetail: expect.stringContaining('via sendgrid): 550 5.1.1 unknown user'),
      },
    });
    expect(await show(emails[3]!)).toMatchObject({ subscriber: { status: 'complained' } });
    for (const email of emails.slice(4)) expect(await show(email)).toMatchObject({ suppression: null });
    const shown = await scs(['subscribers', 'show', emails[0]!]);
    expect(shown.stdout).toMatch(
      /Bounces:\n.*hard 5\.1\.1 \(dispatch 1, via mailgun\): No such mailbox here\n(?!.*hard)/,
    );

    const status = await scs(['status', BERGRUM_SV]);
    expect(status.stdout).toContain(
      'since: 2 bounced hard (33.33 %), 0 soft (0.00 %), 2 complaints (33.33 %) of 6 delivered',
    );
    for (const note of [
      'mailgun: bad signature',
      'mailgun: timestamp older than 5 minutes (replay)',
      'mailgun: content type is not application/json',
      'mailgun: 1 recorded, 1 suppressed, 0 unmatched',
      'mailgun: 0 recorded, 0 suppressed, 0 unmatched',
      'postmark: wrong or missing basic auth',
      'postmark: 1 recorded, 1 suppressed, 0 unmatched',
      'sendgrid: bad signature',
      'sendgrid: timestamp older than 5 minutes (replay)',
      'sendgrid: 2 recorded, 2 suppressed, 0 unmatched',
      'sendgrid: 0 recorded, 0 suppressed, 0 unmatched',
      `ses: SigningCertURL is not https on sns.eu-north-1.amazonaws.com`,
      'ses: topic arn:aws:sns:eu-north-1:999:x is not SCS_SES_TOPIC_ARN',
      'ses: timestamp older than 5 minutes (replay)',
      'ses: the body is not JSON',
      'ses: content type is not text/plain or application/json',
    ])
      expect(stderr).toContain(note);
  });

  it('does not start with a relay setting no request could pass, and says which', async () => {
    room = bounceRoom();
    const r = await runScsAsync(['serve', '--port', '0'], {
      cwd: room.dir,
      env: {
        ...room.env,
        SCS_SES_TOPIC_ARN: 'press-bounces',
        SCS_SENDGRID_VERIFICATION_KEY: Buffer.from('not a key').toString('base64'),
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'SCS_SES_TOPIC_ARN has "press-bounces", which is not the ARN of an SNS topic; scs serve did not start. [bounce-webhook-setting-invalid]',
    );
    expect(r.stderr).toContain('SCS_SENDGRID_VERIFICATION_KEY is not a public key');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
