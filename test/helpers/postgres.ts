import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScsError } from '../../src/core/diagnostic.js';
import { type PostgresLocation, parsePostgresUrl } from '../../src/store/postgres/location.js';

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 and a free port, run as the `postgres` user (initdb
 * refuses root), trusting local connections, with fsync off. Debian's `postgresql` package provides
 * the binaries (`scripts/test-deps.sh` installs it); `stop()` removes everything.
 */
export interface TestPostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<db>` */
  url(database?: string): string;
  /** Runs SQL through psql as the superuser; returns its output. */
  psql(sql: string, database?: string): string;
  createDatabase(name: string): string;
  stop(): void;
}

export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed: run scripts/test-deps.sh (npm run test:deps)');
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-pg-'));
  chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const asPostgres = (command: string, args: string[]) => {
    const owner = process.getuid?.() === 0;
    const result = owner
      ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`);
    }
    return result.stdout;
  };
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  asPostgres(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  asPostgres(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    options,
    '-l',
    path.join(dir, 'log'),
    '-w',
    'start',
  ]);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const psql = (sql: string, database = 'postgres') =>
    execFileSync(
      path.join(bin, 'psql'),
      ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url(database), '-c', sql],
      {
        encoding: 'utf8',
      },
    );
  let stopped = false;
  return {
    port,
    url,
    psql,
    createDatabase(name) {
      psql(`CREATE DATABASE "${name}"`);
      return url(name);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A URL as scs reads it (the test's URLs are valid). */
export function pgLocation(url: string): PostgresLocation {
  const l = parsePostgresUrl(url);
  if ('code' in l) throw new Error(l.message);
  return l;
}

/** The catalogue error a promise fails with (anything else is rethrown; success fails the test). */
export async function failure(p: Promise<unknown>): Promise<ScsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ScsError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
