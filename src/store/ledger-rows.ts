import type { Dispatch, DispatchState, LockHolder, NewDispatch } from './ledger-types.js';

/**
 * How both stores read the ledger's rows: the same columns (epoch milliseconds for times, JSON text for
 * `covers`). PostgreSQL's bigint columns arrive as strings, so every number goes through `Number`.
 */
type Int = number | string;

export interface DispatchRow {
  id: Int;
  release_id: string;
  lang: string;
  list_id: string;
  transport: Dispatch['transport'];
  kind: Dispatch['kind'];
  variant: string;
  detail: string | null;
  covers: string | null;
  subject: string;
  release_hash: string;
  state: DispatchState;
  pause_reason: string | null;
  total: Int;
  planned_at: Int;
  started_at: Int | null;
  finished_at: Int | null;
}

/** The dispatch lock's row (SQLite), or a worker's lease (PostgreSQL, with `expires_at`). */
export interface HolderRow {
  token: string;
  pid: number;
  host: string;
  command: string;
  started_at: Int;
  heartbeat_at: Int;
  expires_at?: Int;
}

const date = (ms: Int) => new Date(Number(ms));
const optionalDate = (ms: Int | null) => (ms === null ? null : date(ms));

export function toDispatch(row: DispatchRow): Dispatch {
  return {
    id: Number(row.id),
    releaseId: row.release_id,
    lang: row.lang,
    listId: row.list_id,
    transport: row.transport,
    kind: row.kind,
    variant: row.variant,
    detail: row.detail,
    covers: row.covers === null ? null : (JSON.parse(row.covers) as string[]),
    subject: row.subject,
    releaseHash: row.release_hash,
    state: row.state,
    pauseReason: row.pause_reason,
    total: Number(row.total),
    plannedAt: date(row.planned_at),
    startedAt: optionalDate(row.started_at),
    finishedAt: optionalDate(row.finished_at),
  };
}

export const toHolder = (row: HolderRow): LockHolder => ({
  token: row.token,
  pid: row.pid,
  host: row.host,
  command: row.command,
  startedAt: date(row.started_at),
  heartbeatAt: date(row.heartbeat_at),
  ...(row.expires_at !== undefined ? { expiresAt: date(row.expires_at) } : {}),
});

/**
 * A new dispatch's column values, in the order both stores insert them: release_id, lang, list_id,
 * transport, kind, variant, detail, covers, subject, release_hash, planned_at.
 */
export const newDispatchValues = (dispatch: NewDispatch, at: number): unknown[] => [
  dispatch.releaseId,
  dispatch.lang,
  dispatch.listId,
  dispatch.transport,
  dispatch.kind ?? 'newsletter',
  dispatch.variant ?? '',
  dispatch.detail ?? null,
  dispatch.covers ? JSON.stringify(dispatch.covers) : null,
  dispatch.subject,
  dispatch.releaseHash,
  at,
];
