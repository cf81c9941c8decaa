import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../src/core/phone.js';
import { slugify } from '../../src/core/slug.js';

describe('parsePhone', () => {
  // Shown in the national format at home (the default region), in the international one otherwise.
  it.each([
    ['010-788 65 82', '010-788 65 82', '+46107886582'],
    ['+46 10-788 66 09', '010-788 66 09', '+46107886609'],
    ['+ 4610-788 68 67', '010-788 68 67', '+46107886867'],
    ['+ 4690-17 72 40', '090-17 72 40', '+4690177240'],
    ['08-123 456 78', '08-123 456 78', '+46812345678'],
    ['070-123 45 67', '070-123 45 67', '+46701234567'],
    ['0046 8 123 456 78', '08-123 456 78', '+46812345678'],
    ['+44 20 7946 0958', '+44 20 7946 0958', '+442079460958'],
  ])('%s → %s, %s', (input, display, e164) => {
    expect(parsePhone(input)).toEqual({ display, e164 });
  });

  it('uses the national format of the region it is given', () => {
    expect(parsePhone('+44 20 7946 0958', 'GB')).toEqual({ display: '020 7946 0958', e164: '+442079460958' });
    expect(parsePhone('010-788 65 82', 'GB')).toBeUndefined();
    expect(parsePhone('+46 10 788 65 82', 'GB')?.display).toBe('+46 10 788 65 82');
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
