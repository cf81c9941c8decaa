import { readFileSync } from 'node:fs';

/** The version of scs, from its package.json (two levels up, from dist/<folder>/ or src/<folder>/). */
export const SCS_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
