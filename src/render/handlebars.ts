import type Handlebars from 'handlebars';
import { lazyRequire } from '../core/lazy-require.js';

/** Handlebars, loaded when a template is first compiled: a build with nothing to render never needs it. */
export const handlebars = lazyRequire<typeof Handlebars>('handlebars');

/**
 * Its runtime alone, enough for templates compiled ahead (site/precompiled.ts): a fifth of the code, it
 * loads in about 5 ms rather than 20.
 */
export const handlebarsRuntime = lazyRequire<typeof Handlebars>('handlebars/runtime');
