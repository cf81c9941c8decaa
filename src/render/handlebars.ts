import type Handlebars from 'handlebars';
import { lazyRequire } from '../core/lazy-require.js';

/** Handlebars, loaded when a template is first compiled: a build with nothing to render never needs it. */
export const handlebars = lazyRequire<typeof Handlebars>('handlebars');
