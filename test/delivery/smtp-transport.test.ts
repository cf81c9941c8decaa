import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/delivery/smtp-transport.js';
import { parseSmtpUrl } from '../../src/delivery/smtp-url.js';
import type { OutgoingMessage, SendResult, Transport } from '../../src/delivery/transport.js';
import { personalize } from '../../src/email/personalize.js';
import { dkimKeys, NOW, project, releaseFile, renderOk, verifyDkim } from '../email/helpers.js';
import { startSmtpServer, type SmtpScript, type TestSmtpServer } from './smtp-server.js';

const message = (to: string, body = 'Hello.\r\n'): OutgoingMessage => {
  const messageId = `<${to.replace('@', '.')}@stadslabbet.example>`;
  const head = `From: press@stadslabbet.example\r\nTo: ${to}\r\nSubject: Test\r\nMessage-ID: ${messageId}\r\n\r\n`;
  return { from: 'press@stadslabbet.example', to, raw: Buffer.from(head + body), messageId };
};

describe('the SMTP transport', () => {
  let server: TestSmtpServer | undefined;
  let transport: Transport | undefined;
  afterEach(async () => {
    await transport?.close();
    await server?.close();
    transport = server = undefined;
  });

  const open = async (
    script: SmtpScript = {},
    options: { connections?: number; perConnection?: number; timeoutMs?: number; url?: string } = {},
  ) => {
    server = await startSmtpServer(script);
    transport = createSmtpTransport({
      server: parseSmtpUrl(options.url ?? server.url),
      connections: options.connections ?? 2,
      messagesPerConnection: options.perConnection ?? 10000,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    return { server, transport };
  };

  it('delivers the message byte for byte, dots at line starts included', async () => {
    const { server, transport } = await open();
    const body = '.starts with a dot\r\n..two dots\r\nmiddle . dot\r\n.\r\nend\r\n';
    const sent = message('reader@example.com', body);
    const result = await transport.send(sent);
    expect(result).toMatchObject({ ok: true });
    expect((result as { response: string }).response).toMatch(/^250/);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.raw.equals(sent.raw)).toBe(true);
    expect(server.received[0]!.from).toBe('press@stadslabbet.example');
    expect(transport.description).toBe(`SMTP smtp://127.0.0.1:${server.port} (STARTTLS when offered)`);
  });

  it('carries a signed newsletter with lines starting with "." byte for byte: its signature verifies on arrival', async () => {
    const p = project();
    try {
      p.write(
        'releases/2026/2026-11-02-punkter.sv.md',
        releaseFile(
          { title: 'Punkter', date: '2026-11-02', lang: 'sv', lead: 'Om punkter.' },
          '...och en rad som börjar med punkter.\n\n.\n\n..\n\nSlut.',
        ),
      );
      const { privateKey, publicKey } = dkimKeys();
      const { config, release } = await p.load({ SCS_DKIM_PRIVATE_KEY: privateKey });
      const template = await renderOk(config, release('sv/punkter'), 'nyheter');
      const m = personalize(
        template,
        { email: 'reader@example.com', unsubscribeUrl: 'https://press.stadslabbet.example/u?token=t' },
        { now: NOW },
      );
      // The lines SMTP must stuff, and a lone dot that would end the message early if it did not.
      const text = m.raw.toString('latin1');
      for (const line of ['\r\n...och en rad', '\r\n.\r\n', '\r\n..\r\n']) expect(text).toContain(line);
      const { server, transport } = await open();
      const result = await transport.send({
        from: m.envelopeFrom,
        to: m.envelopeTo,
        raw: m.raw,
        messageId: m.messageId,
      });
      expect(result).toMatchObject({ ok: true });
      expect(server.received[0]!.raw.equals(m.raw)).toBe(true);
      expect(verifyDkim(server.received[0]!.raw, publicKey)).toMatchObject({ ok: true });
    } finally {
      p.cleanup();
    }
  });

  it('turns bare line feeds into CRLF (the careful path) and still stuffs dots', async () => {
    const { server, transport } = await open();
    const sent = message('reader@example.com');
    sent.raw = Buffer.concat([sent.raw, Buffer.from('bare\n.dot after a bare LF\nlast\r\n')]);
    expect(await transport.send(sent)).toMatchObject({ ok: true });
    expect(server.received[0]!.raw.toString()).toContain(
      'Hello.\r\nbare\r\n.dot after a bare LF\r\nlast\r\n',
    );
  });

  it('classifies every kind of refusal', async () => {
    const verdicts: Record<string, SmtpScript['rcpt']> = {};
    const { transport } = await open({
      rcpt: (to, n) => verdicts[to]?.(to, n),
      data: (to) =>
        to.startsWith('content')
          ? { code: 554, message: '5.7.1 Message rejected as spam' }
          : to.startsWith('late')
            ? { code: 550, message: '5.1.1 Mailbox unknown' }
            : to.startsWith('drop')
              ? 'drop'
              : undefined,
    });
    verdicts['nobody@example.com'] = () => ({ code: 550, message: '5.1.1 No such user' });
    verdicts['busy@example.com'] = () => ({ code: 451, message: '4.3.0 Try again later' });
    verdicts['closing@example.com'] = () => ({ code: 421, message: '4.7.0 Too busy, closing' });
    const results = await Promise.all(
      ['nobody', 'busy', 'closing', 'content', 'late', 'drop', 'fine'].map((n) =>
        transport.send(message(`${n}@example.com`)),
      ),
    );
    const [nobody, busy, closing, content, late, dropped, fine] = results as Extract<
      SendResult,
      { ok: false }
    >[];
    expect(nobody).toMatchObject({ ok: false, permanent: true, scope: 'recipient', code: 550 });
    expect(nobody!.response).toContain('No such user');
    expect(busy).toMatchObject({ ok: false, permanent: false, scope: 'recipient', code: 451 });
    expect(closing).toMatchObject({ ok: false, permanent: false, scope: 'connection', code: 421 });
    expect(content).toMatchObject({ ok: false, permanent: true, scope: 'message', code: 554 });
    expect(late).toMatchObject({ ok: false, permanent: true, scope: 'recipient', code: 550 });
    expect(dropped).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
    expect(fine).toMatchObject({ ok: true });
  });

  it('reports a server that cannot be reached as a temporary connection failure', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    transport = createSmtpTransport({
      server: parseSmtpUrl(`smtp://127.0.0.1:${port}`),
      connections: 1,
      messagesPerConnection: 10,
      timeoutMs: 2000,
    });
    const result = await transport.send(message('reader@example.com'));
    expect(result).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
    expect((result as { response: string }).response).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a silent server after the timeout, temporarily', async () => {
    const { transport } = await open({ delayMs: 3000 }, { timeoutMs: 300 });
    const result = await transport.send(message('reader@example.com'));
    expect(result).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
  });

  it('keeps at most `connections` sessions open and reuses them', async () => {
    const { server, transport } = await open({ delayMs: 5 }, { connections: 3 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => transport.send(message(`r${i}@example.com`))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.received).toHaveLength(30);
    expect(server.sessions.maxOpen).toBeLessThanOrEqual(3);
    expect(server.sessions.total).toBe(3);
  });

  it('replaces a connection after `messagesPerConnection` messages', async () => {
    const { server, transport } = await open({}, { connections: 1, perConnection: 5 });
    for (let i = 0; i < 12; i++)
      expect(await transport.send(message(`r${i}@example.com`))).toMatchObject({ ok: true });
    expect(server.sessions.total).toBe(3);
  });

  it('keeps the connection after a refused recipient (RSET) and recovers from a dropped one', async () => {
    const { server, transport } = await open(
      {
        rcpt: (to) =>
          to === 'no@example.com'
            ? { code: 550, message: 'No' }
            : to === 'drop@example.com'
              ? 'drop'
              : undefined,
      },
      { connections: 1 },
    );
    expect(await transport.send(message('no@example.com'))).toMatchObject({ ok: false, permanent: true });
    expect(await transport.send(message('a@example.com'))).toMatchObject({ ok: true });
    expect(server.sessions.total).toBe(1);
    expect(await transport.send(message('drop@example.com'))).toMatchObject({ ok: false, permanent: false });
    expect(await transport.send(message('b@example.com'))).toMatchObject({ ok: true });
    expect(server.sessions.total).toBe(2);
  });

  it('upgrades with STARTTLS and logs in with the credentials in the URL', async () => {
    const { server, transport } = await open({
      starttls: true,
      auth: { user: 'press@stadslabbet.example', pass: 'p@ss:word/1' },
    });
    expect(await transport.send(message('reader@example.com'))).toMatchObject({ ok: true });
    expect(server.received[0]).toMatchObject({ secure: true, user: 'press@stadslabbet.example' });
    expect(transport.description).not.toContain('p@ss');
  });

  it('reports wrong credentials and a missing STARTTLS as the sender being refused', async () => {
    const s = await startSmtpServer({ auth: { user: 'press', pass: 'right' } });
    try {
      const wrong = createSmtpTransport({
        server: parseSmtpUrl(`smtp://press:wrong@127.0.0.1:${s.port}`),
        connections: 1,
        messagesPerConnection: 10,
        timeoutMs: 5000,
      });
      expect(await wrong.send(message('reader@example.com'))).toMatchObject({
        ok: false,
        permanent: true,
        scope: 'sender',
        code: 535,
      });
      await wrong.close();
      const plain = createSmtpTransport({
        server: parseSmtpUrl(`smtp://press:right@127.0.0.1:${s.port}?requireTLS=true`),
        connections: 1,
        messagesPerConnection: 10,
        timeoutMs: 5000,
      });
      expect(await plain.send(message('reader@example.com'))).toMatchObject({
        ok: false,
        permanent: true,
        scope: 'sender',
      });
      await plain.close();
      expect(s.received).toHaveLength(0);
    } finally {
      await s.close();
    }
  });
});
