import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { lazy } from '../core/lazy-require.js';
import { handlebars } from '../render/handlebars.js';
import { COMPILE_OPTIONS } from './templates.js';

/**
 * Templates compiled ahead (Handlebars template specs), by the sha256 of their source, with what they
 * were compiled by: specs are used only with a Handlebars of the same compiler revision and with the
 * same options.
 */
export interface PrecompiledTemplates {
  revision: number;
  options: string;
  specs: Record<string, Parameters<typeof Handlebars.template>[0]>;
}

export const sourceHash = (source: string) => createHash('sha256').update(source).digest('hex');

/**
 * The built-in templates, compiled when scs itself was built (`dist/precompiled-templates.cjs`, made by
 * scripts/precompile-templates.mjs): a build then compiles only a project's own templates. Code of the
 * package, like the rest of dist/, never a cache a build writes. Absent when running from the sources.
 */
export const builtinPrecompiled = lazy((): PrecompiledTemplates | undefined => {
  const file = fileURLToPath(new URL('../precompiled-templates.cjs', import.meta.url));
  return existsSync(file) ? (createRequire(import.meta.url)(file) as PrecompiledTemplates) : undefined;
});

/** The module text of `sources` compiled ahead: JavaScript, since a spec holds functions. */
export function precompileModule(sources: Iterable<string>): string {
  const hb = handlebars();
  const specs = [...new Set(sources)]
    .sort()
    // A copy: precompile, unlike compile, adds its defaults to the options it is given.
    .map(
      (source) =>
        `  ${JSON.stringify(sourceHash(source))}: ${hb.precompile(source, { ...COMPILE_OPTIONS })},`,
    );
  return [
    '// Made by scripts/precompile-templates.mjs from templates/site/: the built-in templates compiled ahead.',
    'module.exports = {',
    `  revision: ${JSON.stringify(compilerRevision(hb))},`,
    `  options: ${JSON.stringify(JSON.stringify(COMPILE_OPTIONS))},`,
    '  specs: {',
    ...specs.map((s) => `  ${s}`),
    '  },',
    '};',
    '',
  ].join('\n');
}

/** The revision of Handlebars' compiled code (a precompiled spec runs on a runtime of the same one). */
export const compilerRevision = (hb: typeof Handlebars) =>
  (hb as typeof Handlebars & { COMPILER_REVISION: number }).COMPILER_REVISION;

/** The specs of `set` when this Handlebars runs them, with the options templates are compiled with. */
export function usableSpecs(
  set: PrecompiledTemplates | undefined,
  revision: number,
): PrecompiledTemplates['specs'] | undefined {
  return set && set.revision === revision && set.options === JSON.stringify(COMPILE_OPTIONS)
    ? set.specs
    : undefined;
}
