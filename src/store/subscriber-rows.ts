import { addressKey } from '../subscribers/email.js';
import type {
  AwaitingConfirmation,
  NewSubscriber,
  Subscriber,
  SubscriberChanges,
  SubscriberEvent,
  SubscriptionStatus,
  Suppression,
  SuppressionReason,
} from './subscriber-types.js';

/**
 * What both stores' subscriber repositories share: the tables are the same column for column, so a row
 * reads the same way, and the rules written in SQL that both dialects understand live here once.
 */

/** A `subscribers` row with its memberships as `[list_id, status, created_at, updated_at]` tuples. */
export interface SubscriberRow {
  /** PostgreSQL hands bigints over as strings. */
  id: number | string;
  email: string;
  name: string | null;
  lang: string;
  status: Subscriber['status'];
  status_detail: string | null;
  consent_source: Subscriber['consent']['source'];
  consent_at: string;
  consent_ip: string | null;
  consent_detail: string | null;
  confirmed_at: string | null;
  outlet: string | null;
  /** JSON array of topic ids. */
  beat: string | null;
  consent_by: string | null;
  consent_reason: string | null;
  created_at: string;
  updated_at: string;
  subscriptions: [string, SubscriptionStatus, string, string][];
}

// Bulk work stamps thousands of rows with one `now`: format it once.
let lastIso = { time: Number.NaN, text: '' };
export const iso = (d: Date): string => {
  const time = d.getTime();
  if (time !== lastIso.time) lastIso = { time, text: d.toISOString() };
  return lastIso.text;
};
const date = (s: string) => new Date(s);
const optionalDate = (s: string | null) => (s === null ? null : new Date(s));

// Who may be mailed: confirmed, on the list, and not suppressed (the hash check is belt and braces:
// every suppressing change also sets the status). `m` is the membership, `s` the subscriber.
export const DELIVERABLE = `
  m.status = 'active' AND s.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.hash = s.email_hash)`;

const REASONS: readonly SuppressionReason[] = ['erased', 'unsubscribed', 'bounced', 'complained'];

/** Orders suppression reasons (as `REASONS` does): a weaker one never replaces a stronger one. */
export const rank = (column: string): string =>
  `CASE ${column} WHEN 'complained' THEN 4 WHEN 'bounced' THEN 3 WHEN 'unsubscribed' THEN 2 ELSE 1 END`;

export type SuppressionRow = { hash: string; reason: SuppressionReason; created_at: string };

/**
 * What `suppression` says of each of many addresses, in a read per slice of `slice` hashes: `hashes`
 * gives the two an address may be suppressed under (the same twice when it has one), `read` the rows of
 * a slice of hashes. `any` says whether the list has a row at all: a newsroom's first import (a million
 * addresses, say) then neither hashes nor reads for it.
 */
export async function suppressionsInBulk(
  emails: readonly string[],
  hashes: (email: string) => readonly [string, string],
  read: {
    any(): Promise<boolean> | boolean;
    rows(hashes: string[]): Promise<SuppressionRow[]> | SuppressionRow[];
  },
  slice: number,
): Promise<Map<string, Suppression>> {
  if (!emails.length || !(await read.any())) return new Map();
  const pairs = new Map<string, readonly [string, string]>();
  const all = new Set<string>();
  for (const email of emails) {
    const pair = hashes(email);
    pairs.set(email, pair);
    all.add(pair[0]);
    all.add(pair[1]);
  }
  const list = [...all];
  const byHash = new Map<string, SuppressionRow>();
  for (let i = 0; i < list.length; i += slice)
    for (const row of await read.rows(list.slice(i, i + slice))) byHash.set(row.hash, row);
  const found = new Map<string, Suppression>();
  if (!byHash.size) return found;
  for (const [email, [a, b]] of pairs) {
    const x = byHash.get(a);
    const y = byHash.get(b);
    const best = x && y ? (REASONS.indexOf(y.reason) > REASONS.indexOf(x.reason) ? y : x) : (x ?? y);
    if (best) found.set(email, { reason: best.reason, since: date(best.created_at) });
  }
  return found;
}

/** The columns of a new subscriber's row, in the order of newSubscriberValues. */
export const NEW_SUBSCRIBER_COLUMNS = [
  'email',
  'email_key',
  'email_hash',
  'name',
  'lang',
  'status',
  'consent_source',
  'consent_at',
  'consent_ip',
  'consent_detail',
  'confirmed_at',
] as const;

/** A new subscriber's values for NEW_SUBSCRIBER_COLUMNS, in that order. */
export function newSubscriberValues(s: NewSubscriber, hash: (text: string) => string): (string | null)[] {
  const c = s.consent;
  const key = addressKey(s.email);
  return [
    s.email,
    key,
    hash(key),
    s.name,
    s.lang,
    s.status,
    c.source,
    iso(c.at),
    c.ip,
    c.detail,
    c.confirmedAt && iso(c.confirmedAt),
  ];
}

export function toSubscriber(row: SubscriberRow): Subscriber {
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    lang: row.lang,
    status: row.status,
    statusDetail: row.status_detail,
    consent: {
      source: row.consent_source,
      at: date(row.consent_at),
      ip: row.consent_ip,
      detail: row.consent_detail,
      confirmedAt: optionalDate(row.confirmed_at),
    },
    press:
      row.outlet === null && row.beat === null && row.consent_by === null && row.consent_reason === null
        ? null
        : {
            outlet: row.outlet,
            beat: row.beat === null ? [] : (JSON.parse(row.beat) as string[]),
            addedBy: row.consent_by,
            reason: row.consent_reason,
          },
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    subscriptions: row.subscriptions.map(([listId, status, created, updated]) => ({
      listId,
      status,
      createdAt: date(created),
      updatedAt: date(updated),
    })),
  };
}

export interface EventRow {
  at: string;
  kind: string;
  list_id: string | null;
  source: string | null;
  ip: string | null;
  detail: string | null;
}

export const toEvent = ({ at, list_id, ...rest }: EventRow): SubscriberEvent => ({
  at: date(at),
  listId: list_id,
  ...rest,
});

/** A row of `awaitingConfirmation`: the lists as `[list_id, pending since, last confirmation mail]`. */
export interface AwaitingRow {
  id: number | string;
  email: string;
  lang: string;
  lists: [string, string, string | null][];
}

export const toAwaiting = (row: AwaitingRow): AwaitingConfirmation => ({
  subscriberId: Number(row.id),
  email: row.email,
  lang: row.lang,
  lists: row.lists
    .map(([listId, since, lastSent]) => ({ listId, since: date(since), lastSent: optionalDate(lastSent) }))
    .sort((a, b) => a.listId.localeCompare(b.listId)),
});

/** The columns an update sets (besides `updated_at`), with their stored values. */
export function changedColumns(changes: SubscriberChanges): [string, string | null][] {
  const values: [string, string | null][] = [];
  if (changes.name !== undefined) values.push(['name', changes.name]);
  if (changes.lang !== undefined) values.push(['lang', changes.lang]);
  if (changes.status !== undefined) values.push(['status', changes.status]);
  if (changes.statusDetail !== undefined) values.push(['status_detail', changes.statusDetail]);
  if (changes.confirmedAt !== undefined && changes.consent === undefined)
    values.push(['confirmed_at', iso(changes.confirmedAt)]);
  if (changes.consent !== undefined) {
    const c = changes.consent;
    values.push(
      ['consent_source', c.source],
      ['consent_at', iso(c.at)],
      ['consent_ip', c.ip],
      ['consent_detail', c.detail],
      ['confirmed_at', c.confirmedAt && iso(c.confirmedAt)],
    );
  }
  if (changes.press !== undefined) {
    const p = changes.press;
    values.push(
      ['outlet', p.outlet],
      ['beat', JSON.stringify(p.beat)],
      ['consent_by', p.addedBy],
      ['consent_reason', p.reason],
    );
  }
  return values;
}
