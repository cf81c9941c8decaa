import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PackReader, PackWriter, readPackFile, writePackFile } from '../../src/content/packing.js';
import { tempDir } from '../helpers/scs.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function sample(w: PackWriter, n: number) {
  w.record();
  w.str(`Pressmeddelande ${n} – så här: ”citat” 🚲`);
  w.num(n + 0.25);
  w.bool(n % 2 === 0);
  w.opt(n % 2 ? undefined : '');
  w.json({ code: 'x', line: n });
  w.list(['å', 'ä', 'ö'], (s) => w.str(s));
}

function readSample(r: PackReader) {
  r.record();
  return [r.str(), r.num(), r.bool(), r.opt(), r.json(), r.list(() => r.str())];
}

describe('packs', () => {
  it('read back every kind of value, across strings of any script and length', () => {
    const w = new PackWriter();
    // Past the first buffer and number block, so both grow.
    const long = 'Lång brödtext – '.repeat(10_000);
    w.record();
    w.str(long);
    for (let i = 0; i < 3000; i++) sample(w, i);
    const r = new PackReader(w.finish());
    r.record();
    expect(r.str()).toBe(long);
    for (let i = 0; i < 3000; i++) {
      expect(readSample(r)).toEqual([
        `Pressmeddelande ${i} – så här: ”citat” 🚲`,
        i + 0.25,
        i % 2 === 0,
        i % 2 ? undefined : '',
        { code: 'x', line: i },
        ['å', 'ä', 'ö'],
      ]);
    }
    expect(r.done).toBe(true);
    expect(() => r.num()).toThrow(RangeError);
    expect(() => new PackWriter().str('x')).toThrow(/outside a record/);
  });

  it('written one after the other to a file, read back as one', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const packs = [0, 1, 2].map((n) => {
      const w = new PackWriter();
      sample(w, n);
      return w.finish();
    });
    const file = path.join(t.dir, 'packs.bin');
    writePackFile(file, { key: 'k1' }, packs);
    const { header, reader } = readPackFile(file);
    expect(header.key).toBe('k1');
    expect([0, 1, 2].map(() => readSample(reader)[1])).toEqual([0.25, 1.25, 2.25]);
    expect(reader.done).toBe(true);
  });

  it('refuses a file that is not a pack or is cut short', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'bad.bin');
    writeFileSync(file, 'no header line');
    expect(() => readPackFile(file)).toThrow();
    writeFileSync(file, '{"numbers":1000}\n');
    expect(() => readPackFile(file)).toThrow(/ends early/);
  });
});
