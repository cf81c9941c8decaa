#!/usr/bin/env node
// npm run bench:send — `scs send` of one newsletter to 100,000 synthetic subscribers (reserved
// example.com / .test domains), through SMTP into a sink on 127.0.0.1 (Postfix's smtp-sink when
// installed, else a minimal smtp-server sink in a child process), then the same through the file outbox.
// Targets on a 2-core machine: ≥ 2,000 messages/s to the SMTP sink, peak memory ≤ 200 MB and flat in
// the list size, the ledger's share of the sending time ≤ 10%.
// SIZES=20000,100000 shows memory against list size; CONCURRENCY sets connections (default 8).
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fmt, REPO, startSink, timeScs } from './lib.mjs';

const sizes = (process.env.SIZES ?? '100000').split(',').map(Number);
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const RELEASE = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
const NOW = '2026-10-14T10:00';
const SECRET = 'bench-secret-0123456789abcdef';

const { loadConfig } = await import(path.join(REPO, 'dist/config/load.js'));
const { openStore } = await import(path.join(REPO, 'dist/store/open.js'));

/** A copy of the example newsroom with `n` confirmed subscribers on the Swedish list. */
async function project(n) {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-bench-send-'));
  cpSync(path.join(REPO, 'scs.config.yml'), path.join(dir, 'scs.config.yml'));
  cpSync(path.join(REPO, 'releases'), path.join(dir, 'releases'), { recursive: true });
  const env = { SCS_SECRET: SECRET };
  const store = await openStore(loadConfig({ root: dir, env }));
  const now = new Date();
  const consent = { source: 'import', at: now, ip: null, confirmedAt: now };
  const lists = [{ listId: 'nyheter', status: 'active' }];
  for (let from = 0; from < n; from += 10_000) {
    const entries = [];
    for (let i = from; i < Math.min(n, from + 10_000); i++) {
      const email = i % 2 ? `reader${i}@example.com` : `reader${i}@newsroom${i % 97}.test`;
      entries.push({
        subscriber: { email, name: `Läsare ${i}`, lang: 'sv', status: 'confirmed', consent },
        lists,
      });
    }
    await store.subscribers.insertMany(entries, now);
  }
  await store.close();
  return { dir, env };
}

function run(label, dir, env, n) {
  const r = timeScs(
    ['send', RELEASE, '--list', 'nyheter', '--now', NOW, '--json', '--concurrency', String(concurrency)],
    dir,
    env,
  );
  if (r.code !== 0) {
    console.error(r.stderr);
    throw new Error(`${label}: scs send exited with ${r.code}`);
  }
  const d = JSON.parse(r.stdout).dispatches[0];
  if (d.counts.sent !== n) throw new Error(`${label}: sent ${d.counts.sent} of ${n}`);
  const seconds = d.elapsedMs / 1000;
  const ledger = d.timings.ledgerMs / d.elapsedMs;
  console.log(
    `${label.padEnd(26)} N=${n}  ${fmt(n / seconds, 0)} msg/s (sending ${fmt(seconds)} s, whole command ${fmt(r.seconds)} s)  ` +
      `peak ${fmt(r.peakMB, 0)} MB  ledger ${fmt(ledger * 100, 1)}% (${fmt(d.timings.ledgerMs / 1000)} s)  store checks ${fmt((d.timings.storeMs / d.elapsedMs) * 100, 1)}%  ` +
      `building ${fmt((d.timings.buildMs / d.elapsedMs) * 100, 1)}%`,
  );
  return { rate: n / seconds, peak: r.peakMB, ledger };
}

let failed = false;
const sink = await startSink();
console.log(`SMTP sink: ${sink.name} on 127.0.0.1:${sink.port}; ${concurrency} connections; message ≈ 34 KB`);
try {
  for (const n of sizes) {
    const { dir, env } = await project(n);
    try {
      const smtp = run(
        `SMTP (${sink.name})`,
        dir,
        { ...env, SCS_SMTP_URL: `smtp://127.0.0.1:${sink.port}` },
        n,
      );
      const outbox = run('file outbox', dir, env, n);
      const files = readdirSync(path.join(dir, '.scs', 'outbox')).length;
      if (files !== n) throw new Error(`outbox holds ${files} files, expected ${n}`);
      const miss = (text) => {
        console.log(`  missed target: ${text}`);
        failed = true;
      };
      if (smtp.rate < 2000) miss(`${fmt(smtp.rate, 0)} < 2,000 msg/s`);
      for (const r of [smtp, outbox]) {
        if (r.peak > 200) miss(`peak ${fmt(r.peak, 0)} MB > 200 MB`);
        if (r.ledger > 0.1) miss(`ledger ${fmt(r.ledger * 100, 1)}% > 10%`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  sink.stop();
}
process.exitCode = failed ? 1 : 0;
