import { describe, expect, it } from 'vitest';
import { quickHash } from '../../src/core/quick-hash.js';

describe('quickHash', () => {
  it('is stable, and tells apart parts split differently, order and single changes', () => {
    expect(quickHash(['sv/2026/', 'abc'])).toBe(quickHash(['sv/2026/', 'abc']));
    const variants = [
      ['ab', 'c'],
      ['a', 'bc'],
      ['abc'],
      ['c', 'ab'],
      ['ab', 'd'],
      ['ab', 'c', ''],
      ['Åb', 'c'],
    ].map(quickHash);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('spreads ten thousand similar keys without a collision', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) keys.add(quickHash(['release', `sv/2026/05/${i}/`, `hash${i % 97}`]));
    expect(keys.size).toBe(10_000);
  });
});
