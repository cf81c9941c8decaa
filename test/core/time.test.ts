import { describe, expect, it } from 'vitest';
import { localDate, localDateTime, parseDateTime, parseDuration } from '../../src/core/time.js';

const TZ = 'Europe/Stockholm';
const iso = (text: string, tz = TZ) => {
  const p = parseDateTime(text, tz);
  if (!p.ok) throw new Error(p.reason);
  return p.instant.toISOString();
};

describe('parseDateTime', () => {
  it('reads dates and times without an offset in the configured zone, DST-correct', () => {
    expect(iso('2021-02-01')).toBe('2021-01-31T23:00:00.000Z');
    expect(iso('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(iso('2026-12-01T08:00')).toBe('2026-12-01T07:00:00.000Z');
    expect(iso('2026-06-01 08:00:30')).toBe('2026-06-01T06:00:30.000Z');
  });

  it('moves a time in the spring-forward gap forward, and takes the earlier of an autumn repeat', () => {
    expect(iso('2026-03-29T02:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(iso('2026-10-25T02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25T03:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('honours explicit offsets and Z', () => {
    expect(iso('2026-12-01T08:00+01:00')).toBe('2026-12-01T07:00:00.000Z');
    expect(iso('2026-12-01T08:00Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(iso('2026-12-01T08:00:00.250-0530')).toBe('2026-12-01T13:30:00.250Z');
  });

  it('works in other zones', () => {
    expect(iso('2026-06-01T08:00', 'America/New_York')).toBe('2026-06-01T12:00:00.000Z');
    expect(iso('2026-06-01T08:00', 'Asia/Kolkata')).toBe('2026-06-01T02:30:00.000Z');
  });

  it('tells impossible dates from malformed ones', () => {
    expect(parseDateTime('2021-02-30', TZ)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDateTime('2024-02-29', TZ).ok).toBe(true);
    expect(parseDateTime('2023-02-29', TZ)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDateTime('2026-01-01T24:00', TZ)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDateTime('1 februari 2021', TZ)).toEqual({ ok: false, reason: 'format' });
    expect(parseDateTime('2021-2-1', TZ)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('formatting', () => {
  it('shows local dates and date-times with the offset in force', () => {
    const winter = new Date('2026-12-01T07:00:00Z');
    const summer = new Date('2026-06-30T22:30:00Z');
    expect(localDateTime(winter, TZ)).toBe('2026-12-01T08:00+01:00');
    expect(localDateTime(summer, TZ)).toBe('2026-07-01T00:30+02:00');
    expect(localDate(summer, TZ)).toBe('2026-07-01');
    expect(localDateTime(new Date('2026-10-25T00:59:00Z'), TZ)).toBe('2026-10-25T02:59+02:00');
    expect(localDateTime(new Date('2026-10-25T01:00:00Z'), TZ)).toBe('2026-10-25T02:00+01:00');
  });
});

describe('parseDuration', () => {
  it.each([
    ['3d', 3 * 86400000],
    ['12h', 12 * 3600000],
    ['90m', 90 * 60000],
    ['45s', 45000],
    ['2', 2 * 86400000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('rejects nonsense', () => expect(parseDuration('tre dagar')).toBeUndefined());
});
