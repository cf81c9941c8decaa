#!/usr/bin/env node
// Writes the README's table of diagnostic codes from the catalogue (src/core/catalogue/), between its
// markers. Run by `npm run docs:diagnostics`, which compiles first: this reads the compiled catalogue in
// dist/. test/core/catalogue.test.ts fails while the README and the catalogue differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { diagnosticsTable } from '../dist/core/catalogue/explain.js';

const BEGIN = '<!-- diagnostics:begin -->';
const END = '<!-- diagnostics:end -->';
const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error(`README.md needs the markers ${BEGIN} and ${END} around its table of codes.`);
  process.exit(1);
}
const next = `${readme.slice(0, start + BEGIN.length)}\n${diagnosticsTable()}\n${readme.slice(end)}`;
if (next === readme) console.log('README.md: the table of codes is up to date.');
else {
  writeFileSync(file, next);
  console.log('README.md: the table of codes was rewritten from the catalogue.');
}
