import { describe, expect, it } from 'vitest';
import { dotStuff } from '../../../src/delivery/smtp/data.js';

/** RFC 5321 4.5.2 the slow, obvious way: one byte at a time. */
function reference(raw: Buffer): Buffer {
  const out: number[] = [];
  let lineStart = true;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (lineStart && b === 0x2e) out.push(0x2e);
    lineStart = false;
    if (b === 0x0d) {
      out.push(0x0d, 0x0a);
      if (raw[i + 1] === 0x0a) i++;
      lineStart = true;
    } else if (b === 0x0a) {
      out.push(0x0d, 0x0a);
      lineStart = true;
    } else out.push(b);
  }
  if (!lineStart || out.length === 0) out.push(0x0d, 0x0a);
  out.push(0x2e, 0x0d, 0x0a);
  return Buffer.from(out);
}

const stuffed = (raw: Buffer) => Buffer.concat(dotStuff(raw));

describe('dotStuff (the DATA encoding)', () => {
  it('doubles a dot at the start of a line and ends the data', () => {
    expect(stuffed(Buffer.from('.a\r\nb.\r\n..\r\n.\r\n')).toString()).toBe(
      '..a\r\nb.\r\n...\r\n..\r\n.\r\n',
    );
    expect(stuffed(Buffer.from('no end')).toString()).toBe('no end\r\n.\r\n');
    expect(stuffed(Buffer.alloc(0)).toString()).toBe('\r\n.\r\n');
  });

  it('makes every bare CR and LF a CRLF, a dot after one included (no SMTP smuggling)', () => {
    expect(stuffed(Buffer.from('a\r.\rb\n.\n\r\n')).toString()).toBe('a\r\n..\r\nb\r\n..\r\n\r\n.\r\n');
    expect(stuffed(Buffer.from('x\r')).toString()).toBe('x\r\n.\r\n');
  });

  it('copies nothing of a message without dots at line starts: the message itself goes out', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nHello.\r\n');
    const pieces = dotStuff(raw);
    expect(pieces[0]).toBe(raw);
    expect(pieces).toHaveLength(2);
  });

  it('agrees with the byte-by-byte reference on random messages of CR, LF, dots and text', () => {
    // A fixed-seed generator: the same cases every run.
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['\r', '\n', '\r\n', '.', 'a', 'ö', ' '];
    for (let n = 0; n < 2000; n++) {
      const length = Math.floor(next() * 30);
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const raw = Buffer.from(text);
      expect(stuffed(raw).equals(reference(raw)), JSON.stringify(text)).toBe(true);
    }
  });
});
