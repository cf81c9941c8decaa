#!/usr/bin/env node
// Compiles scs's built-in site templates ahead into dist/precompiled-templates.cjs (run after tsc, by
// `npm run build`): a build then compiles only a project's own templates, and renders with Handlebars'
// runtime alone (src/site/precompiled.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { precompileModule } from '../dist/site/precompiled.js';
import { BUILTIN_SITE_TEMPLATES } from '../dist/site/templates.js';

const sources = readdirSync(BUILTIN_SITE_TEMPLATES, { recursive: true })
  .filter((rel) => rel.endsWith('.hbs'))
  .map((rel) => readFileSync(path.join(BUILTIN_SITE_TEMPLATES, rel), 'utf8'));
writeFileSync(new URL('../dist/precompiled-templates.cjs', import.meta.url), precompileModule(sources));
