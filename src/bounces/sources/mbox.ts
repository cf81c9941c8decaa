import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fatal } from '../../core/catalogue/index.js';
import { type BounceSource, MAX_MESSAGE_BYTES, type MailboxMessage } from './types.js';

/**
 * An mbox file, only read (it may be a mail server's spool, whose locking is not ours to take): applied
 * messages stay in it, and reading it again applies nothing twice. Lines beginning "From " separate
 * messages; ">From " quoting (mboxrd) is undone.
 */
export function mboxSource(file: string, shown = file): BounceSource {
  try {
    if (!statSync(file).isFile()) throw new Error('it is not a file');
  } catch (e) {
    throw fatal(2, 'bounce-mailbox-unreadable', { mailbox: shown, reason: (e as Error).message });
  }
  return {
    kind: 'mbox',
    description: `mbox ${shown} (read only)`,
    async *messages() {
      const lines = createInterface({
        input: createReadStream(file, { encoding: 'latin1' }),
        crlfDelay: Infinity,
      });
      let parts: string[] = [];
      let size = 0;
      let start = 0;
      let n = 0;
      const done = (): MailboxMessage | undefined => {
        if (!start) return undefined;
        const text = parts.join('\n');
        const bytes = size;
        parts = [];
        size = 0;
        return { where: `${shown}:${start}`, size: bytes, read: async () => Buffer.from(text, 'latin1') };
      };
      for await (const line of lines) {
        n++;
        if (line.startsWith('From ')) {
          const message = done();
          if (message) yield message;
          start = n;
          continue;
        }
        if (!start) continue;
        size += line.length + 1;
        // Beyond the limit only the size is kept: the message is reported, never held whole.
        if (size <= MAX_MESSAGE_BYTES) parts.push(/^>+From /.test(line) ? line.slice(1) : line);
      }
      const last = done();
      if (last) yield last;
    },
    async processed() {},
    async close() {},
  };
}

/** One message on stdin (a Postfix pipe: `bounces unix - n n - - pipe … scs bounces fetch --stdin`). */
export function stdinSource(input: NodeJS.ReadableStream): BounceSource {
  return {
    kind: 'stdin',
    description: 'one message on stdin',
    async *messages() {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of input) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer);
        size += b.length;
        if (size <= MAX_MESSAGE_BYTES) chunks.push(b);
      }
      if (size) yield { where: 'stdin', size, read: async () => Buffer.concat(chunks) };
    },
    async processed() {},
    async close() {},
  };
}
