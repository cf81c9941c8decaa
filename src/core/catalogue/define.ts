import type { Severity } from '../diagnostic.js';

// biome-ignore lint/suspicious/noExplicitAny: each message takes its own entry's argument type
type Message = (args: any) => string;

/** The arguments a message takes (none: an empty object). */
export type MessageArgs<M> = M extends (args: infer A) => string
  ? unknown extends A
    ? Record<never, never>
    : A
  : never;

/**
 * One catalogue entry, after Astro's errors-data.ts: everything a user reads about one code.
 * `message` declares the entry's typed arguments; call sites pass them to `report()`, and a `hint`
 * function gets the same ones.
 */
export interface Entry<M extends Message = Message> {
  severity: Severity;
  /** A few words, for the README table and `scs explain`. */
  title: string;
  message: M;
  /**
   * What to do about it; a function when the advice depends on the arguments. The README and
   * `scs explain` show a function's advice with each argument as <name>.
   */
  hint?: string | ((args: MessageArgs<M>) => string);
}

export interface AnyEntry {
  severity: Severity;
  title: string;
  message: Message;
  hint?: string | Message;
}

/** Keeps each entry's argument type, and gives a hint function the arguments of its message. */
export function defineDiagnostics<T extends Record<string, Message>>(
  entries: {
    [K in keyof T]: Entry<T[K]>;
  },
): { [K in keyof T]: Entry<T[K]> } {
  return entries;
}
