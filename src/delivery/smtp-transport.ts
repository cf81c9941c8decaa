import { classifySmtpError, type SmtpError } from './classify.js';
import { FastSmtpConnection } from './smtp-connection.js';
import { connectionOptions, type SmtpServer } from './smtp-url.js';
import type { OutgoingMessage, SendResult, Transport } from './transport.js';

export interface SmtpTransportOptions {
  server: SmtpServer;
  /** Connections open at once; each carries one message at a time. */
  connections: number;
  /** Messages sent over one connection before it is replaced. */
  messagesPerConnection: number;
  /** Connecting, the greeting, and any silence from the server while sending. */
  timeoutMs: number;
}

interface Job {
  message: OutgoingMessage;
  resolve(result: SendResult): void;
}

interface Connection {
  smtp: FastSmtpConnection;
  sent: number;
  retired: boolean;
}

/** "SMTP smtp://user@mail.example.se:587 (STARTTLS when offered)" */
export function smtpDescription(server: SmtpServer): string {
  const mode = server.secure
    ? 'TLS'
    : server.ignoreTLS
      ? 'no TLS'
      : server.requireTLS
        ? 'STARTTLS required'
        : 'STARTTLS when offered';
  return `SMTP ${server.shown} (${mode})`;
}

/**
 * SMTP through a pool of nodemailer connections, each sending one finished message at a time. A
 * connection is reused until `messagesPerConnection`, reset after a refused message, and replaced after
 * a dropped connection or a timeout. Every failure is classified (see classify.ts); nothing is retried
 * here: retries are the ledger's business, so that each attempt is on record.
 */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const { server } = options;
  const queue: Job[] = [];
  const idle: Connection[] = [];
  const live = new Set<Connection>();
  let connecting = 0;
  let closing = false;

  function retire(conn: Connection, gracefully = false): void {
    if (conn.retired) return;
    conn.retired = true;
    live.delete(conn);
    const i = idle.indexOf(conn);
    if (i !== -1) idle.splice(i, 1);
    if (gracefully) conn.smtp.quit();
    else conn.smtp.close();
    pump();
  }

  function release(conn: Connection): void {
    if (conn.retired) return;
    if (conn.sent >= options.messagesPerConnection || closing) retire(conn, true);
    else {
      idle.push(conn);
      pump();
    }
  }

  function open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const smtp = new FastSmtpConnection(connectionOptions(server, options.timeoutMs));
      const conn: Connection = { smtp, sent: 0, retired: false };
      let ready = false;
      // Before the handshake is done an error fails the opening; afterwards it ends the connection
      // (a message in flight learns of it through its own callback).
      smtp.on('error', (err: SmtpError) => {
        if (ready) retire(conn);
        else reject(err);
      });
      smtp.once('end', () => {
        if (ready) retire(conn);
        else
          reject(Object.assign(new Error('Connection closed during the greeting'), { code: 'ECONNECTION' }));
      });
      smtp.connect(() => {
        const done = () => {
          ready = true;
          live.add(conn);
          resolve(conn);
        };
        if (!server.auth) return done();
        smtp.login({ user: server.auth.user, pass: server.auth.pass }, (err) => {
          if (err) {
            reject(err);
            smtp.close();
          } else done();
        });
      });
    });
  }

  function run(conn: Connection, job: Job): void {
    conn.smtp.send({ from: job.message.from, to: [job.message.to] }, job.message.raw, (err, info) => {
      if (!err) {
        conn.sent++;
        job.resolve({ ok: true, response: info.response.replace(/\s+/g, ' ').trim() });
        return release(conn);
      }
      const e = err as SmtpError & { code?: string };
      const result = classifySmtpError(e);
      // A refused message leaves a healthy connection: reset the session and keep it. The result is
      // given once the connection is back, so that a caller sending one message after another reuses it.
      const refused = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
      if (refused && !conn.retired)
        conn.smtp.reset((resetErr) => {
          if (resetErr) retire(conn);
          else release(conn);
          job.resolve(result);
        });
      else {
        retire(conn);
        job.resolve(result);
      }
    });
  }

  function pump(): void {
    while (queue.length) {
      const conn = idle.pop();
      if (conn) {
        run(conn, queue.shift()!);
        continue;
      }
      if (live.size + connecting >= options.connections) return;
      connecting++;
      const job = queue.shift()!;
      open().then(
        (c) => {
          connecting--;
          run(c, job);
        },
        (err: SmtpError) => {
          connecting--;
          job.resolve(classifySmtpError(err));
          pump();
        },
      );
    }
  }

  return {
    kind: 'smtp',
    description: smtpDescription(server),
    idempotent: false,
    send(message) {
      if (closing) {
        return Promise.resolve({
          ok: false,
          permanent: false,
          scope: 'connection',
          response: 'the transport is closed',
        });
      }
      return new Promise((resolve) => {
        queue.push({ message, resolve });
        pump();
      });
    },
    async close() {
      closing = true;
      for (const conn of [...idle]) retire(conn, true);
    },
  };
}
