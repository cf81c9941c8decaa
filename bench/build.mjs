#!/usr/bin/env node
// npm run bench:build — times `scs build` on the standard corpus of 1,000 and 10,000 releases:
// a cold build, warm rebuilds after editing one release, and the search index on its own.
// Targets on a 2-core machine (issue 3): 10,000 releases cold faster than Eleventy 3 on the same corpus
// (COMPARE=1 runs ../shared/bench/compare-eleventy.sh for the ratio), a warm rebuild with one release
// changed in ≤ 0.5 s, peak memory ≤ 1 GB. Outputs go to tmpfs when there is one, as in the comparison.
// It also times rebuilds by `scs build --watch`, the process that stays and keeps the release cache in memory.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** `scs build --watch` debounces changes by this much before rebuilding (src/dev/rebuild-loop.ts). */
const WATCH_DEBOUNCE_MS = 50;

/**
 * Starts `scs build --watch --json`, edits each file in turn, and returns each rebuild's time as scs
 * reports it (check and build) and as seen from outside (from the save to the JSON line).
 */
async function watchRebuilds(dir, out, edits) {
  const child = spawn(
    process.execPath,
    [BIN, 'build', '--watch', '--json', '--no-search', '--out', out, '--now', NOW],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = [];
  let waiting;
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      lines.push({ at: performance.now(), json: JSON.parse(buffered.slice(0, i)) });
      buffered = buffered.slice(i + 1);
      waiting?.();
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const next = async (count) => {
    const timeout = setTimeout(() => child.kill('SIGKILL'), 120000);
    while (lines.length < count) {
      await Promise.race([new Promise((resolve) => (waiting = resolve)), exited]);
      if (child.exitCode !== null) throw new Error(`scs build --watch stopped:\n${stderr.slice(0, 2000)}`);
    }
    clearTimeout(timeout);
    const { json, at } = lines[count - 1];
    if (!json.ok)
      throw new Error(`scs build --watch reported errors: ${JSON.stringify(json.diagnostics.slice(0, 3))}`);
    return { json, at };
  };
  try {
    await next(1);
    const times = [];
    for (const [i, file] of edits.entries()) {
      // Let the file system settle, as between two saves in an editor.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const saved = performance.now();
      appendFileSync(file, `\nTillägg ${i} under --watch.\n`);
      const { json, at } = await next(i + 2);
      times.push({ ms: json.elapsedMs, wall: at - saved });
    }
    return times;
  } finally {
    child.kill('SIGINT');
    await exited;
  }
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
  // Recent releases, the ones most often edited: each is in its language's, type's and topics' feeds.
  const edit = (i) => {
    const file = files[files.length - 6 - i];
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
      `           warm, one release edited, a new scs build process: ${fmt(warmWall)} s median of ${RUNS} ` +
        `(each ${warm.map((r) => fmt(r.seconds)).join(' / ')} s; check ${fmt(warmCheck)} s of it; ` +
        `${median(warm.map((r) => r.json.written))} files written)  peak ${fmt(Math.max(...warm.map((r) => r.peakMB)), 0)} MB`,
    );
    const same = build(dir, out, ['--no-search']);
    console.log(`           warm, nothing changed: ${fmt(same.seconds)} s`);
    // As `scs build --watch` (and `scs preview`) rebuild: one process that keeps the release cache in memory.
    const watchEdits = [0, 1, 2, 3, 4].map((i) => files[files.length - 1 - i]);
    // And an old one, in no feed.
    watchEdits.push(files[Math.floor(files.length / 3)]);
    for (const f of watchEdits) if (!originals.has(f)) originals.set(f, readFileSync(f, 'utf8'));
    const watched = await watchRebuilds(dir, out, watchEdits);
    console.log(
      `           scs build --watch, one release edited: ${fmt(median(watched.map((w) => w.ms)) / 1000)} s median of ${watched.length} ` +
        `(each ${watched.map((w) => fmt(w.ms / 1000)).join(' / ')} s; from the save to the rebuilt output, ` +
        `with the ${WATCH_DEBOUNCE_MS} ms wait for more changes: ${fmt(median(watched.map((w) => w.wall)) / 1000)} s)`,
    );
    edit(RUNS);
    const search = build(dir, out);
    console.log(
      `           search index (Pagefind, reported apart): ${search.json.search.pages} pages in ${fmt(search.json.timings.search / 1000)} s ` +
        `(whole warm build with it ${fmt(search.seconds)} s, peak ${fmt(search.peakMB, 0)} MB)`,
    );
    if (n >= 10000) {
      if (warmWall > 0.5) console.log('           warm rebuild in a new process above 0.5 s');
      if (median(watched.map((w) => w.ms)) > 500)
        console.log('           warm rebuild by scs build --watch above 0.5 s');
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
