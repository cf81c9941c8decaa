import { closeSync, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/** More than the head of any message scs writes; a To header past it is not looked for. */
const HEAD_BYTES = 64 * 1024;

/** An address in angle brackets, as scs writes every one (email/mime.ts `addressHeader`), or a bare one. */
const ADDRESS = /<([^<>\s]+@[^<>\s]+)>|([^\s<>,;:"]+@[^\s<>,;:"]+)/g;
/** A quoted display name, which may hold an "@" of its own. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/** The addresses in a message's To and Cc headers (read from its head only). */
function recipientsOf(file: string): string[] {
  const buffer = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(fd, buffer, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8', 0, length);
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .flatMap((line) => {
      const field = /^(?:to|cc):(.*)$/i.exec(line);
      return field ? [...field[1]!.replace(QUOTED, '').matchAll(ADDRESS)].map((m) => m[1] ?? m[2]!) : [];
    })
    .filter(Boolean);
}

/**
 * Deletes the outbox messages addressed to someone (after an erasure): every file in the folder,
 * half-written ones included, whose To or Cc header names an address `isRecipient` accepts. Returns how
 * many were deleted.
 */
export function removeOutboxMessages(dir: string, isRecipient: (address: string) => boolean): number {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let removed = 0;
  for (const name of entries) {
    const file = path.join(dir, name);
    let recipients: string[];
    try {
      recipients = recipientsOf(file);
    } catch (e) {
      // Gone meanwhile, or not a file (a folder someone put there): nothing of ours to delete.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') continue;
      throw e;
    }
    if (recipients.some(isRecipient)) {
      rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}
