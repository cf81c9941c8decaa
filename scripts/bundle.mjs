#!/usr/bin/env node
// Bundles the compiled CLI and its worker threads into dist/bundle/ (run after tsc, by `npm run build`).
// Node 20 loads one file far faster than the hundreds of ES modules scs and its validators are made of:
// this takes about a tenth of a second off every command. The library (dist/index.js) is not bundled.
// The packages that only some commands load stay outside, so that the others do not pay for them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { FINGERPRINT_FILE, hashScs } from '../dist/cache/fingerprint.js';
import { ZOD_PARTS } from '../dist/core/zod.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const INLINE = new Set(['commander', 'libphonenumber-js']);
const VENDORED = [
  'libphonenumber-js/max',
  'sanitize-html',
  'handlebars',
  'handlebars/runtime',
  'image-size',
  'markdown-it',
  'yaml',
  'zod',
];
// What a vendored file holds when not the whole package: zod's is a fifth of its size (src/core/zod.ts).
const PARTS = { zod: ZOD_PARTS };

// Chunks are named by content: without this, old ones would pile up (and the build hashes them all).
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  // Flat names: the code finds its workers next to itself, and templates and package.json two levels up,
  // as from dist/<folder>/.
  entryPoints: {
    scs: 'dist/cli/index.js',
    'parse-worker': 'dist/content/parse-worker.js',
    'scan-worker': 'dist/content/scan-worker.js',
    'render-worker': 'dist/site/render-worker.js',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: Object.keys(pkg.dependencies).filter((d) => !INLINE.has(d)),
  // CommonJS packages bundled into ES modules call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __scsRequire } from 'node:module'; const require = __scsRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The CommonJS packages loaded on first use (src/core/lazy-require.ts), each made one file: Node then
// reads and compiles one file instead of dozens (sanitize-html: 97 → 54 ms; handlebars: 56 → 19 ms).
// Names as lazyRequire looks them up: the package id with "/" as "_".
await build({
  entryPoints: Object.fromEntries(VENDORED.map((id) => [id.replaceAll('/', '_'), `vendor-entry:${id}`])),
  outdir: 'dist/bundle/vendor',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [
    {
      name: 'vendor-entry',
      setup(b) {
        b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
          path: args.path.slice(13),
          namespace: 'vendor-entry',
        }));
        b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({
          contents: PARTS[args.path]
            ? `export { ${PARTS[args.path].join(', ')} } from ${JSON.stringify(args.path)};`
            : `module.exports = require(${JSON.stringify(args.path)});`,
          resolveDir: process.cwd(),
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});

// Last, once all of dist/ is written: the fingerprint of the code and built-in templates that versions
// every cache (src/cache/fingerprint.ts).
writeFileSync(`dist/${FINGERPRINT_FILE}`, hashScs('dist', 'templates'));
