#!/usr/bin/env node
// npm run bench:bounces — `scs bounces fetch --maildir` over N delivery status notifications (default
// 10,000; N=…) about one dispatch to N synthetic subscribers: half matched by their VERP token, half by
// the returned Message-ID and Final-Recipient; 4 in 5 hard bounces, 1 in 5 soft. Parse, plan, apply
// (store) and move to cur/, the whole command, RUNS times (default 3, fresh each time): median.
// Target on a 2-core machine: ≤ 10 s for 10,000.
// Then the Mailgun webhook of `scs serve` (the real server, in this process) on 127.0.0.1: REQUESTS
// signed hard-bounce events (default 3,000), CONCURRENT at a time (default 16), each a distinct address
// with a delivery, sent by bench/http-load.mjs in a process of its own: requests/s, latency percentiles,
// and the server's CPU time per request (steadier than the rest on a shared machine); then the same load
// on /healthz, which does nothing, for the latencies the machine alone adds. Target: ≥ 500 requests/s,
// p99 ≤ 50 ms. ONLY=webhook skips the Maildir part.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fmt, median, REPO, timeScs } from './lib.mjs';

const N = Number(process.env.N ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);
const SECRET = 'bench-secret-0123456789abcdef';
const BOX = 'bounces@stadslabbet.example';

const { loadConfig } = await import(path.join(REPO, 'dist/config/load.js'));
const { openStore } = await import(path.join(REPO, 'dist/store/open.js'));
const { verpAddress } = await import(path.join(REPO, 'dist/bounces/verp.js'));

const TEMPLATE = readFileSync(path.join(REPO, 'test/fixtures/bounces/postfix-user-unknown.eml'), 'latin1');
const FIXTURE_RCPT = 'anna.lind@recipient.example';
const FIXTURE_TOKEN = 'bounces+1-2-0123456789abcde@press.example';
const FIXTURE_ID = '<20261014080000.a1b2c3@press.example>';

/** The example newsroom with a bounce mailbox, N subscribers, one dispatch to them, and N DSNs. */
async function setUp() {
  return setUpFor(N);
}

/** setUp for n subscribers (and n DSNs). */
async function setUpFor(N) {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-bench-bounces-'));
  const file = path.join(dir, 'scs.config.yml');
  cpSync(path.join(REPO, 'scs.config.yml'), file);
  cpSync(path.join(REPO, 'releases'), path.join(dir, 'releases'), { recursive: true });
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/^ {2}delivery:\n/m, `  bounce:\n    address: ${BOX}\n  delivery:\n`),
  );
  const env = { SCS_SECRET: SECRET };
  const store = await openStore(loadConfig({ root: dir, env }));
  const now = new Date('2026-10-14T08:00:00Z');
  const consent = { source: 'import', at: now, ip: null, confirmedAt: now };
  const entries = [];
  for (let i = 0; i < N; i++)
    entries.push({
      subscriber: {
        email: `reader${i}@mx${i % 53}.example`,
        name: null,
        lang: 'sv',
        status: 'confirmed',
        consent,
      },
      lists: [{ listId: 'nyheter', status: 'active' }],
    });
  await store.subscribers.insertMany(entries, now);
  const dispatch = await store.ledger.createDispatch(
    {
      releaseId: 'sv/bench',
      lang: 'sv',
      listId: 'nyheter',
      transport: 'smtp',
      subject: 'Bench',
      releaseHash: 'x',
    },
    { list: 'nyheter' },
    now,
    'stadslabbet.example',
  );
  const due = await store.ledger.due(dispatch.id, N, now);
  await store.ledger.record(
    dispatch.id,
    due.map((d) => ({ subscriberId: d.subscriberId, status: 'sent', attempts: 1, reply: '250 ok' })),
    [],
    now,
  );
  await store.close();
  const maildir = path.join(dir, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  due.forEach((d, i) => {
    const token =
      i % 2
        ? 'bounces@stadslabbet.example'
        : verpAddress(BOX, SECRET, { dispatchId: dispatch.id, subscriberId: d.subscriberId });
    let text = TEMPLATE.replaceAll(FIXTURE_RCPT, d.email)
      .replaceAll(FIXTURE_TOKEN, token)
      .replaceAll(FIXTURE_ID, d.messageId)
      .replace('4F1A2B@', `${i}.4F1A2B@`);
    if (i % 5 === 4) text = text.replace('Status: 5.1.1', 'Status: 4.2.2');
    writeFileSync(path.join(maildir, 'new', `1760428805.${i}.mx.example`), text, 'latin1');
  });
  return { dir, env };
}

const times = [];
let last;
for (let run = 0; run < (process.env.ONLY === 'webhook' ? 0 : RUNS); run++) {
  const { dir, env } = await setUp();
  if (process.env.SETUP_ONLY) {
    console.log(dir);
    process.exit(0);
  }
  try {
    const r = timeScs(
      ['bounces', 'fetch', '--maildir', 'Maildir', '--json', '--now', '2026-10-14T12:00'],
      dir,
      env,
    );
    if (r.code !== 0) throw new Error(`scs bounces fetch exited with ${r.code}: ${r.stderr}`);
    last = JSON.parse(r.stdout);
    if (last.counts.applied !== N)
      throw new Error(`applied ${last.counts.applied} of ${N}: ${JSON.stringify(last.counts)}`);
    times.push({ whole: r.seconds, inside: last.elapsedMs / 1000, peak: r.peakMB });
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}
const whole = median(times.map((t) => t.whole));
if (times.length)
  console.log(
    `bounces fetch --maildir  N=${N}  median of ${RUNS}: ${fmt(whole)} s whole command (${fmt(median(times.map((t) => t.inside)))} s reading and applying), ` +
      `${fmt(N / whole, 0)} msg/s, peak ${fmt(median(times.map((t) => t.peak)), 0)} MB; ${last.recorded} events, ${last.suppressed} suppressed  ` +
      `[target ≤ 10 s for 10,000: ${whole <= 10 * (N / 10_000) ? 'met' : 'MISSED'}]`,
  );

// The webhook: one project with REQUESTS deliveries, the server in this process.
{
  const REQUESTS = Number(process.env.REQUESTS ?? 3000);
  const CONCURRENT = Number(process.env.CONCURRENT ?? 16);
  const KEY = 'bench-mailgun-key-0123456789';
  const { createServer } = await import(path.join(REPO, 'dist/subscription/server.js'));
  const { listen, shutdown } = await import(path.join(REPO, 'dist/subscription/listen.js'));
  const { createTransport } = await import(path.join(REPO, 'dist/delivery/create-transport.js'));

  const { dir, env } = await setUpFor(REQUESTS);
  const config = loadConfig({ root: dir, env: { ...env, SCS_MAILGUN_SIGNING_KEY: KEY } });
  const store = await openStore(config);
  const server = createServer(config, store, createTransport(config));
  const { port } = await listen(server, '127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}/newsletter/webhooks/mailgun`;
  const body = (i) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = `t${i}`.padEnd(50, 'x');
    return JSON.stringify({
      signature: {
        timestamp,
        token,
        signature: createHmac('sha256', KEY)
          .update(timestamp + token)
          .digest('hex'),
      },
      'event-data': {
        event: 'failed',
        severity: 'permanent',
        id: `ev-${i}`,
        recipient: `reader${i}@mx${i % 53}.example`,
        'delivery-status': { code: 550, 'enhanced-code': '5.1.1', description: 'No such mailbox' },
      },
    });
  };
  /** POSTs `bodies` to `target` from bench/http-load.mjs, a process of its own (keep-alive connections). */
  const run = async (target, bodies) => {
    const requests = path.join(dir, 'requests.json');
    writeFileSync(
      requests,
      JSON.stringify(
        bodies.map((b) => ({ url: target, headers: { 'Content-Type': 'application/json' }, body: b })),
      ),
    );
    // The server's own CPU time per request: what the machine's other load does not change much.
    const cpu0 = process.cpuUsage();
    const load = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [path.join(REPO, 'bench/http-load.mjs'), requests, String(CONCURRENT)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`http-load exited with ${code}`)),
      );
    });
    const cpu = process.cpuUsage(cpu0);
    return {
      ...load,
      rps: bodies.length / load.seconds,
      cpuMs: (cpu.user + cpu.system) / 1000 / bodies.length,
      failed: bodies.length - (load.statuses[200] ?? 0),
    };
  };
  const webhook = await run(
    url,
    Array.from({ length: REQUESTS }, (_, i) => body(i)),
  );
  // The same load on /healthz, which does no work: the machine's share of the latencies.
  const floor = await run(
    url.replace(/webhooks\/mailgun$/, 'healthz'),
    Array.from({ length: REQUESTS }, () => '{}'),
  );
  if (webhook.failed) console.error(`webhook answers: ${JSON.stringify(webhook.statuses)}`);
  const suppressed = await store.subscribers.suppression(
    `reader${REQUESTS - 1}@mx${(REQUESTS - 1) % 53}.example`,
  );
  await shutdown(server);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (webhook.failed || !suppressed)
    throw new Error(`webhook: ${webhook.failed} requests failed, last suppressed: ${!!suppressed}`);
  const line = (r) =>
    `${fmt(r.rps, 0)} req/s, p50 ${fmt(r.latencies.p50, 1)} ms, p99 ${fmt(r.latencies.p99, 1)} ms; server CPU ${fmt(r.cpuMs, 3)} ms a request`;
  const met = webhook.rps >= 500 && webhook.latencies.p99 <= 50;
  console.log(
    `webhook mailgun  ${REQUESTS} requests, ${CONCURRENT} at a time (client: bench/http-load.mjs): ${line(webhook)}  ` +
      `[target ≥ 500 req/s and p99 ≤ 50 ms: ${met ? 'met' : 'MISSED'}]\n` +
      `  the same on /healthz (no work; what the machine adds): ${line(floor)}`,
  );
}
