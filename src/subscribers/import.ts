import path from 'node:path';
import type { Config } from '../config/types.js';
import { report as diagnostic } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type {
  Subscriber,
  SubscriberRepo,
  Suppression,
  SuppressionReason,
} from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';
import { addressKey, normalizeEmail } from './email.js';
import { applyEnrolments, type EnrolPlan, planEnrolment } from './enrol.js';
import { type CsvRow, readSubscriberCsv } from './import-csv.js';
import { resolveLists, unknownLists } from './lists.js';
import { leaveLists } from './membership.js';

export interface ImportOptions {
  file: string;
  /** How to name the file in messages; default the path as given. */
  shownFile?: string;
  /** Lists for rows without a lists column (or with an empty one). */
  lists?: string[];
  /** The operator states these people have given consent. */
  confirmed?: boolean;
  /** Put suppressed and unsubscribed addresses back (only for people who asked to come back). */
  forceResubscribe?: boolean;
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** Import the valid rows even when some are invalid (they are reported as warnings). */
  skipInvalid?: boolean;
  /** Press lists: why these people are on them, for rows without a reason column. */
  reason?: string;
  /** Press lists: the operator who adds them, kept with the reason. */
  addedBy?: string;
  now: Date;
}

export interface ImportEntry {
  line: number;
  email: string;
  detail?: string;
}

export interface ImportReport {
  file: string;
  /** Data rows read (blank lines not counted). */
  rows: number;
  delimiter: string;
  /** Header names scs does not use. */
  ignoredColumns: string[];
  added: ImportEntry[];
  updated: ImportEntry[];
  unchanged: ImportEntry[];
  /** Put on the suppression list because the file marks them unsubscribed, bounced or complained. */
  suppressed: ImportEntry[];
  /** Left alone: suppressed or unsubscribed addresses (see --force-resubscribe). */
  skipped: ImportEntry[];
  /** Later rows for an address already in the file, merged into its first row. */
  duplicates: ImportEntry[];
  /** One diagnostic per invalid row, with its line. */
  invalid: Diagnostic[];
  /** Subscribers that wait for confirmation after the import. */
  pending: number;
  /** Whether the store was changed. */
  applied: boolean;
  dryRun: boolean;
}

/** Addresses planned and applied together (see importSubscribers). */
const IMPORT_SLICE = 50_000;
/** Addresses planned between two turns of the event loop. */
const PLAN_STEP = 5_000;

type RowStatus = 'confirmed' | 'pending' | 'unsubscribed' | 'bounced' | 'complained';
const ROW_STATUSES: readonly string[] = ['confirmed', 'pending', 'unsubscribed', 'bounced', 'complained'];

interface Candidate {
  line: number;
  email: string;
  /** The address's identity (addressKey): rows in other letter case are the same person. */
  key: string;
  name: string | null;
  lang: string | null;
  lists: string[];
  status: RowStatus | null;
  /** Set when every list of the row is a press list: what a journalist is added with. */
  press?: { outlet: string | null; beat: string[]; reason: string };
}

type RowPlan =
  | { candidate: Candidate; kind: 'enrol'; plan: EnrolPlan }
  | { candidate: Candidate; kind: 'suppress'; reason: SuppressionReason; subscriberId?: number }
  | { candidate: Candidate; kind: 'unchanged' };

/**
 * `scs subscribers import`: validates every row, plans each address, and applies the whole file in one
 * transaction, or nothing when any row is invalid (unless told to skip those) or on a dry run.
 * Importing the same file twice changes nothing the second time.
 */
export async function importSubscribers(
  config: Config,
  store: Store,
  options: ImportOptions,
): Promise<ImportReport> {
  const shown = options.shownFile ?? options.file;
  const csv = readSubscriberCsv(options.file, shown);
  const singleList = Object.keys(config.newsletter.lists).length === 1;
  const defaultLists =
    options.lists?.length || !csv.columns.includes('lists') || singleList
      ? resolveLists(config, options.lists)
      : undefined;

  const report: ImportReport = {
    file: shown,
    rows: csv.rows.length,
    delimiter: csv.delimiter,
    ignoredColumns: csv.ignoredColumns,
    added: [],
    updated: [],
    unchanged: [],
    suppressed: [],
    skipped: [],
    duplicates: [],
    invalid: [],
    pending: 0,
    applied: false,
    dryRun: options.dryRun ?? false,
  };
  const severity = options.skipInvalid ? 'warning' : 'error';
  const invalid = (line: number, problem: string, fix: string) =>
    report.invalid.push(diagnostic('import-row-invalid', { problem, fix, file: shown, line, severity }));

  const readLanguage = languageReader(config);
  const byKey = new Map<string, Candidate>();
  // Taken out of `csv`, so that the rows are garbage once each has become a candidate.
  for (const row of csv.rows.splice(0)) {
    const candidate = validateRow(config, readLanguage, row, defaultLists, invalid, options.reason);
    if (!candidate) continue;
    const first = byKey.get(candidate.key);
    if (!first) {
      byKey.set(candidate.key, candidate);
      continue;
    }
    if (candidate.status !== first.status && candidate.status !== null && first.status !== null) {
      invalid(
        row.line,
        `${candidate.email} has status "${candidate.status}" here but "${first.status}" on line ${first.line}.`,
        'Keep one row per address, or make them agree.',
      );
      continue;
    }
    first.lists = [...new Set([...first.lists, ...candidate.lists])];
    first.name ??= candidate.name;
    first.lang ??= candidate.lang;
    first.status ??= candidate.status;
    report.duplicates.push({
      line: row.line,
      email: candidate.email,
      detail: `merged into line ${first.line}`,
    });
  }

  const blocked = report.invalid.length > 0 && !options.skipInvalid;
  const candidates = [...byKey.values()];
  byKey.clear();
  await store.transaction(async ({ subscribers: repo }) => {
    // In bulk: one read per few thousand addresses, not one per row (a round trip each on a server),
    // all before the first insert (the addresses differ, so what one slice adds no other looks up).
    const stored = await repo.findMany(candidates.map((c) => c.key));
    const suppressed = await repo.suppressions(candidates.map((c) => c.email));
    // Planned and applied a slice at a time: a million plans at once spent their time in GC. Each
    // slice is planned while the store applies the one before (on a server, the two overlap).
    let applying: Promise<void> = Promise.resolve();
    for (let i = 0; i < candidates.length; i += IMPORT_SLICE) {
      const plans: RowPlan[] = [];
      const end = Math.min(i + IMPORT_SLICE, candidates.length);
      // In steps that give the event loop a turn each, so that the slice before, which waits for the
      // server's answers, keeps sending meanwhile (planned in one go, it kept the server idle for it).
      for (let j = i; j < end; j += PLAN_STEP) {
        for (const c of candidates.slice(j, Math.min(j + PLAN_STEP, end))) {
          plans.push(planRow(config, stored.get(c.key), suppressed.get(c.email), c, options, shown));
        }
        await new Promise(setImmediate);
      }
      for (const p of plans) record(report, p);
      if (blocked || report.dryRun) continue;
      await applying;
      applying = applyPlans(repo, plans, options, shown);
      applying.catch(() => {}); // awaited with the next slice; until then a failure is not unhandled
    }
    await applying;
    report.applied = !blocked && !report.dryRun;
    if (report.applied) await repo.refreshStatistics(report.added.length);
  });
  return report;
}

function validateRow(
  config: Config,
  readLanguage: (value: string) => string | undefined,
  row: CsvRow,
  defaultLists: string[] | undefined,
  invalid: (line: number, message: string, hint: string) => void,
  defaultReason: string | undefined,
): Candidate | undefined {
  const f = row.fields;
  if (row.extraFields) {
    invalid(
      row.line,
      `The row has ${row.extraFields} field(s) more than the header.`,
      'A delimiter inside a value needs quotes around the value.',
    );
    return undefined;
  }
  const email = normalizeEmail(f.email ?? '');
  if (!email.ok) {
    invalid(
      row.line,
      `"${f.email ?? ''}" is not a valid email address: ${email.reason}.`,
      'Correct the address or remove the row.',
    );
    return undefined;
  }
  const name = f.name || [f.firstName, f.lastName].filter(Boolean).join(' ');
  if (/[\p{Cc}]/u.test(name)) {
    invalid(row.line, 'The name contains a line break or a control character.', 'Keep the name on one line.');
    return undefined;
  }
  let lang: string | null = null;
  if (f.lang) {
    lang = readLanguage(f.lang) ?? null;
    if (!lang) {
      invalid(
        row.line,
        `"${f.lang}" is not a configured language.`,
        `Use one of ${config.languages.join(', ')}, or leave it empty.`,
      );
      return undefined;
    }
  }
  let status: RowStatus | null = null;
  if (f.status) {
    const s = f.status.toLowerCase();
    if (!ROW_STATUSES.includes(s)) {
      invalid(
        row.line,
        `Unknown status "${f.status}".`,
        `Use one of ${ROW_STATUSES.join(', ')}, or leave it empty.`,
      );
      return undefined;
    }
    status = s as RowStatus;
  }
  let lists = defaultLists;
  if (f.lists) {
    lists = [...new Set(f.lists.split(/[\s,;|]+/).filter(Boolean))];
    const unknown = unknownLists(config, lists);
    if (unknown.length) {
      invalid(
        row.line,
        `Unknown list${unknown.length > 1 ? 's' : ''} ${unknown.map((l) => `"${l}"`).join(', ')}.`,
        `Configured lists: ${Object.keys(config.newsletter.lists).join(', ')}.`,
      );
      return undefined;
    }
  }
  // Someone who left needs no list to be kept away from all of them.
  const leaving = status !== null && status !== 'confirmed' && status !== 'pending';
  if (!lists?.length && !leaving) {
    invalid(row.line, 'The row names no list.', 'Fill in its lists column, or pass --list.');
    return undefined;
  }
  const press = pressFields(config, row, lists ?? [], defaultReason, invalid);
  if (press === false) return undefined;
  return {
    line: row.line,
    email: email.email,
    key: addressKey(email.email),
    name: name || null,
    lang,
    lists: lists ?? [],
    status,
    ...(press ? { press } : {}),
  };
}

/**
 * A row onto press lists only, as `subscribers add` takes it: no double opt-in, so it needs a reason
 * (its own column, or --reason); its beat names configured topics. False: the row is invalid.
 */
function pressFields(
  config: Config,
  row: CsvRow,
  lists: readonly string[],
  defaultReason: string | undefined,
  invalid: (line: number, message: string, hint: string) => void,
): Candidate['press'] | false | undefined {
  const f = row.fields;
  const press = lists.length > 0 && lists.every((l) => config.newsletter.lists[l]?.audience === 'press');
  if (!press) {
    if (f.outlet || f.beat) {
      invalid(
        row.line,
        'Outlet and beat are kept only for press lists.',
        'Put the row on press lists, or leave those cells empty.',
      );
      return false;
    }
    return undefined;
  }
  const reason = f.reason || defaultReason?.trim();
  if (!reason) {
    invalid(
      row.line,
      'A press list has no double opt-in, so the row needs a reason.',
      'Fill in its reason column, or pass --reason "…" for the whole file.',
    );
    return false;
  }
  const beat = [...new Set((f.beat ?? '').split(/[\s,;|]+/).filter(Boolean))];
  const topics = Object.keys(config.topics);
  const unknown = beat.filter((t) => !topics.includes(t));
  if (unknown.length) {
    invalid(
      row.line,
      `Unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')} in the beat.`,
      `Configured topics: ${topics.join(', ') || '(none)'}.`,
    );
    return false;
  }
  return { outlet: f.outlet || null, beat, reason };
}

/**
 * Reads a language cell: "sv", "SV", "sv-SE", "svenska" and "Swedish" all mean sv when sv is configured.
 * Built once per import: the names come from Intl, which is slow to ask row by row.
 */
function languageReader(config: Config): (value: string) => string | undefined {
  const names = new Map<string, string>();
  for (const l of config.languages) {
    for (const name of [
      new Intl.DisplayNames([l], { type: 'language' }).of(l),
      new Intl.DisplayNames(['en'], { type: 'language' }).of(l),
    ])
      if (name) names.set(name.toLowerCase(), l);
    names.set(l.toLowerCase(), l);
  }
  return (value) => {
    const v = value.toLowerCase();
    return names.get(v) ?? names.get(v.split(/[-_]/)[0]!);
  };
}

function planRow(
  config: Config,
  current: Subscriber | undefined,
  suppression: Suppression | undefined,
  c: Candidate,
  options: ImportOptions,
  shown: string,
): RowPlan {
  if (c.status === 'unsubscribed' || c.status === 'bounced' || c.status === 'complained') {
    const done =
      suppression !== undefined &&
      (!current || (current.status !== 'pending' && current.status !== 'confirmed'));
    return done
      ? { candidate: c, kind: 'unchanged' }
      : {
          candidate: c,
          kind: 'suppress',
          reason: c.status,
          ...(current ? { subscriberId: current.id } : {}),
        };
  }
  const plan = planEnrolment(
    current,
    suppression,
    {
      email: c.email,
      name: c.name,
      lang: c.lang,
      defaultLang: config.newsletter.lists[c.lists[0]!]!.lang,
      lists: c.lists,
      confirmed:
        c.status === 'confirmed' ||
        (c.status === null && ((options.confirmed ?? false) || c.press !== undefined)),
      source: 'import',
      ip: null,
      force: options.forceResubscribe ?? false,
      detail: `${path.basename(shown)}:${c.line}`,
    },
    options.now,
  );
  return { candidate: c, kind: 'enrol', plan };
}

function record(report: ImportReport, p: RowPlan): void {
  const entry = { line: p.candidate.line, email: p.candidate.email };
  if (p.kind === 'unchanged') return void report.unchanged.push(entry);
  if (p.kind === 'suppress') return void report.suppressed.push({ ...entry, detail: p.reason });
  const plan = p.plan;
  if (plan.kind === 'skip') report.skipped.push({ ...entry, detail: plan.detail });
  else if (plan.kind === 'add') report.added.push(entry);
  else if (plan.kind === 'update') report.updated.push({ ...entry, detail: plan.what.join(', ') });
  else report.unchanged.push(entry);
  if (plan.kind !== 'skip' && plan.awaiting.length) report.pending++;
}

async function applyPlans(
  repo: SubscriberRepo,
  plans: readonly RowPlan[],
  options: ImportOptions,
  shown: string,
): Promise<void> {
  await applyEnrolments(
    repo,
    plans.flatMap((p) => (p.kind === 'enrol' ? [{ plan: p.plan, email: p.candidate.email }] : [])),
    options.now,
  );
  for (const p of plans) if (p.kind === 'suppress') await applySuppression(repo, p, options.now, shown);
  for (const p of plans)
    if (p.kind === 'enrol' && p.candidate.press) await applyPress(repo, p.candidate, options);
}

/** A journalist's outlet, beat and the consent record, on top of what they had. */
async function applyPress(repo: SubscriberRepo, c: Candidate, options: ImportOptions): Promise<void> {
  if (!c.press) return;
  const current = await repo.find(c.email);
  if (!current) return;
  await repo.update(
    current.id,
    {
      press: {
        outlet: c.press.outlet ?? current.press?.outlet ?? null,
        beat: c.press.beat.length ? c.press.beat : (current.press?.beat ?? []),
        addedBy: options.addedBy ?? null,
        reason: c.press.reason,
      },
    },
    options.now,
  );
}

async function applySuppression(
  repo: SubscriberRepo,
  p: Extract<RowPlan, { kind: 'suppress' }>,
  now: Date,
  shown: string,
): Promise<void> {
  const detail = `${path.basename(shown)}:${p.candidate.line}`;
  if (p.subscriberId !== undefined) {
    await leaveLists(repo, p.subscriberId, 'all', { now, source: 'import', detail });
    if (p.reason !== 'unsubscribed') {
      await repo.update(
        p.subscriberId,
        { status: p.reason as 'bounced' | 'complained', statusDetail: `marked in ${detail}` },
        now,
      );
    }
  }
  await repo.suppress(p.candidate.email, p.reason, now);
}
