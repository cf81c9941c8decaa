import { linkTimingRules } from '../content/links.js';
import type { Config } from '../config/types.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import { checkReleases } from '../content/load.js';
import { describeTransport } from '../delivery/create-transport.js';
import { buildSite } from '../site/build.js';
import { correctionsInFuture } from '../content/corrections.js';
import type { Dispatch, LockHolder } from '../store/ledger-types.js';
import { openStore, storeExists } from '../store/open.js';
import { deliver, deliverySettings, notStarted, type Rendered, renderPlannedMail } from './deliver.js';
import { dryRunReports } from './dry-run.js';
import { checkSentCorrections } from './sent-corrections.js';
import { exampleDomainProblems } from './example-domains.js';
import {
  briefingStart,
  planPublish,
  type PlannedDispatch,
  type PublishPlan,
  type SkippedDispatch,
} from './plan.js';
import type { Release } from '../content/types.js';
import { openSendingRun } from './sending-run.js';
import type { DeliveryRunOptions, DispatchReport, RecoveredDispatch, TransportInfo } from './types.js';

export interface PublishOptions extends DeliveryRunOptions {
  /** What is due is decided at this time (`--now`). */
  now: Date;
  /** Check and plan only: nothing is built, written or sent. */
  dryRun?: boolean;
}

export interface PublishResult {
  /** False when the check or the build failed, or a dispatch did not finish (paused, stopped, not started). */
  ok: boolean;
  now: Date;
  dryRun: boolean;
  diagnostics: Diagnostic[];
  checkedFiles: number;
  /** The archive as built (absent in a dry run, or when the check failed). */
  site?: { outDir: string; pages: number; written: number };
  /**
   * When to run again at the latest, for a scheduler: the next release to come due (an embargo, a future
   * date) or, when earlier, the retry of a paused dispatch.
   */
  nextDue?: Date;
  nextDueReason?: 'release' | 'briefing' | 'retry';
  transport: TransportInfo;
  /** Another run holds the dispatch lock: this one did nothing (it will do the work). */
  busy?: LockHolder;
  /** The holder of a stale lock this run took over. */
  tookOverFrom?: LockHolder;
  recovered: RecoveredDispatch[];
  dispatches: DispatchReport[];
  skipped: SkippedDispatch[];
  /** Published releases never mailed because they are older than `newsletter.maxAge`. */
  tooOld: string[];
}

/** When the next briefing window opens after `now`, for a scheduler. */
function nextBriefing(releases: readonly Release[], now: Date): Date | undefined {
  let next: Date | undefined;
  for (const r of releases) {
    const start = !r.draft && !r.withdrawn ? briefingStart(r) : undefined;
    if (start && start > now && !(next && next <= start)) next = start;
  }
  return next;
}

/** The current transport's dispatches, read without creating a database that does not exist yet. */
async function existingDispatches(config: Config, kind: TransportInfo['kind']): Promise<Dispatch[]> {
  if (!storeExists(config)) return [];
  const store = await openStore(config);
  try {
    return (await store.ledger.list()).filter((d) => d.transport === kind);
  } finally {
    await store.close();
  }
}

/**
 * The newsletter of every planned dispatch, rendered and validated once (deliver sends these), before
 * any page is written: a release that cannot be mailed is not published at all (its page would go live
 * without its newsletter), while the others go on. A dispatch begun earlier has its page out already:
 * it is not held, and is reported as not started when its newsletter does not render.
 */
async function renderPlanned(config: Config, planned: readonly PlannedDispatch[], now: Date) {
  const rendered = new Map<PlannedDispatch, Rendered>();
  for (const p of planned) rendered.set(p, await renderPlannedMail(config, p, now));
  // Only a newsletter holds its page back: a press mail that cannot be rendered is reported as not
  // started, and the page goes out as it would without it.
  const first = (p: PlannedDispatch) => !p.existing && !p.press;
  const withheld = new Set(
    planned.filter((p) => first(p) && !rendered.get(p)!.template).map((p) => p.release),
  );
  const held = (p: PlannedDispatch) => first(p) && withheld.has(p.release);
  return {
    rendered,
    withheld,
    /** The dispatches to go on with. */
    sendable: planned.filter((p) => !held(p)),
    /** The dispatches of withheld releases, reported as not started. */
    heldReports: (kind: TransportInfo['kind']) =>
      planned
        .filter(held)
        .map((p) =>
          notStarted(
            p,
            kind,
            'its newsletter could not be rendered, so the release is not published',
            rendered.get(p)!.diagnostics,
          ),
        ),
  };
}

/**
 * `scs publish`, the one command to run on a schedule: check every release (stop on errors), plan, render
 * and validate every newsletter to send, build the archive without the releases whose newsletter cannot
 * be sent, then send the newsletter of every release that has come due and was not sent yet over this
 * transport (see `planPublish`), resuming unfinished dispatches first. Another run holding the lock makes
 * this one a no-op, so overlapping scheduled runs are harmless.
 */
export async function publish(config: Config, options: PublishOptions): Promise<PublishResult> {
  const transport = describeTransport(config);
  const checked = await checkReleases(config);
  const result: PublishResult = {
    ok: false,
    now: options.now,
    dryRun: !!options.dryRun,
    // Sending for real from the example's config would mail readers links and a sender that do not exist.
    diagnostics: [
      ...exampleDomainProblems(config),
      ...checked.diagnostics,
      ...linkTimingRules(config, checked.releases, options.now),
      ...correctionsInFuture(checked.releases, options.now, config.timeZone),
      ...(await checkSentCorrections(config, checked.releases)),
    ],
    checkedFiles: checked.files.length,
    transport,
    recovered: [],
    dispatches: [],
    skipped: [],
    tooOld: [],
  };
  if (hasErrors(result.diagnostics)) return result;
  const adopt = (plan: PublishPlan) => {
    result.skipped = plan.skipped;
    result.tooOld = plan.tooOld;
  };

  if (options.dryRun) {
    const plan = planPublish(
      config,
      checked.releases,
      await existingDispatches(config, transport.kind),
      options.now,
    );
    adopt(plan);
    const mail = await renderPlanned(config, plan.dispatches, options.now);
    result.dispatches = [
      ...mail.heldReports(transport.kind),
      ...(await dryRunReports(config, mail.sendable)),
    ];
    result.diagnostics.push(...result.dispatches.flatMap((d) => d.diagnostics));
    result.ok = !hasErrors(result.diagnostics);
    return result;
  }

  const opened = await openSendingRun(config, { ...options, command: 'scs publish' });
  if (!opened.ok) {
    result.busy = opened.holder;
    result.ok = true;
    return result;
  }
  const { run } = opened;
  try {
    if (run.lock.tookOverFrom) result.tookOverFrom = run.lock.tookOverFrom;
    result.recovered = run.recovered;
    const plan = planPublish(
      config,
      checked.releases,
      (await run.store.ledger.list()).filter((d) => d.transport === run.transport.kind),
      options.now,
    );
    adopt(plan);
    const mail = await renderPlanned(config, plan.dispatches, options.now);
    const built = await buildSite(config, {
      now: options.now,
      releases: checked.releases.filter((r) => !mail.withheld.has(r)),
    });
    result.diagnostics.push(...built.diagnostics);
    result.site = { outDir: built.outDir, pages: built.pages, written: built.written };
    if (built.nextDue) {
      result.nextDue = built.nextDue;
      result.nextDueReason = 'release';
    }
    const briefing = nextBriefing(checked.releases, options.now);
    if (briefing && !(result.nextDue && result.nextDue <= briefing)) {
      result.nextDue = briefing;
      result.nextDueReason = 'briefing';
    }
    // Newsletters link to the archive: without the pages, nothing is sent.
    if (!built.ok || hasErrors(built.diagnostics)) return result;
    result.dispatches = [
      ...mail.heldReports(transport.kind),
      ...(await deliver(config, run, mail.sendable, {
        ...options,
        settings: deliverySettings(config, {}),
        rendered: mail.rendered,
      })),
    ];
  } finally {
    await run.close();
  }
  result.diagnostics.push(...result.dispatches.flatMap((d) => d.diagnostics));
  result.ok = !hasErrors(result.diagnostics) && result.dispatches.every((d) => d.state === 'done');
  for (const { retryAt } of result.dispatches) {
    if (retryAt && !(result.nextDue && result.nextDue <= retryAt)) {
      result.nextDue = retryAt;
      result.nextDueReason = 'retry';
    }
  }
  return result;
}
