import { describe, expect, it } from 'vitest';
import { humanSize } from '../../src/site/attachments.js';

describe('humanSize', () => {
  it('writes a size as readers of each language do', () => {
    expect(humanSize(1_234_000, 'sv')).toBe('1,2 MB');
    expect(humanSize(1_234_000, 'en')).toBe('1.2 MB');
    expect(humanSize(21, 'sv')).toBe('21 B');
    expect(humanSize(48_700, 'en')).toBe('49 kB');
    expect(humanSize(3_050_000_000, 'en')).toBe('3.1 GB');
  });
});
