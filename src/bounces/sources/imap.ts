import { ImapFlow } from 'imapflow';
import { fatal } from '../../core/catalogue/index.js';
import type { BounceSource, MailboxMessage } from './types.js';

/** Where applied messages go, beside the folder read. */
const PROCESSED = 'Processed';

/** `imaps://user:pass@host[:port][/folder]` → the connection (the password never leaves this module). */
function parseImapUrl(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw fatal(2, 'bounce-imap-url-invalid');
  }
  if ((u.protocol !== 'imap:' && u.protocol !== 'imaps:') || !u.username || !u.password || !u.hostname)
    throw fatal(2, 'bounce-imap-url-invalid');
  const secure = u.protocol === 'imaps:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  const folder = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host,
    port,
    secure,
    folder,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    shown: `${u.protocol}//${u.host}/${folder}`,
  };
}

/**
 * An IMAP folder (imapflow). Every message is read by UID; an applied one is moved to `Processed`
 * (created when missing). Nothing else is touched: no flags set, nothing deleted.
 */
export async function imapSource(url: string): Promise<BounceSource> {
  const c = parseImapUrl(url);
  const fail = (e: unknown) =>
    fatal(2, 'bounce-imap-failed', { server: c.shown, reason: (e as Error).message });
  const client = new ImapFlow({
    host: c.host,
    port: c.port,
    secure: c.secure,
    auth: c.auth,
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15000,
  });
  // A dropped connection is reported by the command that needed it; without a listener it would crash.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    throw fail(e);
  }
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(c.folder);
  } catch (e) {
    await client.logout().catch(() => {});
    throw fail(e);
  }
  const uids = new Map<MailboxMessage, number>();
  let processedExists = false;
  return {
    kind: 'imap',
    description: `IMAP ${c.shown}`,
    async *messages() {
      let listed: { uid: number; size: number }[] = [];
      // The list first: no other command may run while a FETCH streams. ("1:*" is an error when empty.)
      if (client.mailbox && client.mailbox.exists > 0) {
        try {
          listed = (await client.fetchAll('1:*', { uid: true, size: true })).map((m) => ({
            uid: m.uid,
            size: m.size ?? 0,
          }));
        } catch (e) {
          throw fail(e);
        }
      }
      for (const { uid, size } of listed) {
        const message: MailboxMessage = {
          where: `imap ${c.folder} uid ${uid}`,
          size,
          read: async () => {
            const m = await client.fetchOne(String(uid), { source: true }, { uid: true }).catch((e) => {
              throw fail(e);
            });
            return m ? (m.source ?? Buffer.alloc(0)) : Buffer.alloc(0);
          },
        };
        uids.set(message, uid);
        yield message;
      }
    },
    async processed(message) {
      const uid = uids.get(message);
      if (uid === undefined) return;
      uids.delete(message);
      try {
        if (!processedExists) {
          const existing = await client.list();
          if (!existing.some((b) => b.path === PROCESSED)) await client.mailboxCreate(PROCESSED);
          processedExists = true;
        }
        await client.messageMove(String(uid), PROCESSED, { uid: true });
      } catch (e) {
        throw fail(e);
      }
    },
    async close() {
      lock.release();
      await client.logout().catch(() => {});
    },
  };
}
