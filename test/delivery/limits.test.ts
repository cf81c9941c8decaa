import { describe, expect, it } from 'vitest';
import { FailureWindow } from '../../src/delivery/failure-window.js';
import { TokenBucket } from '../../src/delivery/token-bucket.js';

describe('the rate limit', () => {
  it('lets no more than `rate` messages through in any second, smoothly', () => {
    const bucket = new TokenBucket(50, 0);
    const sentAt: number[] = [];
    for (let t = 0; t <= 10_000; t++) {
      const n = bucket.available(t);
      for (let i = 0; i < n; i++) sentAt.push(t);
      bucket.take(n, t);
    }
    for (let start = 0; start <= 9_000; start += 250) {
      const inWindow = sentAt.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(55);
      expect(inWindow).toBeGreaterThanOrEqual(49);
    }
    expect(sentAt.length).toBeGreaterThanOrEqual(500);
  });

  it('says how long until the next message may go, and 0 means no limit', () => {
    const bucket = new TokenBucket(4, 0);
    bucket.take(bucket.available(0), 0);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.waitMs(0)).toBe(250);
    expect(bucket.available(250)).toBe(1);
    const free = new TokenBucket(0, 0);
    expect(free.available(0)).toBe(Number.POSITIVE_INFINITY);
    expect(free.waitMs(0)).toBe(0);
  });
});

describe('the failure window', () => {
  it('trips when more than half of the last 100 attempts failed, and forgets old ones', () => {
    const w = new FailureWindow();
    for (let i = 0; i < 50; i++) w.add(true);
    expect(w.tripped).toBe(false);
    w.add(true);
    expect(w.tripped).toBe(true);
    for (let i = 0; i < 100; i++) w.add(false);
    expect(w.failures).toBe(0);
    expect(w.tripped).toBe(false);
    for (let i = 0; i < 200; i++) w.add(i % 2 === 0);
    expect(w.failures).toBe(50);
    expect(w.tripped).toBe(false);
  });
});
