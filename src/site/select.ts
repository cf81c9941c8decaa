import { isPublished, type Release } from '../content/types.js';

export interface SelectOptions {
  now: Date;
  /** Show drafts too. */
  drafts?: boolean;
  /** Show releases whose date or embargo has not come yet. */
  future?: boolean;
}

export interface Selection {
  /** What the archive shows, newest first (the order of the input). */
  visible: Release[];
  /** Withdrawn releases that would be shown: their pages become notices, and they appear nowhere else. */
  withdrawn: Release[];
  /** Releases left out. */
  hidden: number;
  /** When the next release that is not a draft becomes published (after `now`), for schedulers. */
  nextDue?: Date;
}

/**
 * The publishing rules: drafts, future-dated and embargoed releases appear nowhere unless asked for;
 * withdrawn ones appear only as their notice.
 */
export function selectReleases(releases: readonly Release[], options: SelectOptions): Selection {
  const now = options.now.getTime();
  const visible: Release[] = [];
  const withdrawn: Release[] = [];
  let nextDue: Date | undefined;
  for (const r of releases) {
    const due = r.publishAt.getTime() > now;
    if (!r.draft && due && (!nextDue || r.publishAt < nextDue)) nextDue = r.publishAt;
    if (isPublished(r, options.now) || ((!r.draft || options.drafts) && (!due || options.future)))
      (r.withdrawn ? withdrawn : visible).push(r);
  }
  const hidden = releases.length - visible.length - withdrawn.length;
  return { visible, withdrawn, hidden, ...(nextDue ? { nextDue } : {}) };
}
