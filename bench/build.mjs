#!/usr/bin/env node
// npm run bench:build — times `scs build` on the standard corpus of 1,000 and 10,000 releases:
// a cold build, warm rebuilds after editing one release, and the search index on its own.
// Targets on a 2-core machine (issue 3): 10,000 releases cold faster than Eleventy 3 on the same corpus
// (COMPARE=1 runs ../shared/bench/compare-eleventy.sh for the ratio), a warm rebuild with one release
// changed in ≤ 0.5 s, peak memory ≤ 1 GB. Outputs go to tmpfs when there is one, as in the comparison.
// It also times rebuilds in one long-lived process, as `scs preview` makes them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, corpus, fmt, median, REPO, timeScs } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const sizes = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
const NOW = '2026-11-26T12:00';
const OUT_ROOT = existsSync('/dev/shm') ? '/dev/shm' : '/tmp';

function releaseFiles(dir) {
  return readdirSync(dir)
    .filter((y) => /^\d{4}$/.test(y))
    .flatMap((y) => readdirSync(path.join(dir, y)).map((f) => path.join(dir, y, f)))
    .sort();
}

function build(dir, out, extra = []) {
  const r = timeScs(['build', '--out', out, '--now', NOW, '--json', ...extra], dir);
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`scs build failed (exit ${r.code}):\n${r.stderr.slice(0, 2000)}`);
  }
  if (!json.ok) throw new Error(`scs build reported errors: ${JSON.stringify(json.diagnostics.slice(0, 3))}`);
  return { ...r, json };
}

let failed = false;
for (const n of sizes) {
  const dir = corpus(n);
  const out = path.join(OUT_ROOT, `scs-bench-out-${n}`);
  // The cache holds the spare output folders too (when on the same file system as the output).
  const reset = () => {
    for (const p of [out, path.join(OUT_ROOT, `.scs-bench-out-${n}.scs-prev`), path.join(dir, '.scs')]) {
      rmSync(p, { recursive: true, force: true });
    }
  };
  timeScs(['check'], dir); // warm the file cache
  const files = releaseFiles(dir);
  const originals = new Map();
  const edit = (i) => {
    const file = files[Math.floor((files.length * (i + 1)) / (RUNS + 2))];
    if (!originals.has(file)) originals.set(file, readFileSync(file, 'utf8'));
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nTillägg ${i} efter redigering.\n`);
  };
  try {
    reset();
    const cold = build(dir, out, ['--no-search']);
    const t = cold.json.timings;
    console.log(
      `scs build  N=${n}  cold ${fmt(cold.seconds)} s  peak ${fmt(cold.peakMB, 0)} MB  ` +
        `(check ${fmt(t.check / 1000)} s, pages ${fmt(t.build / 1000)} s; ${cold.json.files} files)`,
    );
    const warm = [];
    for (let i = 0; i < RUNS; i++) {
      edit(i);
      warm.push(build(dir, out, ['--no-search']));
    }
    const warmWall = median(warm.map((r) => r.seconds));
    const warmCheck = median(warm.map((r) => r.json.timings.check / 1000));
    console.log(
      `           warm, one release edited: ${fmt(warmWall)} s median of ${RUNS} ` +
        `(each ${warm.map((r) => fmt(r.seconds)).join(' / ')} s; check ${fmt(warmCheck)} s of it; ` +
        `${median(warm.map((r) => r.json.written))} files written)  peak ${fmt(Math.max(...warm.map((r) => r.peakMB)), 0)} MB`,
    );
    const same = build(dir, out, ['--no-search']);
    console.log(`           warm, nothing changed: ${fmt(same.seconds)} s`);
    // As `scs preview` rebuilds: in one process that keeps the release cache in memory.
    const previewEdits = [0, 1, 2].map((i) => files[files.length - 1 - i]);
    for (const f of previewEdits) if (!originals.has(f)) originals.set(f, readFileSync(f, 'utf8'));
    const inProcess = spawnSync(
      process.execPath,
      [path.join(REPO, 'bench', 'rebuild-in-process.mjs'), dir, out, NOW, ...previewEdits],
      { encoding: 'utf8' },
    );
    if (inProcess.status !== 0)
      throw new Error(`in-process rebuild failed:\n${inProcess.stderr.slice(0, 2000)}`);
    const previewTimes = JSON.parse(inProcess.stdout);
    console.log(
      `           in one process, as scs preview rebuilds after an edit: ${fmt(median(previewTimes))} s median of ${previewTimes.length} ` +
        `(each ${previewTimes.map((t) => fmt(t)).join(' / ')} s)`,
    );
    edit(RUNS);
    const search = build(dir, out);
    console.log(
      `           search index (Pagefind, reported apart): ${search.json.search.pages} pages in ${fmt(search.json.timings.search / 1000)} s ` +
        `(whole warm build with it ${fmt(search.seconds)} s, peak ${fmt(search.peakMB, 0)} MB)`,
    );
    if (n >= 10000) {
      if (warmWall > 0.5) console.log(`           warm rebuild above the 0.5 s target`);
      if (cold.peakMB > 1024 || search.peakMB > 1024) {
        console.log('           peak memory above the 1 GB target');
        failed = true;
      }
    }
  } finally {
    for (const [file, text] of originals) writeFileSync(file, text);
    reset();
  }
}

if (process.env.COMPARE) {
  // Eleventy builds the same corpus in the same run; scs starts cold (no .scs cache) each time.
  const cmd = `cp ${JSON.stringify(path.join(REPO, 'bench/corpus.config.yml'))} "$CORPUS/scs.config.yml" && rm -rf "$CORPUS/.scs" && cd "$CORPUS" && node ${JSON.stringify(BIN)} build --out "$OUT" --no-search --now ${NOW}`;
  const n = Math.max(...sizes);
  const r = spawnSync(path.resolve(REPO, '../shared/bench/compare-eleventy.sh'), [String(n), cmd], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
