import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';

type Lib = typeof import('libphonenumber-js/max');
let lib: Lib | undefined;
/** Loaded on first use, synchronously: its metadata costs a tenth of a second that most runs never need. */
const phoneLib = (): Lib => {
  lib ??= createRequire(import.meta.url)('libphonenumber-js/max') as Lib;
  return lib;
};

export interface ParsedPhone {
  /** As written, for display. */
  display: string;
  /** E.164, for `tel:` links. */
  e164: string;
}

/**
 * Parses a phone number as press offices write them ("010-788 65 82", "+46 10-788 66 09",
 * "+ 4610-788 68 67"), with `defaultRegion` for national numbers. Undefined when it is not a valid number.
 */
export function parsePhone(text: string, defaultRegion = 'SE'): ParsedPhone | undefined {
  // A space after "+" is a common typing habit, not a different number.
  const cleaned = text
    .trim()
    .replace(/^\+\s+/, '+')
    .replace(/^00(?=[1-9])/, '+');
  if (!/^\+?[\d\s\-().]{5,}$/.test(cleaned)) return undefined;
  const parsed = phoneLib().parsePhoneNumberFromString(cleaned, defaultRegion as CountryCode);
  if (!parsed?.isValid()) return undefined;
  return { display: text.trim(), e164: parsed.number };
}
