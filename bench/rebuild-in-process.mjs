#!/usr/bin/env node
// For bench/build.mjs: builds once, then edits each given release in turn and rebuilds in the same
// process, as `scs preview` does (the release cache kept in memory). Prints the seconds of each
// rebuild after an edit, as JSON.
import { appendFileSync } from 'node:fs';

const [root, outDir, now, ...files] = process.argv.slice(2);
const { loadConfig } = await import('../dist/config/load.js');
const { checkReleases } = await import('../dist/content/load.js');
const { buildSite } = await import('../dist/site/build.js');
const { parseDateTime } = await import('../dist/core/time.js');

const loaded = loadConfig({ root });
const config = { ...loaded, site: { ...loaded.site, outDir } };
const at = parseDateTime(now, config.timeZone);
if (!at.ok) throw new Error(`bad --now ${now}`);
const session = {};
const rebuild = async () => {
  const t = performance.now();
  const checked = checkReleases(config, { session });
  const r = await buildSite(config, { now: at.instant, search: false, releases: checked.releases });
  if (!r.ok) throw new Error(`build failed: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return (performance.now() - t) / 1000;
};
await rebuild();
const seconds = [];
for (const [i, file] of files.entries()) {
  appendFileSync(file, `\nTillägg ${i} i förhandsvisningen.\n`);
  seconds.push(await rebuild());
}
console.log(JSON.stringify(seconds));
