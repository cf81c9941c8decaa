import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** What the scripted server does with a recipient: accept, answer with a reply, or hang up without one. */
export type Verdict = undefined | 'drop' | { code: number; message: string };

export interface SmtpScript {
  /** At RCPT TO; `attempt` counts this address's RCPT commands so far (1 for the first). */
  rcpt?(to: string, attempt: number): Verdict;
  /** After the whole message arrived, before the reply. */
  data?(to: string, attempt: number, raw: Buffer): Verdict;
  /** Wait this long before answering a message (to make a dispatch slow enough to interrupt). */
  delayMs?: number;
  /** While set, no message is answered until it resolves (a server that stalls). */
  hold?: Promise<void>;
  /** Called for every accepted message, before the reply goes out. */
  onAccepted?(to: string, count: number): void;
  /** Require AUTH PLAIN/LOGIN with these credentials. */
  auth?: { user: string; pass: string };
  /** Offer STARTTLS (with smtp-server's built-in self-signed certificate). */
  starttls?: boolean;
  /** TLS from the first byte (smtps://), with the same self-signed certificate. */
  secure?: boolean;
  /** The login mechanisms offered (default PLAIN and LOGIN). */
  authMethods?: string[];
  /** Extensions not to offer. */
  hide?: ('PIPELINING' | '8BITMIME' | 'SMTPUTF8')[];
  /** Offer SIZE with this limit in bytes. */
  size?: number;
  /** Close a connection left idle this long, with a 421 (smtp-server's default is a minute). */
  idleTimeoutMs?: number;
  /** Hang up as soon as the message starts to arrive, before it is complete. */
  cutData?(to: string): boolean;
}

export interface ReceivedMessage {
  from: string;
  to: string;
  raw: Buffer;
  /** Whether the session was encrypted with STARTTLS. */
  secure: boolean;
  user?: string;
  /** The parameters of MAIL FROM (SIZE, BODY, SMTPUTF8), keys in upper case. */
  mailArgs: Record<string, unknown>;
}

export interface TestSmtpServer {
  port: number;
  /** SCS_SMTP_URL for this server. */
  url: string;
  /** Messages the server accepted (replied 250 to). */
  received: ReceivedMessage[];
  /** Accepted messages per recipient. */
  count(to: string): number;
  /** Sessions opened, and the most open at one time. */
  sessions: { total: number; maxOpen: number };
  script: SmtpScript;
  close(): Promise<void>;
}

const reply = (v: { code: number; message: string }) =>
  Object.assign(new Error(v.message), { responseCode: v.code });

/**
 * A real SMTP server on 127.0.0.1 (a free port) that tests script: accept, refuse with any reply,
 * or drop the connection, per recipient and attempt. It stops when the test closes it.
 */
export async function startSmtpServer(script: SmtpScript = {}): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  const perRecipient = new Map<string, number>();
  const rcptAttempts = new Map<string, number>();
  const dataAttempts = new Map<string, number>();
  const sessions = { total: 0, maxOpen: 0 };
  let open = 0;
  const bump = (m: Map<string, number>, k: string) => {
    const n = (m.get(k) ?? 0) + 1;
    m.set(k, n);
    return n;
  };
  const server: SMTPServer = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: !script.auth,
    disabledCommands: [
      ...(script.starttls || script.secure ? [] : ['STARTTLS']),
      ...(script.auth ? [] : ['AUTH']),
    ],
    ...(script.secure ? { secure: true } : {}),
    ...(script.authMethods ? { authMethods: script.authMethods } : {}),
    ...Object.fromEntries((script.hide ?? []).map((e) => [`hide${e}`, true])),
    ...(script.size ? { size: script.size } : {}),
    ...(script.idleTimeoutMs ? { socketTimeout: script.idleTimeoutMs } : {}),
    // Credentials over plain text are fine on 127.0.0.1.
    allowInsecureAuth: true,
    onConnect(_session, callback) {
      sessions.total++;
      sessions.maxOpen = Math.max(sessions.maxOpen, ++open);
      callback();
    },
    onClose() {
      open--;
    },
    onAuth(auth, _session, callback) {
      if (script.auth && auth.username === script.auth.user && auth.password === script.auth.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, session, callback) {
      const verdict = script.rcpt?.(address.address, bump(rcptAttempts, address.address));
      if (verdict === 'drop') return drop(session);
      callback(verdict ? reply(verdict) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const cut = script.cutData?.(session.envelope.rcptTo[0]!.address);
      stream.on('data', (c: Buffer) => {
        if (cut) drop(session);
        else chunks.push(c);
      });
      stream.on('end', () => {
        if (cut) return;
        const to = session.envelope.rcptTo[0]!.address;
        const verdict = script.data?.(to, bump(dataAttempts, to), Buffer.concat(chunks));
        const answer = () => {
          if (verdict === 'drop') return drop(session);
          if (verdict) return callback(reply(verdict));
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            raw: Buffer.concat(chunks),
            secure: session.secure,
            ...(session.user ? { user: String(session.user) } : {}),
            mailArgs: session.envelope.mailFrom ? { ...session.envelope.mailFrom.args } : {},
          });
          const n = bump(perRecipient, to);
          script.onAccepted?.(to, n);
          callback();
        };
        const later = () => (script.delayMs ? setTimeout(answer, script.delayMs) : answer());
        if (script.hold !== undefined) void script.hold.then(later);
        else later();
      });
    },
  });
  // Hang up without a reply, as a crashing server or a broken network would.
  function drop(session: SMTPServerSession) {
    for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> })
      .connections) {
      if (c.id === session.id) c._socket.destroy();
    }
  }
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const query = script.starttls || script.secure ? '?rejectUnauthorized=false' : '';
  const credentials = script.auth
    ? `${encodeURIComponent(script.auth.user)}:${encodeURIComponent(script.auth.pass)}@`
    : '';
  return {
    port,
    url: `${script.secure ? 'smtps' : 'smtp'}://${credentials}127.0.0.1:${port}${query}`,
    received,
    count: (to) => perRecipient.get(to) ?? 0,
    sessions,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
