import { describe, expect, it } from 'vitest';
import {
  addressHeader,
  encodeWords,
  formatDate,
  quotedPrintable,
  unstructuredHeader,
} from '../../src/email/mime.js';

const encodeQuotedPrintable = (text: string, open = false) => quotedPrintable(text, open).toString('latin1');

/** RFC 2045 §6.7 decoding, written independently of the encoder. */
function decodeQP(encoded: string): string {
  const bytes: number[] = [];
  const joined = encoded.replace(/=\r\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '\r' && joined[i + 1] === '\n') {
      bytes.push(10);
      i++;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWord(word: string): string {
  const m = /^=\?UTF-8\?Q\?(.*)\?=$/.exec(word)!;
  return decodeQP(m[1]!.replace(/_/g, ' '));
}

/** A deterministic pseudo-random generator, so a failure can be reproduced. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('quoted-printable', () => {
  it('round-trips any text and keeps lines short and DKIM-canonical', () => {
    const rnd = random(42);
    const alphabet = [
      'a',
      'b',
      ' ',
      ' ',
      '\t',
      '=',
      '.',
      'å',
      'ä',
      'ö',
      '–',
      '€',
      '😀',
      '\n',
      '\r\n',
      'x'.repeat(30),
      ' '.repeat(5),
    ];
    for (let n = 0; n < 500; n++) {
      let text = '';
      const len = Math.floor(rnd() * 120);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      for (const open of [false, true]) {
        const enc = encodeQuotedPrintable(text, open);
        expect(decodeQP(enc)).toBe(text.replace(/\r\n/g, '\n'));
        for (const line of enc.split('\r\n')) {
          expect(line.length).toBeLessThanOrEqual(76);
          expect(line).not.toMatch(/[ \t]$/);
          expect(line).not.toMatch(/ {2}|\t/);
          expect(line).toMatch(/^[\x21-\x7e ]*$/);
        }
        if (open && enc) expect(enc.endsWith('\r\n')).toBe(true);
      }
    }
  });

  it('leaves plain ASCII readable', () => {
    expect(encodeQuotedPrintable('Hello world\nline two')).toBe('Hello world\r\nline two');
    expect(encodeQuotedPrintable('a = b')).toBe('a =3D b');
    expect(encodeQuotedPrintable('end ')).toBe('end=20');
  });
});

describe('headers', () => {
  it('encodes non-ASCII subjects as encoded-words of at most 75 characters, folded to 78', () => {
    const subject = 'Umeå lagrar sommarvärme i gamla bergrum – och testar något helt nytt för staden 😀';
    const header = unstructuredHeader('Subject', subject);
    expect(header.endsWith('\r\n')).toBe(true);
    const lines = header.slice(0, -2).split('\r\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    const words = header.slice('Subject:'.length).trim().split(/\s+/);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(words.map(decodeWord).join('')).toBe(subject);
  });

  it('folds long ASCII subjects at spaces and never lets a line break through', () => {
    const header = unstructuredHeader('Subject', `${'word '.repeat(30)}end\r\nBcc: x@example.com`);
    expect(
      header
        .slice(0, -2)
        .split('\r\n')
        .every((l, i) => l.length <= 78 && (i === 0 || l.startsWith(' '))),
    ).toBe(true);
    expect(header).not.toMatch(/\r\nBcc/);
    expect(encodeWords('=?UTF-8?Q?x?=').length).toBe(1);
    expect(unstructuredHeader('Subject', 'Plain =?UTF-8?Q?fake?= text')).toContain('=?UTF-8?Q?');
  });

  it('quotes display names and encodes non-ASCII ones', () => {
    expect(addressHeader('From', 'a@example.org', 'Sara "S" Öberg')).toBe(
      'From: =?UTF-8?Q?Sara_=22S=22_=C3=96berg?= <a@example.org>\r\n',
    );
    expect(addressHeader('From', 'a@example.org', 'Team, Press \\ Media')).toBe(
      'From: "Team, Press \\\\ Media" <a@example.org>\r\n',
    );
    expect(addressHeader('To', 'a@example.org')).toBe('To: <a@example.org>\r\n');
  });

  it('formats dates per RFC 5322 in UTC', () => {
    expect(formatDate(new Date('2026-10-04T07:05:09Z'))).toBe('Sun, 4 Oct 2026 07:05:09 +0000');
  });
});
