import type { Subscriber } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';
import { defuseFormula } from './csv.js';

export type ExportFormat = 'csv' | 'json';

const EXPORT_COLUMNS = [
  'email',
  'name',
  'language',
  'status',
  'lists',
  'consent_source',
  'consent_at',
  'consent_ip',
  'consent_detail',
  'confirmed_at',
  'created_at',
] as const;

const iso = (d: Date | null) => (d ? d.toISOString() : '');
/**
 * The lists a re-import should put the person on with their status: the active ones, or for someone
 * still pending the ones they asked for. (A confirmed person's unconfirmed extra list is left out rather
 * than turned active; the JSON export has every membership.)
 */
const csvLists = (s: Subscriber) =>
  s.subscriptions
    .filter((m) => m.status === (s.status === 'pending' ? 'pending' : 'active'))
    .map((m) => m.listId)
    .join(' ');

/** One subscriber as a flat record; `scs subscribers import` reads this layout back. */
function exportRecord(s: Subscriber): Record<(typeof EXPORT_COLUMNS)[number], string> {
  return {
    email: s.email,
    name: s.name ?? '',
    language: s.lang,
    status: s.status,
    lists: csvLists(s),
    consent_source: s.consent.source,
    consent_at: iso(s.consent.at),
    consent_ip: s.consent.ip ?? '',
    consent_detail: s.consent.detail ?? '',
    confirmed_at: iso(s.consent.confirmedAt),
    created_at: iso(s.createdAt),
  };
}

/** RFC 4180 quoting, only where needed, of a cell that cannot be taken for a formula. */
function csvField(cell: string): string {
  const value = defuseFormula(cell);
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A subscriber as JSON, with every membership and the whole consent record. */
export function subscriberJson(s: Subscriber) {
  return {
    email: s.email,
    name: s.name,
    language: s.lang,
    status: s.status,
    statusDetail: s.statusDetail,
    consent: {
      source: s.consent.source,
      at: s.consent.at.toISOString(),
      ip: s.consent.ip,
      detail: s.consent.detail,
      confirmedAt: s.consent.confirmedAt?.toISOString() ?? null,
    },
    press: s.press,
    lists: s.subscriptions.map((m) => ({
      id: m.listId,
      status: m.status,
      since: m.createdAt.toISOString(),
      updatedAt: m.updatedAt.toISOString(),
    })),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * `scs subscribers export`: the stored subscribers (of one list, or all), streamed as text chunks so
 * that a large list never sits in memory at once.
 */
export async function* exportSubscribers(
  store: Store,
  options: { listId?: string; format: ExportFormat },
): AsyncGenerator<string> {
  const rows = store.subscribers.list(options.listId ? { listId: options.listId } : {});
  if (options.format === 'csv') {
    yield `${EXPORT_COLUMNS.join(',')}\r\n`;
    for await (const s of rows) {
      const r = exportRecord(s);
      yield `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
    }
    return;
  }
  let first = true;
  yield '[';
  for await (const s of rows) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(subscriberJson(s))}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
