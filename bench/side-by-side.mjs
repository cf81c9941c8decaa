#!/usr/bin/env node
// npm run bench:side-by-side -- <cold|warm|watch> <name>=<bin/scs.js> <name>=<bin/scs.js> …
// Times `scs build` of two or more builds of scs (e.g. a copy of bin/, dist/, templates/ and package.json
// made before a change, and this checkout) on the 10,000-release corpus, alternating them (PAIRS rounds,
// 3 by default), and prints each one's median and its ratio to the first: on a loaded machine the ratio
// says more than the seconds. Each build gets its own copy of the corpus and output folder, since the
// code fingerprint is part of every cache key.
//   cold   a build without .scs or output
//   warm   one release edited, then a build in a new process
//   watch  `scs build --watch`: its first rebuild after one release is edited (as scs reports it)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { corpus, fmt, median, REPO } from './lib.mjs';

const [mode, ...specs] = process.argv.slice(2);
if (!['cold', 'warm', 'watch'].includes(mode) || specs.length < 2) {
  console.error('usage: side-by-side.mjs <cold|warm|watch> <name>=<bin/scs.js> <name>=<bin/scs.js> …');
  process.exit(2);
}
const N = Number(process.env.N ?? 10000);
const PAIRS = Number(process.env.PAIRS ?? 3);
const NOW = '2026-11-26T12:00';
const variants = specs.map((s) => {
  const [name, bin] = s.split('=');
  return {
    name,
    bin: path.resolve(bin),
    dir: `/tmp/scs-bench/side-${N}-${name}`,
    out: `/dev/shm/scs-side-${N}-${name}`,
  };
});
const source = corpus(N);

function build(v) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [v.bin, 'build', '--out', v.out, '--now', NOW, '--json', '--no-search'],
    { cwd: v.dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const json = JSON.parse(r.stdout);
  if (!json.ok) throw new Error(`${v.name}: ${JSON.stringify(json.diagnostics.slice(0, 3))}`);
  return { seconds, written: json.written };
}

/** Starts `scs build --watch`, edits `file` once its first build is done, and returns the rebuild's time. */
async function watchRebuild(v, file, line) {
  const child = spawn(
    process.execPath,
    [v.bin, 'build', '--watch', '--json', '--no-search', '--out', v.out, '--now', NOW],
    { cwd: v.dir, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const lines = [];
  let buffered = '';
  let wake;
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      lines.push(JSON.parse(buffered.slice(0, i)));
      buffered = buffered.slice(i + 1);
      wake?.();
    }
  });
  const until = async (n) => {
    while (lines.length < n) await new Promise((resolve) => (wake = resolve));
    return lines[n - 1];
  };
  try {
    await until(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(path.join(v.dir, file), line);
    const json = await until(2);
    if (!json.ok) throw new Error(`${v.name}: the rebuild failed`);
    return { seconds: json.elapsedMs / 1000 };
  } finally {
    child.kill('SIGINT');
  }
}

for (const v of variants) {
  if (!existsSync(v.dir)) cpSync(source, v.dir, { recursive: true, filter: (p) => !p.includes('/.scs') });
  cpSync(path.join(REPO, 'bench', 'corpus.config.yml'), path.join(v.dir, 'scs.config.yml'));
}
const files = readdirSync(variants[0].dir)
  .filter((y) => /^\d{4}$/.test(y))
  .flatMap((y) => readdirSync(path.join(variants[0].dir, y)).map((f) => path.join(y, f)))
  .sort();
// Two builds first, so that the output and its spare are both warm.
if (mode !== 'cold') for (const v of variants) for (let i = 0; i < 2; i++) build(v);
const times = new Map(variants.map((v) => [v.name, []]));
for (let p = 0; p < PAIRS; p++) {
  // Recent releases, each in its language's, type's and topics' feeds; the order alternates.
  const file = files[files.length - 6 - p];
  for (const v of p % 2 ? [...variants].reverse() : variants) {
    let r;
    if (mode === 'cold') {
      for (const dir of [v.out, `/dev/shm/.scs-side-${N}-${v.name}.scs-prev`, path.join(v.dir, '.scs')])
        rmSync(dir, { recursive: true, force: true });
      r = build(v);
    } else if (mode === 'warm') {
      appendFileSync(path.join(v.dir, file), `\nTillägg ${p} efter redigering.\n`);
      r = build(v);
    } else r = await watchRebuild(v, file, `\nTillägg ${p} under --watch.\n`);
    times.get(v.name).push(r.seconds);
    console.log(
      `${mode} ${p + 1}/${PAIRS} ${v.name}: ${fmt(r.seconds, 3)} s${r.written === undefined ? '' : ` (${r.written} files written)`}`,
    );
  }
}
const first = median(times.get(variants[0].name));
for (const v of variants) {
  const m = median(times.get(v.name));
  console.log(
    `${mode} N=${N} ${v.name}: median ${fmt(m, 3)} s of ${times
      .get(v.name)
      .map((t) => fmt(t, 3))
      .join(' / ')}; ratio ${fmt(m / first, 3)}`,
  );
}
