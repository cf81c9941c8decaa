import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fatal } from '../../core/catalogue/index.js';
import type { BounceSource, MailboxMessage } from './types.js';

// "<unique>:2,<flags>" (flags in ASCII order): cur/ names carry the flags after ":2,".
const INFO = /:2,([A-Za-z]*)$/;

/**
 * A Maildir (new/, cur/, tmp/). Messages in new/, and those in cur/ without the Seen flag, are read; an
 * applied one goes to cur/ with the Seen flag added (other flags kept), so it is not read again, and a
 * mail client shows it as read. Nothing is deleted.
 */
export function maildirSource(dir: string, shown = dir): BounceSource {
  if (!existsSync(path.join(dir, 'new')) || !existsSync(path.join(dir, 'cur')))
    throw fatal(2, 'bounce-mailbox-unreadable', {
      mailbox: shown,
      reason: 'it is not a Maildir (no new/ and cur/ in it)',
    });
  const files = new Map<MailboxMessage, string>();
  return {
    kind: 'maildir',
    description: `Maildir ${shown}`,
    async *messages() {
      for (const sub of ['new', 'cur']) {
        let names: string[];
        try {
          names = readdirSync(path.join(dir, sub)).sort();
        } catch (e) {
          throw fatal(2, 'bounce-mailbox-unreadable', { mailbox: shown, reason: (e as Error).message });
        }
        for (const name of names) {
          if (name.startsWith('.')) continue;
          if (sub === 'cur' && INFO.exec(name)?.[1]?.includes('S')) continue;
          const file = path.join(dir, sub, name);
          let size: number;
          try {
            const st = statSync(file);
            if (!st.isFile()) continue;
            size = st.size;
          } catch {
            continue; // Moved away by a mail client meanwhile.
          }
          // Read synchronously: small files one after the other, where the thread pool only adds waiting.
          const message: MailboxMessage = {
            where: path.join(shown, sub, name),
            size,
            read: async () => readFileSync(file),
          };
          files.set(message, file);
          yield message;
        }
      }
    },
    async processed(message) {
      const file = files.get(message);
      if (!file) return;
      files.delete(message);
      const name = path.basename(file);
      const flags = INFO.exec(name)?.[1] ?? '';
      const base = name.replace(INFO, '');
      const next = [...new Set(`${flags}S`)].sort().join('');
      renameSync(file, path.join(dir, 'cur', `${base}:2,${next}`));
    },
    async close() {},
  };
}
