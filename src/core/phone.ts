import type { CountryCode } from 'libphonenumber-js/max';
import { lazyRequire } from './lazy-require.js';

// Its metadata takes a tenth of a second to load, and most runs find their config in the cache.
const phoneLib = lazyRequire<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');

export interface ParsedPhone {
  /** For display: national format for numbers of the default region, international format otherwise. */
  display: string;
  /** E.164, for `tel:` links. */
  e164: string;
}

/**
 * Parses a phone number as press offices write them ("010-788 65 82", "+46 10-788 66 09",
 * "+ 4610-788 68 67"), with `defaultRegion` (the organisation's country) for national numbers.
 * Undefined when it is not a valid number.
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
  // However it was typed, readers see one consistent format: their own for numbers at home.
  const display = parsed.country === defaultRegion ? parsed.formatNational() : parsed.formatInternational();
  return { display, e164: parsed.number };
}
