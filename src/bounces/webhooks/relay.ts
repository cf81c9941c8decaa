import { type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { BounceEventType } from '../../store/bounce-types.js';

/** A signed request older than this is a replay, and refused. */
const REPLAY_WINDOW_MS = 5 * 60 * 1000;

/** One bounce or complaint a relay reports. */
export interface RelayEvent {
  /** The relay's id of the event: applying it twice is a no-op. */
  id: string;
  email: string;
  /** Our Message-ID, with brackets, when the relay passes it back. */
  messageId?: string;
  type: Exclude<BounceEventType, 'delayed'>;
  status: string | null;
  detail: string | null;
}

/** What a relay's check of a request found: its events, or why it is refused. */
export type Verified = { ok: true; events: RelayEvent[]; note?: string } | Refused;
export type Refused = { ok: false; status: number; note: string };

/** A request as a relay's check sees it: the body is parsed JSON, `raw` the bytes it was parsed from. */
export interface RelayRequest {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: unknown;
  now: Date;
}

export const refused = (status: number, note: string): Refused => ({ ok: false, status, note });

export const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
export const str = (v: unknown) =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const bracket = (id: string) => (id.startsWith('<') ? id : `<${id}>`);

/** Whether a signed time (ms since the epoch) is within the replay window of now. */
export const fresh = (signedAt: number, now: Date) =>
  Number.isFinite(signedAt) && Math.abs(now.getTime() - signedAt) <= REPLAY_WINDOW_MS;

/** A public-key signature check that says no, rather than throwing, to a key of an unexpected kind. */
export function signatureValid(hash: string, data: Buffer, key: KeyObject, signature: string): boolean {
  try {
    return verify(hash, data, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
