import type { Server } from 'node:http';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { listen, shutdown } from '../../src/serve/listen.js';
import { createServer } from '../../src/serve/server.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { subscriberProject } from '../subscribers/project.js';

/** With SCS_SMTP_URL set, confirmation mails leave through SMTP, like the newsletter. */
describe('scs serve with an SMTP server on 127.0.0.1', () => {
  let smtp: TestSmtpServer;
  let p: ReturnType<typeof subscriberProject>;
  let transport: Transport;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    p = subscriberProject({ SCS_SMTP_URL: smtp.url });
    transport = createTransport(p.config);
    server = createServer(p.config, p.store, transport);
    base = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}`;
  });
  afterEach(async () => {
    await shutdown(server);
    await transport.close();
    await smtp.close();
    p.cleanup();
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
    expect(smtp.received.map((m) => [m.from, m.to])).toEqual([
      ['press@stadslabbet.example', 'smtp.reader@example.org'],
    ]);
    const mail = await simpleParser(smtp.received[0]!.raw);
    expect(mail.subject).toBe('Confirm your subscription – Norrsken Urban Lab');
    const link = new URL(/https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0]);
    const confirmed = await fetch(`${base}${link.pathname}${link.search}`);
    expect(await confirmed.text()).toContain(
      'smtp.reader@example.org will now receive News from Norrsken Urban Lab.',
    );
    expect(p.store.subscribers.find('smtp.reader@example.org')?.status).toBe('confirmed');
  });

  it('says so (503, Retry-After) when the mail server refuses, and a retry later works', async () => {
    smtp.script.rcpt = (_to, attempt) =>
      attempt === 1 ? { code: 451, message: '4.3.0 Try again later' } : undefined;
    const refused = await subscribe('later@example.org');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('300');
    expect(await refused.text()).toContain('We could not send the confirmation email just now.');
    expect(p.store.subscribers.find('later@example.org')?.status).toBe('pending');
    expect((await subscribe('later@example.org')).status).toBe(200);
    expect(smtp.count('later@example.org')).toBe(1);
  });
});
