import type { DeliveryCounts, Dispatch } from '../store/ledger-types.js';

/** One kind of mail of a release, over all its lists: how many were sent, and when the last finished. */
export interface MailSummary {
  sent: number;
  /** When the last of its dispatches finished (or started, while one is under way). */
  at: Date | null;
}

/** What `scs status` says of a release first: briefed, the public newsletter, corrections, notices. */
export interface ReleaseSummary {
  releaseId: string;
  briefed?: MailSummary;
  newsletter?: MailSummary;
  /** By the correction's date, oldest first. */
  corrections: (MailSummary & { date: string })[];
  /** By change ("withdrawn", "embargo:<ISO>"). */
  notices: (MailSummary & { change: string })[];
}

/** Sums the dispatches (newest first, as the ledger lists them) per release and kind of mail. */
export function releaseSummaries(
  dispatches: readonly { dispatch: Dispatch; counts: DeliveryCounts }[],
): ReleaseSummary[] {
  const out = new Map<string, ReleaseSummary>();
  const add = (into: MailSummary | undefined, d: Dispatch, counts: DeliveryCounts): MailSummary => {
    const at = d.finishedAt ?? d.startedAt;
    const later = !into?.at || (at !== null && at > into.at);
    return { sent: (into?.sent ?? 0) + counts.sent, at: later ? at : into.at };
  };
  for (const { dispatch: d, counts } of dispatches) {
    const s = out.get(d.releaseId) ?? { releaseId: d.releaseId, corrections: [], notices: [] };
    out.set(d.releaseId, s);
    if (d.kind === 'briefing') s.briefed = add(s.briefed, d, counts);
    else if (d.kind === 'newsletter') s.newsletter = add(s.newsletter, d, counts);
    else {
      const list = d.kind === 'correction' ? s.corrections : s.notices;
      const i = list.findIndex((x) => ('date' in x ? x.date : x.change) === d.variant);
      const summed = add(i < 0 ? undefined : list[i], d, counts);
      const entry =
        d.kind === 'correction' ? { ...summed, date: d.variant } : { ...summed, change: d.variant };
      if (i < 0) (list as MailSummary[]).push(entry);
      else (list as MailSummary[])[i] = entry;
    }
  }
  const summaries = [...out.values()];
  for (const s of summaries) s.corrections.sort((a, b) => a.date.localeCompare(b.date));
  return summaries;
}
