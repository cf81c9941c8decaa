import type { Config, NewsletterList } from '../config/types.js';
import { isPublished, type Release } from '../content/types.js';
import type { Dispatch } from '../store/ledger-types.js';
import { listsForRelease } from './select.js';

/** A dispatch to start (no `existing`) or to resume (an unfinished one). */
export interface PlannedDispatch {
  release: Release;
  list: NewsletterList;
  existing?: Dispatch;
}

export type SkipReason = 'already-sent' | 'newsletter-off' | 'release-withdrawn' | 'no-list' | 'withdrawn';

export interface SkippedDispatch {
  releaseId: string;
  listId?: string;
  reason: SkipReason;
}

export interface PublishPlan {
  dispatches: PlannedDispatch[];
  /** Due releases not mailed, and why (only those within `newsletter.maxAge`, and withdrawn dispatches). */
  skipped: SkippedDispatch[];
  /** Published releases never dispatched that are older than `newsletter.maxAge`: never mailed by publish. */
  tooOld: string[];
}

const key = (releaseId: string, listId: string) => `${releaseId}\n${listId}`;

/**
 * What `scs publish` sends at `now` (pure): every published release with the newsletter on, to each list
 * of its language (and topics), unless a dispatch over this transport exists; releases published longer
 * ago than `newsletter.maxAge` are never started, so a first run over an old archive mails nothing old.
 * Unfinished dispatches (interrupted, paused) are resumed whatever their age.
 */
export function planPublish(
  config: Config,
  releases: readonly Release[],
  dispatches: readonly Dispatch[],
  now: Date,
): PublishPlan {
  const newsletters = dispatches.filter((d) => d.kind === 'newsletter');
  const existing = new Map(newsletters.map((d) => [key(d.releaseId, d.listId), d]));
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
  return plan;
}
