import type { Severity } from '../diagnostic.js';

/**
 * One catalogue entry, after Astro's errors-data.ts: everything a user reads about one code.
 * `message` takes the entry's own typed arguments; call sites pass them to `report()`.
 */
export interface Entry<A extends object = Record<never, never>> {
  severity: Severity;
  /** A few words, for the README table and `scs check --explain`. */
  title: string;
  message: (args: A) => string;
  /** What to do about it; a function when the advice depends on the arguments. */
  hint?: string | ((args: A) => string);
}

// biome-ignore lint/suspicious/noExplicitAny: entries differ in their argument types
export type AnyEntry = Entry<any>;

/** Keeps each entry's argument type (an identity function that only types its argument). */
export function defineDiagnostics<T extends Record<string, AnyEntry>>(entries: T): T {
  return entries;
}
