#!/usr/bin/env node
// npm run bench:postgres — the PostgreSQL store with the real binary, on a throw-away cluster
// (Debian's pg_createcluster, on 127.0.0.1, dropped at the end; or SCS_BENCH_DATABASE=postgres://… of
// your own, which must be empty):
//   import --import subscribers from CSV (target ≤ 30 s for 1,000,000), plan a dispatch to all of them
//   (target ≤ 10 s), then `scs send` of --send recipients to a loopback sink with 1 and with 4 worker
//   processes, at --rate per worker (target: 4 workers ≥ 3.6× one) and unthrottled, peak RSS per
//   worker (target ≤ 200 MB); and SQLite in the same run: import --sqlite subscribers (≤ 3 s) and send
//   them (≥ 2,000 msg/s).
// Flags: --import 1000000 --send 100000 --rate 500 --sqlite 100000 (smaller sizes while others work;
// --send 0 or --sqlite 0 leaves that part out).
// The sink is Postfix's smtp-sink when installed (its ceiling measured with smtp-source), else the
// project's bench/smtp-sink.mjs, a node process on the same two cores.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BIN, fmt, freePort, REPO, startSink, timeScs } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const IMPORT = arg('import', 1_000_000);
const SEND = arg('send', 100_000);
const RATE = arg('rate', 500);
const SQLITE = arg('sqlite', 100_000);
// SMTP connections per worker (0: the config's `delivery.concurrency`).
const CONCURRENCY = arg('concurrency', 0);
const RELEASE = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
const NOW = '2026-10-14T10:00';
const SECRET = 'bench-secret-0123456789abcdef';
const MAXRSS = path.join(REPO, 'bench', 'maxrss.cjs');
const SMTP_SOURCE = ['/usr/sbin/smtp-source', '/usr/lib/postfix/sbin/smtp-source'].find((f) => existsSync(f));

/** A throw-away cluster (Debian's cluster tools), or the database named by SCS_BENCH_DATABASE. */
async function startCluster() {
  if (process.env.SCS_BENCH_DATABASE) return { url: () => process.env.SCS_BENCH_DATABASE, stop() {} };
  const port = await freePort();
  const name = `scsbench${port}`;
  const version = spawnSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .at(-1);
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    return r.stdout;
  };
  // Sized for a million subscribers, as an operations team would size it (PostgreSQL's defaults, 128 MB
  // of shared buffers and 1 GB of WAL between checkpoints, are meant for a laptop).
  run('pg_createcluster', [
    version,
    name,
    '-p',
    String(port),
    '-o',
    'shared_buffers=1GB',
    '-o',
    'max_wal_size=8GB',
    '--start',
    '--',
    '-A',
    'trust',
    '--no-sync',
  ]);
  const psql = (sql) =>
    run('runuser', [
      '-u',
      'postgres',
      '--',
      'psql',
      '-X',
      '-q',
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-c',
      sql,
    ]);
  // A benchmark, not a bank: as the tests run it (durability off).
  psql('ALTER SYSTEM SET fsync = off');
  psql('ALTER SYSTEM SET synchronous_commit = off');
  psql('SELECT pg_reload_conf()');
  let n = 0;
  return {
    url: () => {
      const db = `bench${++n}`;
      psql(`CREATE DATABASE ${db}`);
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    stop: () => run('pg_dropcluster', ['--stop', version, name]),
  };
}

function project(env) {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-bench-pg-'));
  cpSync(path.join(REPO, 'scs.config.yml'), path.join(dir, 'scs.config.yml'));
  cpSync(path.join(REPO, 'releases'), path.join(dir, 'releases'), { recursive: true });
  return { dir, env: { SCS_SECRET: SECRET, ...env } };
}

function csv(dir, n) {
  const file = path.join(dir, `subscribers-${n}.csv`);
  const rows = ['email,name,language'];
  for (let i = 0; i < n; i++) rows.push(`reader${i}@${i % 2 ? 'example.com' : 'bench.test'},Läsare ${i},sv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

function must(r, what) {
  if (r.code !== 0) {
    console.error(r.stderr);
    throw new Error(`${what}: scs exited with ${r.code}`);
  }
  return r;
}

/** Imports `n` confirmed readers of `nyheter`; returns the seconds and peak RSS. */
function importList(p, n) {
  const file = csv(p.dir, n);
  const r = must(
    timeScs(['subscribers', 'import', file, '--list', 'nyheter', '--confirmed', '--json'], p.dir, p.env),
    'import',
  );
  return r;
}

/** `scs send` in `workers` processes at once (as `--workers` starts them), each timed on its own. */
async function sendWorkers(p, workers, rate) {
  const args = ['send', RELEASE, '--list', 'nyheter', '--now', NOW, '--json', '--rate', String(rate)];
  if (CONCURRENCY) args.push('--concurrency', String(CONCURRENCY));
  const t0 = process.hrtime.bigint();
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, ['--require', MAXRSS, BIN, ...args], {
            cwd: p.dir,
            env: { ...process.env, NO_COLOR: '1', ...p.env },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (code) => {
            const m = /scs-maxrss-kb=(\d+)/.exec(err);
            resolve({ code, out, err, peakMB: m ? Number(m[1]) / 1024 : Number.NaN });
          });
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const r of runs) must({ ...r, stderr: r.err }, `send with ${workers} workers`);
  const results = runs.map((r) => JSON.parse(r.out).dispatches[0]);
  const sent = results.reduce((a, d) => a + d.run.sent, 0);
  // The sending time: from the first message sent to the last, as the ledger has it (not the processes'
  // start-up, which a busy machine makes uneven); and each worker's own rate over its own span, summed:
  // what N machines would give together. SQLite: the time the run reports.
  let sending = Math.max(...results.map((d) => d.elapsedMs)) / 1000;
  let together = sent / sending;
  if (p.env.SCS_DATABASE) {
    const db = new pg.Client({ connectionString: p.env.SCS_DATABASE });
    await db.connect();
    const { rows } = await db.query(
      `SELECT count(*)::int AS n, (max(sent_at) - min(sent_at))::float8 / 1000 AS span
       FROM deliveries WHERE status = 'sent' GROUP BY ROLLUP (claim_fence) ORDER BY claim_fence NULLS FIRST`,
    );
    await db.end();
    const [all, ...each] = rows;
    sending = Math.max(all.span, 0.001);
    together = each.reduce((a, w) => a + (w.n > 1 && w.span > 0 ? (w.n - 1) / w.span : 0), 0);
  }
  return { sent, seconds, sending, rate: sent / sending, together, peaks: runs.map((r) => r.peakMB) };
}

const load = () =>
  loadavg()
    .map((l) => fmt(l, 1))
    .join(' ');
const misses = [];
const check = (ok, text) => {
  if (!ok) misses.push(text);
  return ok ? 'ok' : 'MISSED';
};

console.log(
  `bench:postgres — node ${process.version}; load ${load()}; import ${IMPORT}, send ${SEND} at --rate ${RATE}/worker${CONCURRENCY ? ` and --concurrency ${CONCURRENCY}` : ''}, SQLite ${SQLITE}`,
);
const cluster = await startCluster();
const sink = await startSink();
console.log(`sink: ${sink.name} on 127.0.0.1:${sink.port}`);
const dirs = [];
try {
  // 1. Import and plan at full size.
  {
    const p = project({ SCS_DATABASE: cluster.url() });
    dirs.push(p.dir);
    must(timeScs(['db', 'migrate'], p.dir, p.env), 'migrate');
    const imp = importList(p, IMPORT);
    console.log(
      `import ${IMPORT} subscribers: ${fmt(imp.seconds)} s, peak ${fmt(imp.peakMB, 0)} MB  (target ≤ 30 s for 1,000,000: ${check(IMPORT < 1_000_000 || imp.seconds <= 30, 'import ≤ 30 s')})`,
    );
    // Planning alone: through the library, as `scs send` plans, on the same database.
    const { loadConfig } = await import(path.join(REPO, 'dist/config/load.js'));
    const { openStore } = await import(path.join(REPO, 'dist/store/open.js'));
    const store = await openStore(loadConfig({ root: p.dir, env: p.env }));
    try {
      const t0 = process.hrtime.bigint();
      const d = await store.ledger.createDispatch(
        {
          releaseId: RELEASE,
          lang: 'sv',
          listId: 'nyheter',
          transport: 'smtp',
          subject: 'Bench',
          releaseHash: 'x',
        },
        { list: 'nyheter' },
        new Date(),
        'bench.test',
      );
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(
        `plan a dispatch to ${d.total}: ${fmt(seconds)} s  (target ≤ 10 s for 1,000,000: ${check(IMPORT < 1_000_000 || seconds <= 10, 'plan ≤ 10 s')})`,
      );
    } finally {
      await store.close();
    }
  }

  // 2. Sending: 1 worker against 4, throttled and unthrottled, each on a fresh database.
  const sendRun = async (workers, rate) => {
    const p = project({ SCS_DATABASE: cluster.url(), SCS_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    dirs.push(p.dir);
    must(timeScs(['db', 'migrate'], p.dir, p.env), 'migrate');
    importList(p, SEND);
    const r = await sendWorkers(p, workers, rate);
    if (r.sent !== SEND) throw new Error(`${workers} workers sent ${r.sent} of ${SEND}`);
    console.log(
      `send ${SEND}, ${workers} worker${workers > 1 ? 's' : ''}, ${rate ? `--rate ${rate} each` : 'unthrottled'}: ${fmt(r.together, 0)} msg/s summed over the workers' own spans, ${fmt(r.rate, 0)} msg/s first to last message (${fmt(r.sending)} s; whole command ${fmt(r.seconds)} s), peak RSS per worker ${r.peaks.map((m) => fmt(m, 0)).join('/')} MB; load ${load()}`,
    );
    for (const m of r.peaks) check(m <= 200, `peak RSS ${fmt(m, 0)} MB ≤ 200 MB`);
    return r;
  };
  if (SEND) {
    const one = await sendRun(1, RATE);
    const four = await sendRun(4, RATE);
    console.log(
      `  throttled: 4 workers ${fmt(four.together / one.together)}× one (target ≥ 3.6×: ${check(four.together / one.together >= 3.6, '4 workers ≥ 3.6× one, throttled')}); first to last message ${fmt(four.rate / one.rate)}×`,
    );
    const oneFree = await sendRun(1, 0);
    const fourFree = await sendRun(4, 0);
    console.log(
      `  unthrottled: 4 workers ${fmt(fourFree.rate / oneFree.rate)}× one (two cores: sink, scs and PostgreSQL share them)`,
    );
    if (SMTP_SOURCE) {
      const t0 = process.hrtime.bigint();
      spawnSync(SMTP_SOURCE, ['-s', '16', '-m', String(SEND), '-l', '34000', `127.0.0.1:${sink.port}`]);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`  sink ceiling (smtp-source, 16 sessions, 34 KB): ${fmt(SEND / seconds, 0)} msg/s`);
    } else console.log('  sink ceiling: not measured (Postfix smtp-source is not installed)');
  }

  // 3. SQLite, in the same run.
  if (SQLITE) {
    const p = project({ SCS_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    dirs.push(p.dir);
    const imp = importList(p, SQLITE);
    console.log(
      `SQLite: import ${SQLITE}: ${fmt(imp.seconds)} s (target ≤ 3 s for 100,000: ${check(SQLITE < 100_000 || imp.seconds <= 3, 'SQLite import ≤ 3 s')})`,
    );
    const r = await sendWorkers(p, 1, 0);
    console.log(
      `SQLite: send ${SQLITE}: ${fmt(r.rate, 0)} msg/s, peak ${fmt(r.peaks[0], 0)} MB (target ≥ 2,000 msg/s: ${check(r.rate >= 2000, 'SQLite send ≥ 2,000 msg/s')})`,
    );
  }
} finally {
  sink.stop();
  cluster.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
if (misses.length) console.log(`missed: ${misses.join('; ')}`);
process.exitCode = misses.length ? 1 : 0;
