import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../src/assets/inspect.js';
import { derivatives, planImage } from '../../src/assets/plan.js';

const camera: ImageInfo = {
  format: 'jpeg',
  width: 6000,
  height: 4000,
  hasAlpha: false,
  bitDepth: 8,
  space: 'srgb',
  orientation: 1,
  icc: false,
  gps: false,
  bytes: 14_000_000,
};
const sizes = (list: { format: string; width: number; height: number }[]) =>
  list.map((d) => `${d.format}:${d.width}x${d.height}`);

describe('what is planned of a camera photo', () => {
  const plan = planImage('/p/releases/images/hamn.jpg', 'a'.repeat(64), camera, { focus: [0.2, 0.5] });

  it('offers AVIF up to 1200 px, WebP and JPEG up to 1600 px', () => {
    expect(sizes(plan.variants)).toEqual([
      'avif:480x320',
      'avif:800x533',
      'avif:1200x800',
      ...['webp', 'jpeg'].flatMap((f) => [`${f}:480x320`, `${f}:800x533`, `${f}:1200x800`, `${f}:1600x1067`]),
    ]);
  });

  it('cuts the thumbnails to 3:2 around the focus, 1× and 2×, in WebP and JPEG (no AVIF)', () => {
    expect(sizes(plan.thumbs)).toEqual(['webp:160x107', 'webp:320x213', 'jpeg:160x107', 'jpeg:320x213']);
    expect(plan.thumbs.every((t) => t.focus?.[0] === 0.2)).toBe(true);
    expect(plan.thumbs[0]!.path).toMatch(/^assets\/images\/hamn-[0-9a-f]{10}-160x107\.webp$/);
  });

  it('names every file once, in the cache and in the site alike', () => {
    const all = derivatives(plan);
    expect(new Set(all.map((d) => d.path)).size).toBe(all.length);
    expect(all).toHaveLength(plan.variants.length + 2 + 1 + plan.thumbs.length);
  });
});
