#!/usr/bin/env node
// npm run bench:check — times `scs check` on the standard corpus of 1,000 and 10,000 releases.
// Target on a 2-core machine: 10,000 releases in ≤ 2 s with ≤ 500 MB peak memory, all clean.
import { corpus, fmt, median, timeScs } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const sizes = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
let failed = false;
for (const n of sizes) {
  const dir = corpus(n);
  timeScs(['check'], dir); // warm the file cache
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timeScs(['check', '--format', 'json'], dir);
    const diagnostics = JSON.parse(r.stdout);
    if (r.code !== 0 || diagnostics.length) {
      console.error(
        `check of ${n} releases was not clean (exit ${r.code}, ${diagnostics.length} diagnostics)`,
      );
      failed = true;
    }
    runs.push(r);
  }
  const wall = median(runs.map((r) => r.seconds));
  const peak = Math.max(...runs.map((r) => r.peakMB));
  console.log(
    `scs check  N=${n}  wall ${fmt(wall)} s (median of ${RUNS})  peak ${fmt(peak, 0)} MB  ${fmt(n / wall, 0)} releases/s`,
  );
}
process.exitCode = failed ? 1 : 0;
