import type * as Z from 'zod';
import { lazyRequire } from './lazy-require.js';

/**
 * The parts of zod the schemas use. The bundled CLI vendors only these (scripts/bundle.mjs): the whole
 * package, with its 63 locales and JSON Schema tools, is five times the size and loads three times slower.
 */
export const ZOD_PARTS = [
  'array',
  'boolean',
  'email',
  'enum',
  'int',
  'number',
  'record',
  'strictObject',
  'string',
  'union',
  'url',
] as const;

/** zod, loaded when a schema is first built: runs that find everything in the caches never need it. */
export const zod = lazyRequire<Pick<typeof Z, (typeof ZOD_PARTS)[number]>>('zod');
