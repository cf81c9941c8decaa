// Subscriber store benchmark: import a 100,000-row CSV, then stream the confirmed recipients of a
// 100,000-subscriber list, printing times and memory. Targets (2-core machine): import ≤ 3 s,
// streaming ≤ 0.3 s with memory that does not grow with the list.
// Run: npm run bench:subscribers  [-- --n 100000]
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

const FIRST = [
  'Alva',
  'Bo',
  'Cecilia',
  'Dag',
  'Elin',
  'Filip',
  'Greta',
  'Hugo',
  'Ines',
  'Jon',
  'Klara',
  'Linus',
];
const LAST = [
  'Ahlberg',
  'Björk',
  'Dahl',
  'Ek',
  'Falk',
  'Gran',
  'Holm',
  'Isaksson',
  'Jönsson',
  'Kvist',
  'Lund',
  'Moberg',
];
// Reserved names only (RFC 2606): nothing here can reach a real mailbox.
const DOMAINS = ['example.com', 'example.org', 'example.net', 'bench.test'];

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const gc = () => globalThis.gc?.();
const verdict = (value, target) => (value <= target ? 'ok' : 'OVER TARGET');

function generateCsv(n) {
  const rows = ['\uFEFFE-post;Namn;Språk'];
  for (let i = 0; i < n; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    rows.push(`person.${i}@${DOMAINS[i % DOMAINS.length]};"${name}";${i % 5 ? 'sv' : 'en'}`);
  }
  return `${rows.join('\r\n')}\r\n`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'scs-bench-subscribers-'));
try {
  copyFileSync(path.join(REPO, 'scs.config.yml'), path.join(dir, 'scs.config.yml'));
  const config = loadConfig({ root: dir, env: { SCS_SECRET: 'benchmark-secret-0123456789abcdef' } });

  // A realistic file: header-driven, ";" as Excel writes it in Sweden, a BOM, quoted names.
  const csv = path.join(dir, 'subscribers.csv');
  writeFileSync(csv, generateCsv(N));

  console.log(`scs subscriber store benchmark — ${N.toLocaleString('en')} subscribers, SQLite in ${dir}`);
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`,
  );

  let store = await openStore(config);
  const load = loadavg()[0];
  /** Imports the file, keeping only the counts (the report itself is as large as the file). */
  const timedImport = async () => {
    gc();
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const r = await importSubscribers(config, store, {
      file: csv,
      lists: ['nyheter'],
      confirmed: true,
      now: new Date(),
    });
    const cpu = process.cpuUsage(cpu0);
    return {
      ms: ms(t0),
      cpuMs: (cpu.user + cpu.system) / 1000,
      added: r.added.length,
      unchanged: r.unchanged.length,
      invalid: r.invalid.length,
    };
  };
  const first = await timedImport();
  if (first.added !== N || first.invalid) throw new Error(`import went wrong: ${first.added} added`);
  console.log(
    `\nimport  ${N.toLocaleString('en')} rows        ${first.ms.toFixed(0).padStart(6)} ms   target ≤ ${TARGET_IMPORT_MS} ms  ${verdict(first.ms, TARGET_IMPORT_MS)}` +
      `   (CPU ${first.cpuMs.toFixed(0)} ms)`,
  );
  const again = await timedImport();
  console.log(
    `re-import, all unchanged       ${again.ms.toFixed(0).padStart(6)} ms   (${again.unchanged.toLocaleString('en')} unchanged; CPU ${again.cpuMs.toFixed(0)} ms)`,
  );

  // A fresh connection, as `scs send` would have: nothing cached in this process.
  await store.close();
  store = await openStore(config);

  /** The middle of three runs: one slow run on a busy machine says little. */
  const median = async (run) => [await run(), await run(), await run()].sort((a, b) => a.ms - b.ms)[1];
  /** Streams a list as `scs send` does, timing it; nothing is kept but a count. */
  const stream = async (listId) => {
    let count = 0;
    const start = process.hrtime.bigint();
    for await (const r of store.subscribers.recipients(listId)) if (r.email) count++;
    return { count, ms: ms(start) };
  };
  /** The same walk again, collecting garbage as it goes: the live heap after a full collection, sampled. */
  const liveHeap = async (listId) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    for await (const r of store.subscribers.recipients(listId)) {
      if (r.email && ++count % 10000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    return Math.max(0, peak - before);
  };
  await stream('nyheter'); // warm-up: statement compilation, page cache
  const full = await median(() => stream('nyheter'));
  const fullHeap = await liveHeap('nyheter');
  console.log(
    `stream  ${full.count.toLocaleString('en')} recipients  ${full.ms.toFixed(0).padStart(6)} ms   (median of 3) target ≤ ${TARGET_STREAM_MS} ms  ${verdict(full.ms, TARGET_STREAM_MS)}`,
  );

  // The same over a list a tenth the size: if memory grew with the list, the figures would differ tenfold.
  const small = Math.floor(N / 10);
  await store.transaction(async (tx) => {
    const now = new Date();
    for (let id = 1; id <= small; id++) await tx.subscribers.setSubscription(id, 'news', 'active', now);
  });
  await stream('news');
  const tenth = await median(() => stream('news'));
  const tenthHeap = await liveHeap('news');
  console.log(
    `stream  ${tenth.count.toLocaleString('en')} recipients   ${tenth.ms.toFixed(0).padStart(6)} ms`,
  );
  if (globalThis.gc) {
    console.log(
      `live heap growth while streaming: ${mib(fullHeap)} for ${full.count.toLocaleString('en')} recipients, ` +
        `${mib(tenthHeap)} for ${tenth.count.toLocaleString('en')} (flat: nothing is held per recipient)`,
    );
  }
  console.log(
    `\nprocess peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}; load average at start ${load.toFixed(2)} (figures are for an otherwise idle machine)`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
