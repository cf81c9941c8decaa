#!/usr/bin/env node
// npm run bench:email — newsletter email costs, printed as figures.
//  1. Warm MJML render per release and language (renderNewsletter), on releases of the standard corpus.
//  2. Per-recipient cost of a finished, ready-to-send message (personalize: substitution + MIME
//     assembly), DKIM off and on, over 100,000 recipients, with memory sampled along the way.
// Targets (2-core machine): ≤ 30 ms per render, ≤ 50 µs per recipient without DKIM, flat memory.
// Options: --releases N (per language, default 20)  --n N (recipients, default 100000)  --dkim-n N (default = --n)
import { generateKeyPairSync } from 'node:crypto';
import { checkReleases, loadConfig, personalize, renderNewsletter } from '../dist/index.js';
import { corpus, fmt, median } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PER_LANG = arg('releases', 20);
const N = arg('n', 100_000);
const DKIM_N = arg('dkim-n', N);
const TARGET_RENDER_MS = 30;
const TARGET_RECIPIENT_US = 50;
const NOW = new Date('2026-12-01T08:00:00Z');

const gc = () => globalThis.gc?.();
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const verdict = (value, target) => (value <= target ? 'ok' : 'OVER TARGET');
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
let failed = false;

const dir = corpus(1000);
const config = loadConfig({ root: dir, env: {} });
const { releases } = await checkReleases(config);
const listFor = (lang) => Object.values(config.newsletter.lists).find((l) => l.lang === lang).id;

// 1. Warm render per release and language. Rounds alternate between languages, so that noise from
// other processes on the machine falls on both alike; the best of each release's rounds is shown too.
console.log(
  `Render (MJML once per release × language × list), ${PER_LANG} releases per language from corpus-1000`,
);
const chosen = Object.fromEntries(
  config.languages.map((lang) => [lang, releases.filter((r) => r.lang === lang).slice(0, PER_LANG)]),
);
const times = Object.fromEntries(config.languages.map((lang) => [lang, chosen[lang].map(() => [])]));
const sizes = Object.fromEntries(config.languages.map((lang) => [lang, []]));
let sample;
for (let round = -1; round < 5; round++) {
  for (const lang of config.languages) {
    const listId = listFor(lang);
    for (const [i, r] of chosen[lang].entries()) {
      const t0 = process.hrtime.bigint();
      const { template, diagnostics } = await renderNewsletter(config, r, { listId, now: NOW });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!template) throw new Error(`${r.id} did not render: ${JSON.stringify(diagnostics)}`);
      if (round < 0) continue; // the first round warms caches and the JIT
      times[lang][i].push(ms);
      sizes[lang].push(template.htmlBytes);
      sample ??= { release: r, listId };
    }
  }
}
for (const lang of config.languages) {
  const all = times[lang].flat();
  const best = times[lang].map((xs) => Math.min(...xs));
  const med = median(all);
  if (med > TARGET_RENDER_MS) failed = true;
  console.log(
    `  ${lang}: median ${fmt(med)} ms, p95 ${fmt(p95(all))} ms over ${all.length} renders; ` +
      `best per release: median ${fmt(median(best))} ms  (HTML ${fmt(median(sizes[lang]) / 1024, 1)} KB)  ` +
      `target ≤ ${TARGET_RENDER_MS} ms: ${verdict(med, TARGET_RENDER_MS)}`,
  );
}

// 2. Per recipient: recipients are generated on the fly, as a store cursor would yield them.
const recipient = (i) => ({
  email: `reader.${i}@example.org`,
  name: i % 3 === 0 ? null : `Läsare Nummer ${i}`,
  unsubscribeUrl: `https://press.bench.example/newsletter/unsubscribe?token=v1.${(i * 2654435761).toString(36)}.${'x'.repeat(60)}`,
});

async function perRecipient(label, env, n) {
  const cfg = loadConfig({ root: dir, env });
  const { template } = await renderNewsletter(cfg, sample.release, { listId: sample.listId, now: NOW });
  for (let i = 0; i < Math.min(2000, n); i++) personalize(template, recipient(i), { now: NOW }); // warm up
  gc();
  const before = process.memoryUsage();
  const samples = [];
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    bytes += personalize(template, recipient(i), { now: NOW }).raw.length;
    if ((i + 1) % (n / 4) === 0) samples.push(process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  gc();
  const after = process.memoryUsage();
  const us = (seconds * 1e6) / n;
  console.log(
    `  ${label}: ${n.toLocaleString('en')} messages in ${fmt(seconds)} s = ${fmt(us, 1)} µs per recipient ` +
      `(${fmt(bytes / n / 1024, 1)} KB each, ${fmt(bytes / 1048576 / seconds, 0)} MB/s)`,
  );
  console.log(
    `    memory: RSS ${mib(before.rss)} → ${mib(after.rss)} (during: ${samples.map(mib).join(', ')}), ` +
      `heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}`,
  );
  return us;
}

console.log(`Per recipient (personalize: substitution + MIME assembly), template of ${sample.release.id}`);
const plain = await perRecipient('DKIM off', {}, N);
if (plain > TARGET_RECIPIENT_US) failed = true;
console.log(`    target ≤ ${TARGET_RECIPIENT_US} µs: ${verdict(plain, TARGET_RECIPIENT_US)}`);
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
await perRecipient('DKIM on (RSA-2048)', { SCS_DKIM_PRIVATE_KEY: privateKey }, DKIM_N);
if (!globalThis.gc) console.log('(run with node --expose-gc for exact heap figures)');
process.exitCode = failed ? 1 : 0;
