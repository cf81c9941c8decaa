import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/subscribers/email.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain, keeping the local part as written', async () => {
    expect(normalizeEmail('  Karin.Holm@Example.SE ')).toEqual({ ok: true, email: 'Karin.Holm@example.se' });
    expect(normalizeEmail('a+news@sub.example.org.')).toEqual({ ok: true, email: 'a+news@sub.example.org' });
  });

  it('accepts international addresses', async () => {
    expect(normalizeEmail('åsa@Räksmörgås.Example')).toEqual({ ok: true, email: 'åsa@räksmörgås.example' });
  });

  it.each([
    ['', 'empty'],
    ['anna.example.com', 'no "@"'],
    ['@example.com', 'nothing before'],
    ['anna@', 'nothing after'],
    ['anna@localhost', 'not a valid mail domain'],
    ['anna@exa_mple.com', 'not a valid mail domain'],
    ['an na@example.com', 'space'],
    ['anna@example.com\r\nBcc: x@example.com', 'line break'],
    ['anna..berg@example.com', 'not a valid part'],
    ['.anna@example.com', 'not a valid part'],
    ['<anna@example.com>', 'not allowed'],
    [`${'a'.repeat(65)}@example.com`, 'longer than 64'],
  ])('refuses %j (%s)', (input, reason) => {
    const r = normalizeEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
