import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's Dovecot (`dovecot-imapd`); SCS_TEST_DOVECOT names another binary. */
const DOVECOT = process.env.SCS_TEST_DOVECOT || '/usr/sbin/dovecot';

export interface TestDovecot {
  /** `imap://user:password@127.0.0.1:<port>/INBOX`. */
  url: string;
  port: number;
  user: string;
  password: string;
  /** The user's Maildir (INBOX), with `.Processed` beside `new/` once created. */
  maildir: string;
  stop(): Promise<void>;
  log(): string;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** A system user's uid and gid, from /etc/passwd. */
function systemUser(name: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`No "${name}" user: run "npm run test:deps" (installs Debian's dovecot-imapd).`);
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A throw-away Dovecot: its own config and runtime folders in a temporary directory, one passwd-file
 * user, IMAP on 127.0.0.1 on a free port, plain-text login allowed (loopback only), Maildir storage.
 * No system service is touched; `stop` ends it and removes everything.
 */
export async function startDovecot(): Promise<TestDovecot> {
  if (!existsSync(DOVECOT))
    throw new Error(`No Dovecot at ${DOVECOT}: run "npm run test:deps" (installs Debian's dovecot-imapd).`);
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const user = 'bounces';
  const password = 'test-password-1';
  // Dovecot never runs mail as root: as root, the mail belongs to Dovecot's own system user.
  const [uid, gid] =
    process.getuid?.() === 0
      ? systemUser('dovecot')
      : [process.getuid?.() ?? 1000, process.getgid?.() ?? 1000];
  const home = path.join(dir, 'home', user);
  mkdirSync(home, { recursive: true });
  chownSync(path.join(dir, 'home'), uid, gid);
  chownSync(home, uid, gid);
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${uid}:${gid}::${home}\n`);
  const config = path.join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !(await answers(port)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await answers(port))) {
    const log = existsSync(path.join(dir, 'dovecot.log'))
      ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
      : '';
    await stop();
    throw new Error(`Dovecot did not start: ${stderr}${log}`);
  }
  return {
    url: `imap://${user}:${password}@127.0.0.1:${port}/INBOX`,
    port,
    user,
    password,
    maildir: path.join(home, 'Maildir'),
    stop,
    log: () => {
      const file = path.join(dir, 'dovecot.log');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    },
  };
}
