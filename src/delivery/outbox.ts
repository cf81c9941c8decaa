import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutgoingMessage, SendResult, Transport } from './transport.js';
import { makePrivateDir } from '../core/private-dir.js';

/** How the outbox presents itself: plainly, since nobody gets these messages. */
export const outboxDescription = (shownDir: string) =>
  `file outbox ${shownDir} (no SMTP configured: set SCS_SMTP_URL to send for real)`;

/**
 * A mail server's pickup folder: one `.eml` per message, written atomically (temporary name, then
 * rename) so that a reader never sees half a message. The file is named after the Message-ID, which the
 * ledger assigns once per recipient: writing a message again (after a run died while writing it)
 * replaces the same file, so the folder never holds a message twice.
 */
export function createOutboxTransport(dir: string, shownDir = dir): Transport {
  makePrivateDir(dir);
  return {
    kind: 'outbox',
    idempotent: true,
    description: outboxDescription(shownDir),
    async send(message: OutgoingMessage): Promise<SendResult> {
      const id = message.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
      const name = `${id}.eml`;
      const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
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
