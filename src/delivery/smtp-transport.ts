import { classifySmtpError } from './classify.js';
import { type SmtpClientError, SmtpConnection } from './smtp/connection.js';
import type { SmtpServer } from './smtp-url.js';
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
  smtp: SmtpConnection;
  sent: number;
  retired: boolean;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

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
 * SMTP through a pool of our own connections (smtp/connection.ts), each sending one finished message at a time. A
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

  async function open(): Promise<Connection> {
    const smtp = await SmtpConnection.open(server, options.timeoutMs);
    const conn: Connection = { smtp, sent: 0, retired: false };
    // A connection the server drops while it waits in the pool is replaced; a message in flight learns
    // of it from its own send.
    smtp.onGone(() => retire(conn));
    live.add(conn);
    return conn;
  }

  function run(conn: Connection, job: Job): void {
    const { from, to, raw } = job.message;
    conn.smtp.send(from, to, raw).then(
      (reply) => {
        conn.sent++;
        job.resolve({ ok: true, response: oneLine(reply.text) });
        release(conn);
      },
      (err: SmtpClientError) => {
        const result = classifySmtpError(err);
        // A refused message leaves a healthy connection: reset the session and keep it. The result is
        // given once the connection is back, so that a caller sending one message after another reuses it.
        if (conn.smtp.usable && err.responseCode !== 421 && !conn.retired)
          conn.smtp.reset().then(
            () => {
              release(conn);
              job.resolve(result);
            },
            () => {
              retire(conn);
              job.resolve(result);
            },
          );
        else {
          retire(conn);
          job.resolve(result);
        }
      },
    );
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
        (err: SmtpClientError) => {
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
