import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpClientError, SmtpConnection } from '../../../src/delivery/smtp/connection.js';
import { createSmtpTransport } from '../../../src/delivery/smtp-transport.js';
import { parseSmtpUrl } from '../../../src/delivery/smtp-url.js';
import type { OutgoingMessage, SendResult, Transport } from '../../../src/delivery/transport.js';
import { type SmtpScript, startSmtpServer, type TestSmtpServer } from '../smtp-server.js';

const HEADER_FROM = 'press@stadslabbet.example';

const message = (to: string, body = 'Hello.\r\n', from = HEADER_FROM): OutgoingMessage => {
  const messageId = `<${to.replace('@', '.')}@stadslabbet.example>`;
  const head = `From: ${HEADER_FROM}\r\nTo: ${to}\r\nSubject: Test\r\nMessage-ID: ${messageId}\r\n\r\n`;
  return { from, to, raw: Buffer.concat([Buffer.from(head), Buffer.from(body)]), messageId };
};

const failure = (r: SendResult) => r as Extract<SendResult, { ok: false }>;

/** A TCP server on 127.0.0.1 that records what clients send and hands each socket to `onSocket`. */
async function tcpServer(onSocket: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Passes a connection through to `port`, recording each chunk the client sends. */
async function recordingProxy(port: number) {
  const chunks: string[] = [];
  const proxy = await tcpServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('data', (c: Buffer) => {
      chunks.push(c.toString('latin1'));
      upstream.write(c);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
  });
  return { ...proxy, chunks };
}

describe('our SMTP client, against a real SMTP server on 127.0.0.1', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const start = async (script: SmtpScript = {}) => {
    const server = await startSmtpServer(script);
    cleanups.push(() => server.close());
    return server;
  };
  const transport = (url: string, options: { connections?: number; timeoutMs?: number } = {}): Transport => {
    const t = createSmtpTransport({
      server: parseSmtpUrl(url),
      connections: options.connections ?? 1,
      messagesPerConnection: 10000,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    cleanups.push(() => t.close());
    return t;
  };

  it('pipelines MAIL, RCPT and DATA in one write when the server offers PIPELINING, and not otherwise', async () => {
    for (const pipelining of [true, false]) {
      const server: TestSmtpServer = await start(pipelining ? {} : { hide: ['PIPELINING'] });
      const proxy = await recordingProxy(server.port);
      cleanups.push(() => proxy.close());
      const t = transport(`smtp://127.0.0.1:${proxy.port}`);
      for (const to of ['a@example.com', 'b@example.com'])
        expect(await t.send(message(to))).toMatchObject({ ok: true });
      expect(server.received.map((m) => m.to)).toEqual(['a@example.com', 'b@example.com']);
      const together = proxy.chunks.filter((c) =>
        /^MAIL FROM:<[^\r]*\r\nRCPT TO:<[^\r]*\r\nDATA\r\n$/.test(c),
      );
      const apart = proxy.chunks.filter(
        (c) => /^(MAIL FROM|RCPT TO):<[^\r]*\r\n$/.test(c) || c === 'DATA\r\n',
      );
      expect([together.length, apart.length]).toEqual(pipelining ? [2, 0] : [0, 6]);
    }
  });

  it('takes a refused recipient, 4xx or 5xx, as that recipient’s failure and keeps the connection (RSET)', async () => {
    for (const hide of [[], ['PIPELINING' as const]]) {
      const server = await start({
        hide,
        rcpt: (to) =>
          to.startsWith('gone')
            ? { code: 550, message: '5.1.1 No such user' }
            : to.startsWith('full')
              ? { code: 452, message: '4.2.2 Mailbox full' }
              : undefined,
      });
      const t = transport(server.url);
      const gone = failure(await t.send(message('gone@example.com')));
      const full = failure(await t.send(message('full@example.com')));
      expect(gone).toMatchObject({ ok: false, permanent: true, scope: 'recipient', code: 550 });
      expect(gone.response).toBe('550 5.1.1 No such user');
      expect(full).toMatchObject({ ok: false, permanent: false, scope: 'recipient', code: 452 });
      expect(await t.send(message('fine@example.com'))).toMatchObject({ ok: true });
      expect(server.received.map((m) => m.to)).toEqual(['fine@example.com']);
      expect(server.sessions.total).toBe(1);
    }
  });

  it('ends the empty message of a server that takes DATA after refusing the recipient (RFC 2920)', async () => {
    // smtp-server refuses DATA then, as it should; this one, scripted line by line, does not.
    const lines: string[] = [];
    const odd = await tcpServer((socket) => {
      let buffer = '';
      let inData = false;
      let transactions = 0;
      socket.write('220 odd.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let i = buffer.indexOf('\r\n'); i !== -1; i = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          lines.push(line);
          const first = transactions === 0;
          if (inData) {
            if (line !== '.') continue;
            inData = false;
            transactions++;
            socket.write(first ? '554 5.5.1 No valid recipients\r\n' : '250 2.0.0 Queued\r\n');
          } else if (line.startsWith('EHLO')) socket.write('250-odd.example\r\n250 PIPELINING\r\n');
          else if (line.startsWith('RCPT')) socket.write(first ? '550 5.1.1 No such user\r\n' : '250 Ok\r\n');
          else if (line === 'DATA') {
            inData = true;
            socket.write('354 Go ahead\r\n');
          } else if (line === 'QUIT') socket.end('221 Bye\r\n');
          else socket.write('250 Ok\r\n');
        }
      });
    });
    cleanups.push(() => odd.close());
    const t = transport(`smtp://127.0.0.1:${odd.port}`);
    expect(await t.send(message('gone@example.com'))).toMatchObject({
      ok: false,
      permanent: true,
      scope: 'recipient',
      code: 550,
    });
    expect(await t.send(message('fine@example.com'))).toMatchObject({
      ok: true,
      response: '250 2.0.0 Queued',
    });
    // The refused transaction: DATA taken, an empty message ended at once, then RSET.
    const first = lines.slice(lines.indexOf('DATA'), lines.indexOf('RSET') + 1);
    expect(first).toEqual(['DATA', '.', 'RSET']);
  });

  it('sends MAIL FROM the envelope sender (a VERP bounce address), not the From header', async () => {
    const server = await start();
    const verp = 'bounces+reader=example.com@stadslabbet.example';
    expect(await transport(server.url).send(message('reader@example.com', 'Hi.\r\n', verp))).toMatchObject({
      ok: true,
    });
    expect(server.received[0]).toMatchObject({ from: verp, to: 'reader@example.com' });
    expect(server.received[0]!.raw.toString()).toContain(`From: ${HEADER_FROM}\r\n`);
  });

  it('round-trips lines of dots, bare line ends and dots after them, byte for byte where they are CRLF', async () => {
    const server = await start();
    const t = transport(server.url);
    const lines = ['.', '..', '...x', '.\t', 'a.b', '. ', ''];
    const body = `${Array.from({ length: 3000 }, (_, i) => lines[i % lines.length]).join('\r\n')}\r\n`;
    const sent = message('dots@example.com', body);
    expect(await t.send(sent)).toMatchObject({ ok: true });
    expect(server.received[0]!.raw.equals(sent.raw)).toBe(true);
    // A bare CR or LF becomes CRLF, and a dot after it is stuffed like any other.
    expect(await t.send(message('bare@example.com', 'a\r.b\n.c\rd\n'))).toMatchObject({ ok: true });
    expect(server.received[1]!.raw.toString().split('\r\n\r\n')[1]).toBe('a\r\n.b\r\n.c\r\nd\r\n');
    // No line end at all: the end of the data is still found.
    expect(await t.send(message('end@example.com', '.no line end'))).toMatchObject({ ok: true });
    expect(server.received[2]!.raw.toString().endsWith('\r\n\r\n.no line end\r\n')).toBe(true);
  });

  it('refuses an address that could smuggle in a command, before sending anything', async () => {
    const server = await start();
    const t = transport(server.url);
    const sneaky = failure(await t.send(message('a@example.com>\r\nRCPT TO:<b@example.com')));
    expect(sneaky).toMatchObject({ ok: false, permanent: true, scope: 'recipient' });
    const sender = failure(
      await t.send(message('a@example.com', 'Hi.\r\n', 'press@stadslabbet.example\r\nRSET')),
    );
    expect(sender).toMatchObject({ ok: false, permanent: true, scope: 'sender' });
    expect(await t.send(message('c@example.com'))).toMatchObject({ ok: true });
    expect(server.received.map((m) => m.to)).toEqual(['c@example.com']);
    // Nor can the EHLO name in SCS_SMTP_URL.
    expect(() => parseSmtpUrl(`${server.url}?name=a%0D%0AQUIT`)).toThrow(/option name must be a host name/);
  });

  it('declares an 8-bit body with BODY=8BITMIME when offered, and delivers it unchanged either way', async () => {
    const body = 'Åsa läser om värmelagret i Umeå – €\r\n';
    for (const hide of [[], ['8BITMIME' as const]]) {
      const server = await start({ hide });
      const t = transport(server.url);
      const sent = message('reader@example.com', body);
      expect(await t.send(sent)).toMatchObject({ ok: true });
      expect(await t.send(message('ascii@example.com'))).toMatchObject({ ok: true });
      expect(server.received[0]!.raw.equals(sent.raw)).toBe(true);
      expect(server.received[0]!.mailArgs.BODY).toBe(hide.length ? undefined : '8BITMIME');
      expect(server.received[1]!.mailArgs.BODY).toBeUndefined();
    }
  });

  it('states the size when SIZE is offered, and refuses a message over the limit without sending it', async () => {
    const server = await start({ size: 4000 });
    const t = transport(server.url);
    const small = message('small@example.com');
    expect(await t.send(small)).toMatchObject({ ok: true });
    expect(server.received[0]!.mailArgs.SIZE).toBe(String(small.raw.length));
    const big = failure(await t.send(message('big@example.com', 'x'.repeat(5000))));
    expect(big).toMatchObject({ ok: false, permanent: true, scope: 'message' });
    expect(big.response).toMatch(/bytes; the server takes at most 4000/);
    expect(await t.send(message('after@example.com'))).toMatchObject({ ok: true });
    expect(server.received.map((m) => m.to)).toEqual(['small@example.com', 'after@example.com']);
    expect(server.sessions.total).toBe(1);
  });

  it('uses SMTPUTF8 for an address that needs it, and fails that recipient alone where it is not offered', async () => {
    const to = 'åsa@exempel.se';
    const offered = await start();
    expect(await transport(offered.url).send(message(to))).toMatchObject({ ok: true });
    expect(offered.received[0]).toMatchObject({ to, mailArgs: { SMTPUTF8: true } });

    const plain = await start({ hide: ['SMTPUTF8'] });
    const t = transport(plain.url);
    expect(await t.send(message(to))).toMatchObject({ ok: false, permanent: true, scope: 'recipient' });
    expect(await t.send(message('asa@example.se'))).toMatchObject({ ok: true });
    expect(plain.received.map((m) => m.to)).toEqual(['asa@example.se']);
  });

  it('speaks TLS from the first byte (smtps://) and logs in with LOGIN when PLAIN is not offered', async () => {
    const auth = { user: 'press', pass: 'hemlig: lösen/1' };
    const server = await start({ secure: true, auth, authMethods: ['LOGIN'] });
    expect(server.url).toMatch(/^smtps:\/\//);
    expect(await transport(server.url).send(message('reader@example.com'))).toMatchObject({ ok: true });
    expect(server.received[0]).toMatchObject({ secure: true, user: 'press' });

    const wrong = failure(await transport(server.url.replace('%C3%B6', 'o')).send(message('r@example.com')));
    expect(wrong).toMatchObject({ ok: false, permanent: true, scope: 'sender', code: 535 });
    expect(wrong.response).not.toContain('hemlig');
  });

  it('refuses a self-signed certificate unless told otherwise, as a problem with our settings', async () => {
    const server = await start({ secure: true });
    const strict = failure(
      await transport(server.url.replace('?rejectUnauthorized=false', '')).send(message('r@example.com')),
    );
    expect(strict).toMatchObject({ ok: false, permanent: true, scope: 'sender' });
    expect(strict.response).toMatch(/certificate/);
    // Plain SMTP spoken to a TLS port, and TLS to a plain one, fail alike.
    const plain = await start();
    const mismatch = failure(
      await transport(plain.url.replace('smtp://', 'smtps://')).send(message('r@example.com')),
    );
    expect(mismatch).toMatchObject({ ok: false, permanent: true, scope: 'sender' });
    expect(server.received).toHaveLength(0);
  });

  it('says which step failed, and how: connection, TLS, login', async () => {
    const server = await start({ auth: { user: 'press', pass: 'right' } });
    const open = (url: string) =>
      SmtpConnection.open(parseSmtpUrl(url), 2000).then(
        (c) => {
          c.quit();
          return undefined;
        },
        (e: SmtpClientError) => ({ code: e.code, command: e.command, responseCode: e.responseCode }),
      );
    expect(await open(`smtp://press:right@127.0.0.1:${server.port}`)).toBeUndefined();
    expect(await open(`smtp://press:wrong@127.0.0.1:${server.port}`)).toEqual({
      code: 'EAUTH',
      command: 'AUTH PLAIN',
      responseCode: 535,
    });
    expect(await open(`smtp://press:right@127.0.0.1:${server.port}?requireTLS=true`)).toEqual({
      code: 'EREQUIRETLS',
      command: 'STARTTLS',
      responseCode: undefined,
    });
    const closed = await tcpServer(() => {});
    await closed.close();
    expect(await open(`smtp://127.0.0.1:${closed.port}`)).toEqual({
      code: 'ECONNECTION',
      command: 'CONN',
      responseCode: undefined,
    });
  });

  it('gives up on a server that accepts the connection but never says a word, after the timeout', async () => {
    const silent = await tcpServer(() => {});
    cleanups.push(() => silent.close());
    const started = performance.now();
    const result = failure(
      await transport(`smtp://127.0.0.1:${silent.port}`, { timeoutMs: 300 }).send(message('r@example.com')),
    );
    expect(result).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
    expect(result.response).toBe('no answer within 0.3 s');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives up on a server that stops answering after the message, and opens a new connection for the next', async () => {
    let answer: () => void = () => {};
    const server = await start({ hold: new Promise<void>((resolve) => (answer = resolve)) });
    const t = transport(server.url, { timeoutMs: 300 });
    const late = failure(await t.send(message('late@example.com')));
    expect(late).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
    answer();
    server.script.hold = undefined;
    expect(await t.send(message('next@example.com'))).toMatchObject({ ok: true });
    expect(server.sessions.total).toBe(2);
  });

  it('reports a connection dropped in the middle of a message as temporary, and goes on with a new one', async () => {
    const server = await start({ cutData: (to) => to === 'cut@example.com' });
    const t = transport(server.url);
    // Large enough to be still on its way when the server hangs up.
    const cut = failure(
      await t.send(message('cut@example.com', 'x'.repeat(76).concat('\r\n').repeat(30000))),
    );
    expect(cut).toMatchObject({ ok: false, permanent: false, scope: 'connection' });
    expect(await t.send(message('next@example.com'))).toMatchObject({ ok: true });
    expect(server.received.map((m) => m.to)).toEqual(['next@example.com']);
    expect(server.sessions.total).toBe(2);
  });

  it('replaces a pooled connection the server closed while it was idle (421), without failing a message', async () => {
    const server = await start({ idleTimeoutMs: 150 });
    const t = transport(server.url);
    expect(await t.send(message('first@example.com'))).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await t.send(message('second@example.com'))).toMatchObject({ ok: true });
    expect(server.sessions.total).toBe(2);
  });

  it('shares a pool of `connections` sessions among many messages at once', async () => {
    const server = await start({ delayMs: 2 });
    const t = transport(server.url, { connections: 4 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.send(message(`r${i}@example.com`))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(200);
    expect(server.sessions).toEqual({ total: 4, maxOpen: 4 });
    expect(new Set(server.received.map((m) => m.to)).size).toBe(200);
  });
});
