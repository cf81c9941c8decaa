import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../src/core/phone.js';
import { slugify } from '../../src/core/slug.js';

describe('parsePhone', () => {
  it.each([
    ['010-788 65 82', '+46107886582'],
    ['+46 10-788 66 09', '+46107886609'],
    ['+ 4610-788 68 67', '+46107886867'],
    ['08-123 456 78', '+46812345678'],
    ['070-123 45 67', '+46701234567'],
    ['0046 8 123 456 78', '+46812345678'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s → %s', (input, e164) => {
    expect(parsePhone(input)).toEqual({ display: input, e164 });
  });

  it.each(['123', '010-788', 'ring mig', '+46 10 788 65 82 99 99', ''])('rejects %j', (input) => {
    expect(parsePhone(input)).toBeUndefined();
  });
});

describe('slugify', () => {
  it.each([
    ['Umeå lagrar sommarvärme i gamla bergrum', 'umea-lagrar-sommarvarme-i-gamla-bergrum'],
    ['Örebro och Västerås: ökad återvinning!', 'orebro-och-vasteras-okad-atervinning'],
    ['Café på Söder – 2026', 'cafe-pa-soder-2026'],
    ['  --Många   mellanslag--  ', 'manga-mellanslag'],
    ['Æble, øl & straße', 'aeble-ol-strasse'],
    ['!!!', ''],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts long titles at a word boundary', () => {
    const slug = slugify('ord '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.endsWith('ord')).toBe(true);
  });
});
