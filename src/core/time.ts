/**
 * Dates and times in a configured IANA time zone, DST-correct, with no library.
 * Time is always a parameter (`now`), never read here.
 */

export type ParsedDateTime =
  | { ok: true; instant: Date; dateOnly: boolean }
  | { ok: false; reason: 'format' | 'impossible' | 'missing' };

const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Offset by asking Intl (slow: used only to find transitions). */
function probeOffset(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

interface YearTransitions {
  start: number;
  changes: { at: number; offset: number }[];
}

/** Per zone, per UTC year: the offset at the start of the year and each change during it. */
const transitions = new Map<string, Map<number, YearTransitions>>();

function yearTransitions(year: number, timeZone: string): YearTransitions {
  let zone = transitions.get(timeZone);
  if (!zone) {
    zone = new Map();
    transitions.set(timeZone, zone);
  }
  let t = zone.get(year);
  if (t) return t;
  const from = Date.UTC(year, 0, 1);
  const start = probeOffset(from, timeZone);
  const changes: { at: number; offset: number }[] = [];
  // Probe every ~2 weeks and bisect to the minute where the offset changes.
  const step = 14 * 86400000;
  const to = Date.UTC(year + 1, 0, 1);
  let prevMs = from;
  let prev = start;
  for (let ms = Math.min(from + step, to); ms <= to; ms = ms === to ? to + 1 : Math.min(ms + step, to)) {
    const o = probeOffset(ms, timeZone);
    if (o !== prev) {
      let lo = prevMs;
      let hi = ms;
      while (hi - lo > 60000) {
        const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
        if (probeOffset(mid, timeZone) === prev) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi, offset: o });
    }
    prevMs = ms;
    prev = o;
  }
  t = { start, changes };
  zone.set(year, t);
  return t;
}

/** Offset at `ms` (Unix milliseconds), in minutes: every release date asks this several times. */
function offsetAt(ms: number, timeZone: string): number {
  const t = yearTransitions(new Date(ms).getUTCFullYear(), timeZone);
  let offset = t.start;
  for (const c of t.changes) if (ms >= c.at) offset = c.offset;
  return offset;
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (e.g. 60 for CET). */
function offsetMinutes(instant: Date, timeZone: string): number {
  return offsetAt(instant.getTime(), timeZone);
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const d = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows the given time. In the spring-forward gap
 * the time is moved forward by the gap (02:30 → 03:30); in the autumn overlap the earlier instant wins.
 */
function zonedTimeToInstant(w: WallClock, ms: number, timeZone: string): Date {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms);
  // The candidates: the wall time read with the offset of the day before, and of the day after.
  const early = guess - offsetAt(guess - 86400000, timeZone) * 60000;
  const late = guess - offsetAt(guess + 86400000, timeZone) * 60000;
  const valid = (c: number) => offsetAt(c, timeZone) * 60000 === guess - c;
  const [a, b] = early <= late ? [early, late] : [late, early];
  return new Date(valid(a) ? a : valid(b) ? b : early);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD` or an ISO date-time; without an offset it is read in `timeZone`. */
export function parseDateTime(text: string, timeZone: string): ParsedDateTime {
  const m = DATE_TIME_RE.exec(text.trim());
  if (!m) return { ok: false, reason: 'format' };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const w: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (
    w.month < 1 ||
    w.month > 12 ||
    w.day < 1 ||
    w.day > daysInMonth(w.year, w.month) ||
    w.hour > 23 ||
    w.minute > 59 ||
    w.second > 59
  )
    return { ok: false, reason: 'impossible' };
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const dateOnly = h === undefined;
  if (zone) {
    const offset =
      zone === 'Z'
        ? 0
        : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    const instant = new Date(
      Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms) - offset * 60000,
    );
    return { ok: true, instant, dateOnly };
  }
  return { ok: true, instant: zonedTimeToInstant(w, ms, timeZone), dateOnly };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` as the wall calendar in `timeZone` shows it. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `2026-12-01T08:00+01:00`: minutes precision, seconds only when not zero. */
export function localDateTime(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  const off = offsetMinutes(instant, timeZone);
  const sign = off < 0 ? '-' : '+';
  const secs = w.second ? `:${pad(w.second)}` : '';
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}${secs}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

/** Parses a duration such as `3d`, `12h`, `90m`, `45s` or a plain number of days. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 86400000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(d|h|m|s|ms)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 }[(m[2] ?? 'd') as 'd'];
  return Number(m[1]) * unit;
}

/** A calendar day as a language writes it in running text: 2026-12-08 in Swedish, 8 December 2026 in English. */
export function dayText(day: string, lang: string): string {
  if (lang === 'sv') return day;
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}

/**
 * The zone's abbreviation at an instant ("CET", "CEST", "EST"), or its offset ("GMT+5:30") where none
 * is in common use.
 */
function zoneAbbreviation(instant: Date, timeZone: string): string {
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  // Each locale knows the abbreviations of its own region: British English Europe's, American the Americas'.
  const gb = name('en-GB');
  return /^(GMT|UTC)[+-]/.test(gb) ? name('en-US') : gb;
}

/** An instant as people read a deadline: "2026-12-09 10:00 CET", in the configured zone. */
export function wallTimeText(instant: Date, timeZone: string): string {
  const local = localDateTime(instant, timeZone);
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${zoneAbbreviation(instant, timeZone)}`;
}
