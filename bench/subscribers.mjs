// Subscriber store benchmark: import a 100,000-row CSV, then stream the confirmed recipients of a
// 100,000-subscriber list, printing times and memory. Targets (2-core machine): import ≤ 3 s,
// streaming ≤ 0.3 s with memory that does not grow with the list.
// Run: npm run bench:subscribers  [-- --n 100000]
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSubscribers, loadConfig, openStore } from '../dist/index.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 100_000);
const TARGET_IMPORT_MS = 3000;
const TARGET_STREAM_MS = 300;

const FIRST = ['Alva', 'Bo', 'Cecilia', 'Dag', 'Elin', 'Filip', 'Greta', 'Hugo', 'Ines', 'Jon', 'Klara', 'Linus'];
const LAST = ['Ahlberg', 'Björk', 'Dahl', 'Ek', 'Falk', 'Gran', 'Holm', 'Isaksson', 'Jönsson', 'Kvist', 'Lund', 'Moberg'];
// Reserved names only (RFC 2606): nothing here can reach a real mailbox.
const DOMAINS = ['example.com', 'example.org', 'example.net', 'bench.test'];

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const gc = () => globalThis.gc?.();
const verdict = (value, target) => (value <= target ? 'ok' : 'OVER TARGET');

const dir = mkdtempSync(path.join(tmpdir(), 'scs-bench-subscribers-'));
try {
  copyFileSync(path.join(REPO, 'scs.config.yml'), path.join(dir, 'scs.config.yml'));
  const config = loadConfig({ root: dir, env: { SCS_SECRET: 'benchmark-secret-0123456789abcdef' } });

  // A realistic file: header-driven, ";" as Excel writes it in Sweden, a BOM, quoted names.
  const rows = ['\uFEFFE-post;Namn;Språk'];
  for (let i = 0; i < N; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    rows.push(`person.${i}@${DOMAINS[i % DOMAINS.length]};"${name}";${i % 5 ? 'sv' : 'en'}`);
  }
  const csv = path.join(dir, 'subscribers.csv');
  writeFileSync(csv, `${rows.join('\r\n')}\r\n`);

  console.log(`scs subscriber store benchmark — ${N.toLocaleString('en')} subscribers, SQLite in ${dir}`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`);

  let store = openStore(config);
  gc();
  let t0 = process.hrtime.bigint();
  const report = importSubscribers(config, store, { file: csv, lists: ['nyheter'], confirmed: true, now: new Date() });
  const importMs = ms(t0);
  if (report.added.length !== N || report.invalid.length) throw new Error(`import went wrong: ${report.added.length} added`);
  console.log(`\nimport  ${N.toLocaleString('en')} rows        ${importMs.toFixed(0).padStart(6)} ms   target ≤ ${TARGET_IMPORT_MS} ms  ${verdict(importMs, TARGET_IMPORT_MS)}`);

  t0 = process.hrtime.bigint();
  const again = importSubscribers(config, store, { file: csv, lists: ['nyheter'], confirmed: true, now: new Date() });
  console.log(`re-import (all unchanged)      ${ms(t0).toFixed(0).padStart(6)} ms   (${again.unchanged.length.toLocaleString('en')} unchanged)`);

  // A fresh connection, as `scs send` would have: nothing cached in this process.
  store.close();
  store = openStore(config);

  /** Streams a list, sampling the heap as it goes: the peak minus the start is what streaming costs. */
  const stream = (listId) => {
    gc();
    const heapStart = process.memoryUsage().heapUsed;
    let peak = heapStart;
    let count = 0;
    const start = process.hrtime.bigint();
    for (const r of store.subscribers.recipients(listId)) {
      if (r.email.length === 0) throw new Error('empty address');
      if (++count % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    return { count, ms: ms(start), growth: Math.max(0, peak - heapStart) };
  };
  stream('nyheter'); // warm-up: statement compilation, page cache
  const full = stream('nyheter');
  console.log(
    `stream  ${full.count.toLocaleString('en')} recipients  ${full.ms.toFixed(0).padStart(6)} ms   target ≤ ${TARGET_STREAM_MS} ms  ${verdict(full.ms, TARGET_STREAM_MS)}` +
      `   heap growth while streaming: ${mib(full.growth)}`,
  );

  // The same stream over a list a tenth the size: if memory grew with the list, the figures would differ tenfold.
  const small = Math.floor(N / 10);
  const repo = store.subscribers;
  repo.transaction(() => {
    const now = new Date();
    for (let id = 1; id <= small; id++) repo.setSubscription(id, 'news', 'active', now);
  });
  const tenth = stream('news');
  console.log(
    `stream  ${tenth.count.toLocaleString('en')} recipients   ${tenth.ms.toFixed(0).padStart(6)} ms                          heap growth while streaming: ${mib(tenth.growth)}`,
  );
  console.log(`\nprocess peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
