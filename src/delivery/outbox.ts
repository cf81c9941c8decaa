import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutgoingMessage, SendResult, Transport } from './transport.js';

/** How the outbox presents itself: plainly, since nobody gets these messages. */
export const outboxDescription = (shownDir: string) =>
  `file outbox ${shownDir} (no SMTP configured: set SCS_SMTP_URL to send for real)`;

/**
 * A mail server's pickup folder: one `.eml` per message, written atomically (temporary name, then
 * rename) so that a reader never sees half a message.
 */
export function createOutboxTransport(dir: string, shownDir = dir): Transport {
  mkdirSync(dir, { recursive: true });
  let seq = 0;
  return {
    kind: 'outbox',
    description: outboxDescription(shownDir),
    async send(message: OutgoingMessage): Promise<SendResult> {
      const id = message.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
      const name = `${Date.now()}-${process.pid}-${(seq++).toString(36)}-${id}.eml`;
      const tmp = path.join(dir, `.${name}.tmp`);
      try {
        writeFileSync(tmp, message.raw);
        renameSync(tmp, path.join(dir, name));
        // Short: the ledger keeps every reply, and the file is found by the Message-ID in its name.
        return { ok: true, response: '250 written to the outbox' };
      } catch (e) {
        return {
          ok: false,
          permanent: false,
          scope: 'connection',
          response: `outbox write failed: ${(e as Error).message}`,
        };
      }
    },
    async close() {},
  };
}
