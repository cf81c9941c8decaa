import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFile, cacheFolder, cacheKey, readCacheFile, writeCacheFile } from '../../src/cache/index.js';
import { tempDir } from '../helpers/scs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the cache layer', () => {
  it('gives each cache its own folder below <stateDir>/cache/', () => {
    const folders = (['config', 'releases', 'site'] as const).map((n) => cacheFolder('/p/.scs', n));
    expect(new Set(folders).size).toBe(3);
    for (const f of folders) expect(path.dirname(f)).toBe('/p/.scs/cache');
    expect(cacheFile('/p/.scs', 'releases', 'releases.bin')).toBe(path.join(folders[1]!, 'releases.bin'));
  });

  it('writes whole files in a private folder, leaving no temporary file behind', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = cacheFile(path.join(t.dir, '.scs'), 'site', 'x.bin');
    writeCacheFile(file, ['head\n', new Uint8Array([1, 2, 3])]);
    writeCacheFile(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(path.dirname(file))).toEqual(['x.bin']);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('reads a missing, damaged or foreign entry as a miss', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'entry.json');
    const decode = (data: Buffer) => {
      const v = JSON.parse(data.toString('utf8')) as { key: string; value: number };
      return v.key === 'mine' ? v.value : undefined;
    };
    expect(readCacheFile(file, decode)).toBeUndefined();
    writeFileSync(file, '{"key": "mi');
    expect(readCacheFile(file, decode)).toBeUndefined();
    writeFileSync(file, '{"key": "theirs", "value": 1}');
    expect(readCacheFile(file, decode)).toBeUndefined();
    writeFileSync(file, '{"key": "mine", "value": 2}');
    expect(readCacheFile(file, decode)).toBe(2);
  });

  it('keys results by scs fingerprint as well as by what they are made from', () => {
    expect(cacheKey(['a'], 'code-1')).toBe(cacheKey(['a'], 'code-1'));
    expect(cacheKey(['a'], 'code-1')).not.toBe(cacheKey(['a'], 'code-2'));
    expect(cacheKey(['a'], 'code-1')).not.toBe(cacheKey(['b'], 'code-1'));
  });
});
