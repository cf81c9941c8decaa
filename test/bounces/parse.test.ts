import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, parseMessage } from '../../src/bounces/parse.js';
import { REPO } from '../helpers/scs.js';

const DIR = path.join(REPO, 'test/fixtures/bounces');
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { kind: string; types: string[] }
>;

describe('reading the bounce mailbox', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));

  it('has the fixtures the issue asks for, each with its expected classification', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    const count = (kinds: string[]) => files.filter((f) => kinds.includes(expected[f]!.kind)).length;
    expect(count(['dsn', 'arf'])).toBeGreaterThanOrEqual(15);
    expect(count(['auto-reply'])).toBe(5);
    expect(count(['unrelated'])).toBe(5);
  });

  it.each(files)('%s', (file) => {
    const parsed = parseMessage(readFileSync(path.join(DIR, file)));
    expect({ kind: parsed.kind, types: parsed.recipients.map(classify) }).toEqual(expected[file]);
    if (parsed.kind === 'dsn' || parsed.kind === 'arf') {
      expect(parsed.originalMessageId).toBe('<20261014080000.a1b2c3@press.example>');
      expect(parsed.recipients.every((r) => r.address?.includes('@'))).toBe(true);
      expect(parsed.tokenAddresses.join(' ')).toContain('bounces+1-2-0123456789abcde@press.example');
    }
  });

  it('gives one message the same key wherever it is read, and different messages different keys', () => {
    const raw = readFileSync(path.join(DIR, 'postfix-user-unknown.eml'), 'latin1');
    const a = parseMessage(raw);
    expect(parseMessage(`Delivered-To: bounces@press.example\n${raw}`).key).toBe(a.key);
    expect(parseMessage(readFileSync(path.join(DIR, 'postfix-two-recipients.eml'))).key).not.toBe(a.key);
  });

  it('reads a broken encoding without failing, marking what it cannot decode', () => {
    const parsed = parseMessage(readFileSync(path.join(DIR, 'bad-broken-encoding.eml')));
    expect(parsed.recipients[0]!.diagnostic).toContain('\uFFFD');
  });

  it('never throws, whatever it is given', () => {
    for (const raw of [
      '',
      '\r\n\r\n',
      'Content-Type: multipart/report; boundary=x\n\n--x\n--x--',
      '\0\xff'.repeat(999),
    ])
      expect(() => parseMessage(raw)).not.toThrow();
    const deep = `${'Content-Type: multipart/mixed; boundary=a\n\n--a\n'.repeat(200)}x`;
    expect(parseMessage(deep).kind).toBe('unrelated');
  });
});
