import { isAscii } from 'node:buffer';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { hostname } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { connect as tlsConnect } from 'node:tls';
import type { SmtpError } from '../classify.js';
import type { SmtpServer } from '../smtp-url.js';
import { dotStuff } from './data.js';

/** A server's reply: its code, and its lines as they came ("250-…" … "250 …"). */
export interface Reply {
  code: number;
  text: string;
}

/**
 * Why a command or the connection failed, in the terms classify.ts sorts failures by: `code` is the
 * kind (ECONNECTION, ETIMEDOUT, ETLS, EREQUIRETLS, EAUTH, ENOAUTH, ECONFIG, EPROTOCOL, EENVELOPE, EMESSAGE),
 * `command` what was being answered ("CONN", "EHLO", "STARTTLS", "AUTH PLAIN", "MAIL FROM", "RCPT TO",
 * "DATA", "RSET"), and the reply, when the server gave one.
 */
export class SmtpClientError extends Error implements SmtpError {
  readonly response?: string;
  readonly responseCode?: number;
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    reply?: Reply,
  ) {
    super(reply ? `${message}: ${reply.text}` : message);
    if (reply) {
      this.response = reply.text;
      this.responseCode = reply.code;
    }
  }
}

interface Waiter {
  command: string;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** A reply line longer than this is no SMTP server talking. */
const MAX_LINE = 64 * 1024;
const REPLY_LINE = /^(\d{3})([ -]|$)/;
/** What no address in an SMTP command may hold. */
const UNSAFE = /[\x00-\x20<>\x7f]/;
const noop = () => {};

/** What a command is called in errors, the replies that mean it went through, and what else means. */
interface Step {
  command: string;
  ok: readonly number[];
  code: string;
  what: string;
}
const step = (command: string, ok: number[], code: string, what: string): Step => ({
  command,
  ok,
  code,
  what,
});
const GREETING = step('CONN', [220], 'EPROTOCOL', 'the server did not greet us');
const EHLO = step('EHLO', [250], 'EPROTOCOL', 'the server refused our greeting');
const HELO = step('HELO', [250], 'EPROTOCOL', 'the server refused our greeting');
const STARTTLS = step('STARTTLS', [220], 'ETLS', 'STARTTLS was refused');
const RSET = step('RSET', [250], 'EPROTOCOL', 'the server refused RSET');
const MAIL = step('MAIL FROM', [250], 'EENVELOPE', 'the server refused the sender');
// 251: not local, will forward.
const RCPT = step('RCPT TO', [250, 251], 'EENVELOPE', 'the server refused the recipient');
const DATA = step('DATA', [354], 'EENVELOPE', 'the server refused the message');
const MESSAGE = step('DATA', [250], 'EMESSAGE', 'the server refused the message');

/**
 * One SMTP client connection (RFC 5321): the greeting, EHLO, STARTTLS or TLS from the first byte, AUTH
 * PLAIN or LOGIN, then any number of messages, each to one recipient, MAIL/RCPT/DATA pipelined when
 * the server offers PIPELINING (RFC 2920). Every wait (connecting, TLS, each reply, writing the
 * message) ends after `timeoutMs` of silence. Once it fails the connection is done: everything waiting
 * and everything asked of it after fails with the same error.
 */
export class SmtpConnection {
  /** EHLO keywords (upper case) and their parameters. */
  private extensions = new Map<string, string>();
  private socket: Socket;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private lines: string[] = [];
  private readonly waiting: Waiter[] = [];
  /** Replies nobody was waiting for yet (only ever the greeting, early). */
  private readonly early: Reply[] = [];
  /** While connecting or setting up TLS: what a failure interrupts, and the step it names. */
  private opening?: { command: string; reject(error: Error): void; tls: boolean };
  private failure?: SmtpClientError;
  private quitting = false;
  private gone: () => void = noop;

  private constructor(
    private readonly server: SmtpServer,
    private readonly timeoutMs: number,
  ) {
    this.socket = this.attach(tcpConnect({ host: server.host, port: server.port }));
  }

  /** Connects, greets, upgrades to TLS and logs in as `server` asks; throws an SmtpClientError. */
  static async open(server: SmtpServer, timeoutMs: number): Promise<SmtpConnection> {
    const connection = new SmtpConnection(server, timeoutMs);
    try {
      await connection.handshake();
      return connection;
    } catch (e) {
      connection.close();
      throw e;
    }
  }

  /** Whether messages can still be sent over it. */
  get usable(): boolean {
    return !this.failure && !this.quitting;
  }

  /** Called once when the connection fails or closes (a pooled connection the server dropped). */
  onGone(callback: () => void): void {
    this.gone = callback;
  }

  /**
   * Sends one message to one recipient, `from` being the envelope sender (the bounce address, which may
   * differ from the From header). Resolves with the server's reply to the message; rejects with an
   * SmtpClientError. After a refusal with a reply the session is still in a transaction: `reset()` it.
   */
  async send(from: string, to: string, raw: Buffer): Promise<Reply> {
    // Nothing that could end the command early or smuggle in another: recipientAddress() makes sure of
    // it for the recipient; the sender comes from the config (or a bounce address made from both).
    if (UNSAFE.test(from))
      throw new SmtpClientError('the envelope sender is not a plain address', 'ECONFIG', 'MAIL FROM');
    if (UNSAFE.test(to))
      throw new SmtpClientError('the recipient is not a plain address', 'EENVELOPE', 'RCPT TO');
    const ext = this.extensions;
    let params = '';
    if (ext.has('SIZE')) {
      const limit = Number(ext.get('SIZE')) || 0;
      if (limit && raw.length > limit) {
        throw new SmtpClientError(
          `the message is ${raw.length} bytes; the server takes at most ${limit}`,
          'EMESSAGE',
          'MAIL FROM',
        );
      }
      params += ` SIZE=${raw.length}`;
    }
    if (ext.has('8BITMIME') && !isAscii(raw)) params += ' BODY=8BITMIME';
    if (/[^\x00-\x7f]/.test(from + to)) {
      if (!ext.has('SMTPUTF8'))
        throw new SmtpClientError(
          'the address is not ASCII, and the server does not offer SMTPUTF8',
          'EENVELOPE',
          'RCPT TO',
        );
      params += ' SMTPUTF8';
    }
    const envelope: [Step, string][] = [
      [MAIL, `MAIL FROM:<${from}>${params}`],
      [RCPT, `RCPT TO:<${to}>`],
      [DATA, 'DATA'],
    ];
    if (ext.has('PIPELINING')) {
      const pending = envelope.map(([s]) => this.expectReply(s.command));
      this.write(envelope.map(([, line]) => `${line}\r\n`).join(''));
      // Each reply in turn: the first refusal is the one to report, even when the server then hangs up.
      const settled = await Promise.allSettled(pending);
      const replies = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
      // A server that takes DATA after refusing the sender or recipient gets an empty message (RFC 2920).
      if (replies[2]?.code === 354 && replies.some((r, i) => !envelope[i]![0].ok.includes(r!.code)))
        await this.command(MESSAGE, '.');
      for (const [i, r] of settled.entries()) {
        if (r.status === 'rejected') throw r.reason;
        this.check(r.value, envelope[i]![0]);
      }
    } else for (const [s, line] of envelope) this.check(await this.command(s, line), s);
    const accepted = this.expectReply(MESSAGE.command);
    // One write of all the pieces (writev): the message is not copied to stuff its dots.
    this.socket.cork();
    for (const piece of dotStuff(raw)) this.socket.write(piece);
    this.socket.uncork();
    return this.check(await accepted, MESSAGE);
  }

  /** Ends a refused transaction, keeping the connection. */
  async reset(): Promise<void> {
    this.check(await this.command(RSET, 'RSET'), RSET);
  }

  /** Says goodbye and closes without waiting; a server that does not close is cut off after the timeout. */
  quit(): void {
    if (!this.usable) this.close();
    else {
      this.quitting = true;
      this.socket.end('QUIT\r\n');
    }
  }

  /** Closes at once. */
  close(): void {
    this.quitting = true;
    this.fail(new SmtpClientError('the connection was closed', 'ECONNECTION', this.current()));
  }

  private async handshake(): Promise<void> {
    const { server } = this;
    await this.until('connect', GREETING.command, false);
    if (server.secure) await this.upgrade(GREETING.command);
    this.check(await this.expectReply(GREETING.command), GREETING);
    await this.hello();
    if (!server.secure && !server.ignoreTLS) {
      if (this.extensions.has('STARTTLS')) {
        this.check(await this.command(STARTTLS, 'STARTTLS'), STARTTLS);
        await this.upgrade(STARTTLS.command);
        await this.hello();
      } else if (server.requireTLS) {
        throw new SmtpClientError(
          'the server does not offer STARTTLS, which ?requireTLS=true requires',
          'EREQUIRETLS',
          'STARTTLS',
        );
      }
    }
    if (server.auth) await this.login(server.auth);
  }

  /** EHLO, or HELO for a server that does not know it; learns the extensions offered. */
  private async hello(): Promise<void> {
    const name = this.server.name ?? ehloName(this.socket.localAddress);
    const reply = await this.command(EHLO, `EHLO ${name}`);
    if (reply.code !== 250) {
      this.check(await this.command(HELO, `HELO ${name}`), HELO);
      this.extensions = new Map();
      return;
    }
    this.extensions = new Map(
      reply.text
        .split('\n')
        .slice(1)
        .map((line) => {
          const [keyword = '', ...params] = line.slice(4).trim().split(/\s+/);
          return [keyword.toUpperCase(), params.join(' ')] as const;
        }),
    );
  }

  private async login(auth: { user: string; pass: string }): Promise<void> {
    const offered = this.extensions.get('AUTH')?.toUpperCase().split(' ');
    // A server that lists no AUTH (some do so only after STARTTLS) is asked with PLAIN: its answer says more.
    const mechanism =
      !offered || offered.includes('PLAIN') ? 'PLAIN' : offered.includes('LOGIN') ? 'LOGIN' : '';
    if (!mechanism) {
      throw new SmtpClientError(
        `the server offers no login scs knows (AUTH ${offered!.join(' ')}; scs uses PLAIN or LOGIN)`,
        'ENOAUTH',
        'AUTH',
      );
    }
    const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const login = step(`AUTH ${mechanism}`, [235], 'EAUTH', 'the server refused the login');
    let reply: Reply;
    if (mechanism === 'PLAIN') {
      reply = await this.command(login, `AUTH PLAIN ${base64(`\0${auth.user}\0${auth.pass}`)}`);
    } else {
      reply = await this.command(login, 'AUTH LOGIN');
      if (reply.code === 334) reply = await this.command(login, base64(auth.user));
      if (reply.code === 334) reply = await this.command(login, base64(auth.pass));
    }
    this.check(reply, login);
  }

  /** Puts TLS over the connection (smtps:// at once, or after STARTTLS), checking the certificate as asked. */
  private upgrade(command: string): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
    plain.off('timeout', this.onTimeout).setTimeout(0);
    // Its errors reach the TLS socket too.
    plain.on('error', noop);
    const { host, rejectUnauthorized } = this.server;
    this.decoder = new StringDecoder('utf8');
    this.socket = this.attach(
      tlsConnect({ socket: plain, host, rejectUnauthorized, ...(isIP(host) ? {} : { servername: host }) }),
    );
    return this.until('secureConnect', command, true);
  }

  private attach(socket: Socket): Socket {
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose);
    socket.on('timeout', this.onTimeout);
    return socket;
  }

  /** Waits for the socket to connect or finish its TLS handshake. */
  private until(event: 'connect' | 'secureConnect', command: string, tls: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.opening = { command, reject, tls };
      this.socket.once(event, () => {
        this.opening = undefined;
        resolve();
      });
    });
  }

  /** Sends a command and waits for its reply. */
  private command(step: Step, line: string): Promise<Reply> {
    const reply = this.expectReply(step.command);
    this.write(`${line}\r\n`);
    return reply;
  }

  private write(text: string): void {
    if (!this.failure) this.socket.write(text);
  }

  /** The next reply, which answers `command`. Never an unhandled rejection, even when nobody awaits it. */
  private expectReply(command: string): Promise<Reply> {
    const early = this.early.shift();
    const reply = early
      ? Promise.resolve(early)
      : this.failure
        ? Promise.reject(this.failure)
        : new Promise<Reply>((resolve, reject) => this.waiting.push({ command, resolve, reject }));
    reply.catch(noop);
    return reply;
  }

  /** The reply if it means the step went through, else throws. */
  private check(reply: Reply, step: Step): Reply {
    if (step.ok.includes(reply.code)) return reply;
    throw new SmtpClientError(step.what, step.code, step.command, reply);
  }

  private current(): string {
    return this.waiting[0]?.command ?? this.opening?.command ?? 'CONN';
  }

  private fail(error: SmtpClientError): void {
    if (this.failure) return;
    this.failure = error;
    this.opening?.reject(error);
    this.opening = undefined;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    this.socket.destroy();
    this.gone();
  }

  private readonly onData = (chunk: Buffer) => {
    const text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.charCodeAt(end - 1) === 0x0d ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
      const match = REPLY_LINE.exec(line);
      if (!match) {
        const shown = JSON.stringify(line.slice(0, 80));
        return this.fail(new SmtpClientError(`not an SMTP reply: ${shown}`, 'EPROTOCOL', this.current()));
      }
      this.lines.push(line);
      if (match[2] === '-') continue;
      const reply = { code: Number(match[1]), text: this.lines.join('\n') };
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(reply);
      else if (reply.code === 421 || this.quitting) {
        // The server is closing a connection that was waiting for work (or saying goodbye).
        return this.fail(
          new SmtpClientError('the server closed the connection', 'ECONNECTION', 'CONN', reply),
        );
      } else this.early.push(reply);
    }
    this.partial = text.slice(start);
    if (this.partial.length > MAX_LINE)
      this.fail(new SmtpClientError('the server sent a reply line without end', 'EPROTOCOL', this.current()));
  };

  private readonly onError = (err: Error) => {
    const kind = this.opening?.tls ? 'ETLS' : 'ECONNECTION';
    this.fail(new SmtpClientError(err.message, kind, this.current()));
  };

  private readonly onClose = () => {
    this.fail(new SmtpClientError('the server closed the connection', 'ECONNECTION', this.current()));
  };

  private readonly onTimeout = () => {
    if (this.quitting) this.socket.destroy();
    // Idle in the pool, nothing is late.
    if (this.quitting || (!this.opening && !this.waiting.length)) return;
    const seconds = this.timeoutMs / 1000;
    this.fail(new SmtpClientError(`no answer within ${seconds} s`, 'ETIMEDOUT', this.current()));
  };
}

/** The name for EHLO: the machine's, when it is a full domain name, else its address (RFC 5321 4.1.3). */
function ehloName(localAddress: string | undefined): string {
  const name = hostname();
  if (name.includes('.')) return name;
  if (!localAddress) return '[127.0.0.1]';
  return isIP(localAddress) === 6 ? `[IPv6:${localAddress}]` : `[${localAddress}]`;
}
