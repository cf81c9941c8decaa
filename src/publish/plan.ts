import type { Config, NewsletterList } from '../config/types.js';
import { isPublished, type Release } from '../content/types.js';
import type { PressMail } from '../email/press.js';
import type { Dispatch, DispatchKind } from '../store/ledger-types.js';
import { listsForRelease } from './select.js';

/**
 * A press mail a dispatch sends instead of the newsletter (briefing, correction, notice): what it says,
 * the key that makes it once-only in the ledger, and whom it goes to.
 */
export interface PressWork {
  kind: Exclude<DispatchKind, 'newsletter'>;
  mail: PressMail;
  /** '' for a briefing; a correction's date; a notice's change ("withdrawn", "embargo:<ISO>"). */
  variant: string;
  /** Kept in the ledger to compare with later: a correction's text, the embargo briefed or announced. */
  detail?: string;
  /** The dispatch whose `sent` recipients this one goes to (a correction, a notice); else the list's members. */
  audienceOf?: Dispatch;
}

/** A dispatch to start (no `existing`) or to resume (an unfinished one). */
export interface PlannedDispatch {
  release: Release;
  list: NewsletterList;
  existing?: Dispatch;
  /** Absent for the newsletter. */
  press?: PressWork;
}

export type SkipReason =
  | 'already-sent'
  | 'newsletter-off'
  | 'release-withdrawn'
  | 'no-list'
  | 'withdrawn'
  | 'briefed';

export interface SkippedDispatch {
  releaseId: string;
  listId?: string;
  reason: SkipReason;
}

export interface PublishPlan {
  /** In the order to send: notices, briefings, newsletters (resumed first), corrections. */
  dispatches: PlannedDispatch[];
  /** Due releases not mailed, and why (only those within `newsletter.maxAge`, and withdrawn dispatches). */
  skipped: SkippedDispatch[];
  /** Published releases never dispatched that are older than `newsletter.maxAge`: never mailed by publish. */
  tooOld: string[];
}

const key = (releaseId: string, listId: string) => `${releaseId}\n${listId}`;

/** A correction's date names its dispatch; a notice's variant names the change it announces. */
const NOTICE_WITHDRAWN = 'withdrawn';
const EMBARGO_NOTICE = 'embargo:';

/**
 * What `scs publish` sends at `now` (pure): every published release with the newsletter on, to each list
 * of its language (and topics), unless a dispatch over this transport exists; releases published longer
 * ago than `newsletter.maxAge` are never started, so a first run over an old archive mails nothing old.
 * Unfinished dispatches (interrupted, paused) are resumed whatever their age. Beside the newsletters, the
 * press office's mails (`pressWork`): briefings, notices and corrections.
 */
export function planPublish(
  config: Config,
  releases: readonly Release[],
  dispatches: readonly Dispatch[],
  now: Date,
): PublishPlan {
  const newsletters = dispatches.filter((d) => d.kind === 'newsletter');
  const existing = new Map(newsletters.map((d) => [key(d.releaseId, d.listId), d]));
  const briefed = new Set(
    dispatches.filter((d) => d.kind === 'briefing').map((d) => key(d.releaseId, d.listId)),
  );
  const oldest = now.getTime() - config.newsletter.maxAgeMs;
  const plan: PublishPlan = { dispatches: [], skipped: [], tooOld: [] };
  const resumed = new Set<Dispatch>();
  const fresh: PlannedDispatch[] = [];
  const due = releases
    .filter((r) => isPublished(r, now))
    .sort((a, b) => a.publishAt.getTime() - b.publishAt.getTime() || a.id.localeCompare(b.id));
  for (const release of due) {
    const recent = release.publishAt.getTime() >= oldest;
    const lists = listsForRelease(config, release);
    // Withdrawn: never mailed, and a dispatch it had under way is not resumed.
    if (release.withdrawn) {
      if (recent) plan.skipped.push({ releaseId: release.id, reason: 'release-withdrawn' });
      continue;
    }
    if (!release.newsletter) {
      if (recent) plan.skipped.push({ releaseId: release.id, reason: 'newsletter-off' });
      continue;
    }
    if (!lists.length && recent) plan.skipped.push({ releaseId: release.id, reason: 'no-list' });
    let old = false;
    for (const list of lists) {
      const found = existing.get(key(release.id, list.id));
      if (found && found.state !== 'done') {
        resumed.add(found);
        plan.dispatches.push({ release, list, existing: found });
      } else if (found) {
        if (recent) plan.skipped.push({ releaseId: release.id, listId: list.id, reason: 'already-sent' });
      } else if (briefed.has(key(release.id, list.id))) {
        // The journalists had it before the embargo: the public newsletter would be the same twice.
        if (recent) plan.skipped.push({ releaseId: release.id, listId: list.id, reason: 'briefed' });
      } else if (recent) fresh.push({ release, list });
      else old = true;
    }
    if (old) plan.tooOld.push(release.id);
  }
  plan.dispatches.push(...fresh);
  for (const d of newsletters) {
    if (d.state !== 'done' && !resumed.has(d))
      plan.skipped.push({ releaseId: d.releaseId, listId: d.listId, reason: 'withdrawn' });
  }
  const press = pressWork(config, releases, dispatches, now);
  plan.dispatches = [...press.notices, ...press.briefings, ...plan.dispatches, ...press.corrections];
  return plan;
}

/** The press lists a release is briefed to: its language, and a topic in common when the list names topics. */
function pressListsFor(config: Config, release: Release): NewsletterList[] {
  return listsForRelease(config, release).filter((l) => l.audience === 'press');
}

/** When the briefing of a release may start: `prebrief` before the embargo (`true`: at once). */
export function briefingStart(release: Release): Date | undefined {
  if (!release.embargo || release.prebrief === undefined) return undefined;
  return release.prebrief === true ? new Date(0) : new Date(release.embargo.getTime() - release.prebrief);
}

/**
 * The press office's mails due at `now` (pure), each once: a release with `prebrief` is briefed to its
 * press lists from `briefingStart` until the embargo; the journalists a briefing reached hear once of
 * each later embargo and of a withdrawal; everyone a release (or its briefing) was sent to gets each
 * correction it did not carry yet. Unfinished ones are resumed. Corrections and notices wait until the
 * mail they follow is finished, so that they go to everyone it reached.
 */
function pressWork(config: Config, releases: readonly Release[], dispatches: readonly Dispatch[], now: Date) {
  const lists = config.newsletter.lists;
  const byRelease = new Map<string, Dispatch[]>();
  for (const d of dispatches) byRelease.set(d.releaseId, [...(byRelease.get(d.releaseId) ?? []), d]);
  const notices: PlannedDispatch[] = [];
  const briefings: PlannedDispatch[] = [];
  const corrections: PlannedDispatch[] = [];
  for (const release of releases) {
    if (release.draft) continue;
    const own = byRelease.get(release.id) ?? [];
    const find = (listId: string, kind: DispatchKind, variant: string) =>
      own.find((d) => d.listId === listId && d.kind === kind && d.variant === variant);
    /** Plans it unless it is done; resumes it when unfinished. */
    const add = (to: PlannedDispatch[], list: NewsletterList, work: PressWork) => {
      const found = find(list.id, work.kind, work.variant);
      if (found?.state === 'done') return;
      to.push({ release, list, press: work, ...(found ? { existing: found } : {}) });
    };

    for (const b of own.filter((d) => d.kind === 'briefing' && d.state === 'done')) {
      const list = lists[b.listId];
      if (!list) continue;
      if (release.withdrawn) {
        add(notices, list, {
          kind: 'notice',
          mail: { kind: 'notice', change: 'withdrawn' },
          variant: NOTICE_WITHDRAWN,
          audienceOf: b,
        });
        continue;
      }
      // The latest embargo the journalists were told of: the briefing's, or a notice's since.
      const told = Math.max(
        Date.parse(b.detail ?? '') || 0,
        ...own
          .filter((d) => d.kind === 'notice' && d.listId === b.listId && d.variant.startsWith(EMBARGO_NOTICE))
          .map((d) => Date.parse(d.variant.slice(EMBARGO_NOTICE.length)) || 0),
      );
      // A briefing that does not say which embargo it carried cannot tell a move.
      if (b.detail !== null && release.embargo && release.embargo.getTime() > told) {
        const iso = release.embargo.toISOString();
        add(notices, list, {
          kind: 'notice',
          mail: { kind: 'notice', change: { embargo: release.embargo } },
          variant: `${EMBARGO_NOTICE}${iso}`,
          detail: iso,
          audienceOf: b,
        });
      }
    }

    const start = briefingStart(release);
    if (start && release.embargo && !release.withdrawn) {
      const open = now >= start && now < release.embargo;
      for (const list of pressListsFor(config, release)) {
        const found = find(list.id, 'briefing', '');
        if (found ? found.state === 'done' : !open) continue;
        add(briefings, list, {
          kind: 'briefing',
          mail: { kind: 'briefing', embargo: release.embargo },
          variant: '',
          detail: release.embargo.toISOString(),
        });
      }
    }

    if (release.withdrawn || !release.corrections?.length) continue;
    for (const d of own.filter(
      (d) => (d.kind === 'newsletter' || d.kind === 'briefing') && d.state === 'done',
    )) {
      const list = lists[d.listId];
      if (!list) continue;
      for (const c of release.corrections) {
        if (c.date > now) continue;
        // The version mailed carried the corrections made before it (a ledger from before scs knew
        // corrections: those dated before its planning).
        if (d.covers ? d.covers.includes(c.localDate) : c.date < d.plannedAt) continue;
        add(corrections, list, {
          kind: 'correction',
          mail: { kind: 'correction', correction: c },
          variant: c.localDate,
          detail: c.text,
          audienceOf: d,
        });
      }
    }
  }
  return { notices, briefings, corrections };
}
