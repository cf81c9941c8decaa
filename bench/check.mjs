#!/usr/bin/env node
// npm run bench:check — times `scs check` on the standard corpus of 1,000 and 10,000 releases: cold
// (no .scs/cache: every file read and validated) and warm (results reused from the cache).
// Target on a 2-core machine: 10,000 releases in ≤ 2 s with ≤ 500 MB peak memory, all clean — cold,
// which is what a CI job on a fresh clone runs.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { corpus, fmt, median, timeScs } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const sizes = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
let failed = false;

function check(dir, n) {
  const r = timeScs(['check', '--format', 'json'], dir);
  const diagnostics = JSON.parse(r.stdout);
  if (r.code !== 0 || diagnostics.length) {
    console.error(`check of ${n} releases was not clean (exit ${r.code}, ${diagnostics.length} diagnostics)`);
    failed = true;
  }
  return r;
}

for (const n of sizes) {
  const dir = corpus(n);
  const cache = path.join(dir, '.scs', 'cache');
  timeScs(['check'], dir); // warm the operating system's file cache
  const report = (label, runs) => {
    const wall = median(runs.map((r) => r.seconds));
    const peak = Math.max(...runs.map((r) => r.peakMB));
    console.log(
      `scs check  N=${n}  ${label}  wall ${fmt(wall)} s (median of ${RUNS})  peak ${fmt(peak, 0)} MB  ${fmt(n / wall, 0)} releases/s`,
    );
    return { wall, peak };
  };
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(cache, { recursive: true, force: true });
    cold.push(check(dir, n));
  }
  const c = report('cold', cold);
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(check(dir, n));
  report('warm', warm);
  if (n >= 10000 && (c.wall > 2 || c.peak > 500))
    console.log('           cold check above the 2 s / 500 MB target');
}
process.exitCode = failed ? 1 : 0;
