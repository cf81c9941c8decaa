import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { listen, shutdown } from '../../src/subscription/listen.js';
import type { MailLog, Timers } from '../../src/subscription/mail-queue.js';
import { createServer, type SubscriptionServer } from '../../src/subscription/server.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { subscriberProject } from '../subscribers/project.js';

/** With SCS_SMTP_URL set, confirmation mails leave through SMTP, like the newsletter. */
describe('scs serve with an SMTP server on 127.0.0.1', () => {
  let smtp: TestSmtpServer;
  let p: Awaited<ReturnType<typeof subscriberProject>>;
  let transport: Transport;
  let server: SubscriptionServer;
  let base: string;
  let mails: MailLog[];
  /** The waits the retries asked for; each retry then runs at once, unless they are held. */
  let waits: number[];
  let holdRetries: boolean;
  let onRetrying: (() => void) | undefined;
  const timers: Timers = {
    set: (fn, ms) => {
      waits.push(ms);
      return holdRetries ? Symbol('held') : setImmediate(fn);
    },
    clear: (handle) => {
      if (typeof handle !== 'symbol') clearImmediate(handle as NodeJS.Immediate);
    },
  };
  beforeEach(async () => {
    smtp = await startSmtpServer();
    p = await subscriberProject({ SCS_SMTP_URL: smtp.url });
    transport = createTransport(p.config);
    mails = [];
    waits = [];
    holdRetries = false;
    server = createServer(p.config, p.store, transport, {
      timers,
      onMail: (m) => {
        mails.push(m);
        if (m.outcome === 'retrying') onRetrying?.();
      },
    });
    base = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}`;
  });
  afterEach(async () => {
    await shutdown(server);
    await transport.close();
    await smtp.close();
    await p.cleanup();
  });
  const subscribe = (email: string) =>
    fetch(`${base}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, lists: 'news', lang: 'en' }).toString(),
    });

  it('delivers the confirmation by SMTP, and its link confirms', async () => {
    expect(transport.kind).toBe('smtp');
    expect((await subscribe('smtp.reader@example.org')).status).toBe(200);
    await server.idle();
    expect(smtp.received.map((m) => [m.from, m.to])).toEqual([
      ['press@stadslabbet.example', 'smtp.reader@example.org'],
    ]);
    const mail = await simpleParser(smtp.received[0]!.raw);
    expect(mail.subject).toBe('Confirm your subscription – Norrsken Urban Lab');
    const link = new URL(/https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0]);
    const confirmed = await fetch(`${base}${link.pathname}${link.search}`, { method: 'POST' });
    expect(await confirmed.text()).toContain(
      'smtp.reader@example.org will now receive News from Norrsken Urban Lab.',
    );
    expect((await p.store.subscribers.find('smtp.reader@example.org'))?.status).toBe('confirmed');
  });

  it('answers at once while the mail server stalls, and sends the mail after the reply', async () => {
    let release!: () => void;
    smtp.script.hold = new Promise((resolve) => {
      release = resolve;
    });
    const res = await subscribe('patient@example.org');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    expect(smtp.received).toEqual([]);
    release();
    await server.idle();
    expect(smtp.count('patient@example.org')).toBe(1);
    expect(mails.map((m) => [m.what, m.outcome])).toEqual([
      [`confirmation for subscriber ${(await p.store.subscribers.find('patient@example.org'))!.id}`, 'sent'],
    ]);
  });

  it('retries a refused confirmation mail with a growing wait, a bounded number of times', async () => {
    const refused: Buffer[] = [];
    smtp.script.data = (_to, attempt, raw) => {
      if (attempt > 1) return undefined;
      refused.push(raw);
      return { code: 451, message: '4.3.0 Try again later' };
    };
    expect((await subscribe('later@example.org')).status).toBe(200);
    await server.idle();
    expect(smtp.count('later@example.org')).toBe(1);
    expect(mails.map((m) => m.outcome)).toEqual(['retrying', 'sent']);
    expect(waits).toEqual([2000]);
    // Every attempt is the same message: one link, one Message-ID.
    expect(smtp.received[0]!.raw).toEqual(refused[0]);

    smtp.script.data = undefined;
    smtp.script.rcpt = () => ({ code: 451, message: '4.3.0 Still busy' });
    mails = [];
    waits = [];
    expect((await subscribe('never@example.org')).status).toBe(200);
    await server.idle();
    expect(smtp.count('never@example.org')).toBe(0);
    expect(mails.map((m) => m.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'failed']);
    expect(waits).toEqual([2000, 4000, 8000, 16000]);
  });

  it('does not retry a permanent refusal, and logs the reply without the address it quotes', async () => {
    smtp.script.rcpt = () => ({ code: 550, message: '5.1.1 <Nobody@Example.org>: No such user' });
    expect((await subscribe('Nobody@Example.org')).status).toBe(200);
    await server.idle();
    expect(mails.map((m) => [m.outcome, m.response])).toEqual([['failed', expect.stringContaining('550')]]);
    expect(mails[0]!.response).toContain('<address>');
    expect(JSON.stringify(mails).toLowerCase()).not.toContain('nobody@example.org');
    expect(waits).toEqual([]);
  });

  it('finishes the mails under way when it shuts down', async () => {
    let release!: () => void;
    smtp.script.hold = new Promise((resolve) => {
      release = resolve;
    });
    expect((await subscribe('last@example.org')).status).toBe(200);
    // The mail server answers only once the HTTP server has closed: shutdown must still wait for it.
    server.once('close', () => release());
    await shutdown(server);
    expect(smtp.count('last@example.org')).toBe(1);
  });

  it('gives a mail waiting for its retry a last attempt when it shuts down', async () => {
    holdRetries = true;
    smtp.script.rcpt = (_to, attempt) => (attempt === 1 ? { code: 451, message: '4.3.0 Later' } : undefined);
    const retrying = new Promise<void>((resolve) => {
      onRetrying = resolve;
    });
    expect((await subscribe('waiting@example.org')).status).toBe(200);
    await retrying;
    expect(smtp.count('waiting@example.org')).toBe(0);
    await shutdown(server);
    expect(smtp.count('waiting@example.org')).toBe(1);
    expect(mails.map((m) => m.outcome)).toEqual(['retrying', 'sent']);
  });
});
