#!/usr/bin/env node
// npm run bench:images [-- --images N] — the image pipeline (src/assets/) on the 10,000-release corpus
// whose heroes are N distinct camera-sized photos (6000×4000 JPEG, default N = 200), each shown by
// 10,000 / N releases. Prints: cold processing time (empty .scs/cache/images), warm image work (files
// decoded and encoded, and the time of a run that finds everything cached), peak resident memory, and
// the bytes a phone (375 px wide, 2×: the 800 px AVIF) downloads for a hero against the original.
// Targets (issue #17, on a 2-core machine): cold ≤ 60 s, warm 0 image work, peak ≤ 1 GB, ≥ 20× smaller.
// The photos are generated once into /tmp/scs-bench/photos-6000x4000/ (about a second each).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, fmt, median, REPO } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const IMAGES = Number(option('--images', 200));
// Photos with pixels of their own; the others are byte-distinct copies of them (a JPEG comment of
// their own, so a different content hash and the full work), for when generating 200 takes too long
// on a busy machine (about 3 s of CPU each).
const DISTINCT = Math.min(IMAGES, Number(option('--distinct', IMAGES)));
const RELEASES = Number(option('--releases', 10000));
const PHOTOS = '/tmp/scs-bench/photos-6000x4000';
const W = 6000;
const H = 4000;

if (args[0] === '--child') {
  // One timed run in a fresh process, so that its peak memory is its own.
  const dir = args[1];
  const lib = (p) => import(path.join(REPO, 'dist', p));
  const { loadConfig } = await lib('config/load.js');
  const { checkReleases } = await lib('content/load.js');
  const { deriveImages } = await lib('assets/pipeline.js');
  const config = loadConfig({ root: dir, env: {} });
  const { releases } = await checkReleases(config);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const result = await deriveImages(config, releases);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  const heroes = [...result.images.values()].map((image) => ({
    original: image.info.bytes,
    phone: image.variants.find((v) => v.format === 'avif' && v.width === 800)?.bytes ?? Number.NaN,
    email: [image.email.x1.bytes, image.email.x2.bytes],
  }));
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpu,
      decoded: result.decoded,
      encoded: result.encoded,
      diagnostics: result.diagnostics.length,
      images: result.images.size,
      releases: releases.length,
      heroes,
      peakMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

/** N distinct photo-like JPEGs: smooth shapes plus fine grain (which is what makes camera files big). */
async function photos(n) {
  const sharp = (await import('sharp')).default;
  mkdirSync(PHOTOS, { recursive: true });
  const have = readdirSync(PHOTOS).filter((f) => f.endsWith('.jpg')).length;
  if (have >= n) return;
  const t0 = Date.now();
  // One texture, made once; every photo is it with its own tone and its own patch of noise.
  const raw = { raw: { width: W, height: H, channels: 3 } };
  const grain = await sharp({
    create: {
      width: W,
      height: H,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .raw()
    .toBuffer();
  const texture = await sharp(randomBytes(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } })
    .resize(W, H, { kernel: 'cubic' })
    .composite([{ input: grain, ...raw, blend: 'soft-light' }])
    .raw()
    .toBuffer();
  for (let i = have; i < n; i++) {
    const patch = await sharp(randomBytes(96 * 96 * 3), { raw: { width: 96, height: 96, channels: 3 } })
      .png()
      .toBuffer();
    const gain = 0.8 + (i % 9) * 0.05;
    await sharp(texture, raw)
      .linear(gain, (i % 7) * 4)
      .composite([{ input: patch, left: (i * 97) % (W - 96), top: (i * 53) % (H - 96) }])
      .jpeg({ quality: 92 })
      .toFile(path.join(PHOTOS, `photo-${String(i + 1).padStart(3, '0')}.jpg`));
  }
  console.log(`generated ${n - have} photos in ${fmt((Date.now() - t0) / 1000, 1)} s`);
}

await photos(DISTINCT);
if (args.includes('--photos-only')) process.exit(0);
const base = corpus(RELEASES);
// A copy whose releases show the photos (the corpus's own heroes are small and all the same).
const dir = `/tmp/scs-bench/images-${RELEASES}-${IMAGES}`;
rmSync(dir, { recursive: true, force: true });
cpSync(base, dir, { recursive: true });
const distinct = readdirSync(PHOTOS)
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(0, DISTINCT);
mkdirSync(path.join(dir, 'photos'));
const files = [];
for (let k = 0; k < IMAGES; k++) {
  const name = `photo-${String(k + 1).padStart(3, '0')}.jpg`;
  const from = readFileSync(path.join(PHOTOS, distinct[k % distinct.length]));
  const note = Buffer.from(`scs bench photo ${k + 1}`);
  const com = Buffer.from([0xff, 0xfe, 0, note.length + 2]);
  writeFileSync(
    path.join(dir, 'photos', name),
    k < distinct.length ? from : Buffer.concat([from.subarray(0, 2), com, note, from.subarray(2)]),
  );
  files.push(name);
}
let i = 0;
for (const year of readdirSync(dir).filter((d) => /^\d{4}$/.test(d)))
  for (const f of readdirSync(path.join(dir, year)).filter((x) => x.endsWith('.md'))) {
    const file = path.join(dir, year, f);
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace(/src: \.\.\/images\/hero-\d+\.jpg/, `src: ../photos/${files[i++ % files.length]}`),
    );
  }

const run = () => {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`the benchmark run failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
};
const sourceMB = files.reduce((s, f) => s + statSync(path.join(dir, 'photos', f)).size, 0) / 2 ** 20;
console.log(
  `scs images  ${RELEASES} releases, ${files.length} distinct ${W}×${H} JPEGs (${distinct.length} with pixels of their own; ${fmt(sourceMB, 0)} MB), ${availableParallelism()} cores`,
);
const cold = run();
const warm = run();
const ratios = cold.heroes.map((h) => h.original / h.phone);
const phone = median(cold.heroes.map((h) => h.phone));
const original = median(cold.heroes.map((h) => h.original));
const email = Math.max(...cold.heroes.flatMap((h) => h.email));
console.log(
  `cold   ${fmt(cold.seconds, 1)} s  (${cold.decoded} decoded, ${cold.encoded} files encoded, ${fmt(cold.seconds / cold.decoded, 2)} s per photo; CPU ${fmt(cold.cpu, 0)} s, ${fmt(cold.cpu / cold.decoded, 2)} s per photo)  peak ${fmt(cold.peakMB, 0)} MB`,
);
console.log(
  `warm   ${fmt(warm.seconds, 2)} s  (${warm.decoded} decoded, ${warm.encoded} encoded)  peak ${fmt(warm.peakMB, 0)} MB`,
);
console.log(
  `phone  hero 800 px AVIF median ${fmt(phone / 1024, 0)} KB vs original ${fmt(original / 2 ** 20, 1)} MB: ${fmt(median(ratios), 0)}× smaller (worst ${fmt(Math.min(...ratios), 0)}×)`,
);
console.log(`email  largest JPEG ${fmt(email / 1024, 0)} KB`);
if (cold.diagnostics || warm.diagnostics)
  console.log(`diagnostics: ${cold.diagnostics} cold, ${warm.diagnostics} warm`);
rmSync(dir, { recursive: true, force: true });
