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
  /** Releases left out. */
  hidden: number;
  /** When the next release that is not a draft becomes published (after `now`), for schedulers. */
  nextDue?: Date;
}

/** The publishing rules: drafts, future-dated and embargoed releases appear nowhere unless asked for. */
export function selectReleases(releases: readonly Release[], options: SelectOptions): Selection {
  const now = options.now.getTime();
  const visible: Release[] = [];
  let nextDue: Date | undefined;
  for (const r of releases) {
    const due = r.publishAt.getTime() > now;
    if (!r.draft && due && (!nextDue || r.publishAt < nextDue)) nextDue = r.publishAt;
    if (isPublished(r, options.now) || ((!r.draft || options.drafts) && (!due || options.future)))
      visible.push(r);
  }
  return { visible, hidden: releases.length - visible.length, ...(nextDue ? { nextDue } : {}) };
}
