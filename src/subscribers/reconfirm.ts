import type { Config } from '../config/types.js';
import type { Transport } from '../delivery/transport.js';
import type { AwaitingConfirmation } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';
import { recordConfirmationSent, sendConfirmation } from './confirmation.js';
import { checkListsKnown } from './lists.js';
import { resolveSecret } from '../config/secret.js';

export interface ReconfirmOptions {
  /** Only these lists (default: every list). */
  lists?: readonly string[];
  /** Only memberships pending for longer than this (milliseconds). */
  olderThanMs?: number;
  /** Decide and report, but send and record nothing. */
  dryRun?: boolean;
  now: Date;
  /** Where the mails go; not used on a dry run. */
  transport?: Transport;
}

export interface ReconfirmEntry {
  email: string;
  /** The lists the mail asks about (for `outstanding` and `tooRecent`: the lists left alone). */
  lists: string[];
  /** For `failed`: the server's answer. */
  response?: string;
}

export interface ReconfirmReport {
  dryRun: boolean;
  /** Mailed (on a dry run: who would be). */
  sent: ReconfirmEntry[];
  /** A confirmation mail about each of their lists went out within the link's lifetime. */
  outstanding: ReconfirmEntry[];
  /** Pending for less than `olderThanMs`. */
  tooRecent: ReconfirmEntry[];
  /** The transport refused the mail; they stay due for the next run. */
  failed: ReconfirmEntry[];
}

type Plan = {
  kind: keyof Omit<ReconfirmReport, 'dryRun' | 'failed'>;
  entry: AwaitingConfirmation;
  lists: string[];
};

/**
 * Decides, as data, what one pending person gets: the lists to ask about are those selected, pending
 * for long enough, and with no confirmation mail whose link is still valid.
 */
function plan(config: Config, person: AwaitingConfirmation, options: ReconfirmOptions): Plan | undefined {
  const now = options.now.getTime();
  const selected = person.lists.filter((l) => !options.lists?.length || options.lists.includes(l.listId));
  if (!selected.length) return undefined;
  const due = selected.filter(
    (l) => !l.lastSent || now - l.lastSent.getTime() >= config.newsletter.confirmTokenTtlMs,
  );
  const ids = (ls: typeof selected) => ls.map((l) => l.listId);
  if (!due.length) return { kind: 'outstanding', entry: person, lists: ids(selected) };
  const olderThan = options.olderThanMs;
  const old = olderThan === undefined ? due : due.filter((l) => now - l.since.getTime() > olderThan);
  if (!old.length) return { kind: 'tooRecent', entry: person, lists: ids(due) };
  return { kind: 'sent', entry: person, lists: ids(old) };
}

/**
 * `scs subscribers reconfirm`: one confirmation mail to each person whose pending lists have none
 * outstanding (imported without --confirmed, or whose link expired), never two within a link's lifetime
 * (`newsletter.confirmTokenTtl`). Suppressed, unsubscribed and erased people are never among them. The
 * mails go one after another through one transport, so SMTP connections are reused.
 */
export async function reconfirmSubscribers(
  config: Config,
  store: Store,
  options: ReconfirmOptions,
): Promise<ReconfirmReport> {
  if (options.lists?.length) checkListsKnown(config, options.lists);
  const report: ReconfirmReport = {
    dryRun: options.dryRun ?? false,
    sent: [],
    outstanding: [],
    tooRecent: [],
    failed: [],
  };
  const due: Plan[] = [];
  for (const person of await store.subscribers.awaitingConfirmation()) {
    const p = plan(config, person, options);
    if (!p) continue;
    if (p.kind === 'sent') due.push(p);
    else report[p.kind].push({ email: person.email, lists: p.lists });
  }
  if (report.dryRun || !due.length) {
    report.sent = due.map((p) => ({ email: p.entry.email, lists: p.lists }));
    return report;
  }
  const transport = options.transport;
  if (!transport) throw new Error('reconfirmSubscribers: a transport is needed unless dryRun');
  const { secret } = resolveSecret(config);
  // The server refusing us (credentials, sender, TLS) would refuse every other mail too.
  let refused: string | undefined;
  for (const { entry, lists } of due) {
    if (refused !== undefined) {
      report.failed.push({ email: entry.email, lists, response: refused });
      continue;
    }
    const request = { subscriberId: entry.subscriberId, email: entry.email, lang: entry.lang, lists };
    const result = await sendConfirmation(config, secret, transport, request, options.now);
    if (result.ok) {
      await store.transaction((tx) =>
        recordConfirmationSent(tx.subscribers, request, 'reconfirm', options.now),
      );
      report.sent.push({ email: entry.email, lists });
    } else {
      report.failed.push({ email: entry.email, lists, response: result.response });
      if (result.scope === 'sender') refused = result.response;
    }
  }
  return report;
}
