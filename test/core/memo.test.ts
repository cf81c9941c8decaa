import { describe, expect, it } from 'vitest';
import { memoize } from '../../src/core/memo.js';

describe('memoize', () => {
  it('asks once per key, in a Map or a WeakMap', () => {
    const asked: string[] = [];
    const length = memoize((s: string) => {
      asked.push(s);
      return s.length;
    });
    expect([length('ab'), length('abc'), length('ab')]).toEqual([2, 3, 2]);
    expect(asked).toEqual(['ab', 'abc']);
    const key = { id: 1 };
    let calls = 0;
    const weak = memoize((o: { id: number }) => ++calls + o.id, new WeakMap());
    expect([weak(key), weak(key), weak({ id: 1 })]).toEqual([2, 2, 3]);
  });
});
