import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { runDispatch, type DispatchSettings } from '../delivery/run-dispatch.js';
import { renderNewsletter } from '../email/render.js';
import { DELIVERY_STATUSES, type DeliveryCounts } from '../store/ledger-types.js';
import { resolveSecret } from '../config/secret.js';
import { messageBuilder } from './messages.js';
import type { PlannedDispatch } from './plan.js';
import type { SendingRun } from './sending-run.js';
import type { DeliveryRunOptions, DispatchReport } from './types.js';

/** A newsletter as `renderNewsletter` makes it: the template, or the reasons there is none. */
export type Rendered = Awaited<ReturnType<typeof renderNewsletter>>;

export const noCounts = (): DeliveryCounts =>
  Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
export const noRun = () => ({ sent: 0, failed: 0, skipped: 0, retried: 0, bounced: 0 });

/** The config's delivery settings with the command line's `rate` and `concurrency` over them. */
export function deliverySettings(
  config: Config,
  overrides: { rate?: number; concurrency?: number },
): DispatchSettings {
  const d = config.newsletter.delivery;
  return {
    concurrency: overrides.concurrency ?? d.concurrency,
    rate: overrides.rate ?? d.rate,
    maxAttempts: d.maxAttempts,
    retryBaseMs: d.retryBaseMs,
  };
}

/**
 * When a paused dispatch is worth resuming: its first retry (now, if that is past), or, when nobody waits
 * for one (the server refused us), the first retry delay from now.
 */
function retryTime(firstRetry: Date | undefined, now: Date, retryBaseMs: number): Date {
  if (!firstRetry) return new Date(now.getTime() + retryBaseMs);
  return firstRetry > now ? firstRetry : now;
}

/** What a press mail's report says it is (nothing for the newsletter). */
export const pressKey = (p: PlannedDispatch) =>
  p.press ? { kind: p.press.kind, ...(p.press.variant ? { variant: p.press.variant } : {}) } : {};

/** A planned dispatch's newsletter or press mail, rendered once. */
export const renderPlannedMail = (config: Config, p: PlannedDispatch, now: Date) =>
  renderNewsletter(config, p.release, {
    listId: p.list.id,
    now,
    ...(p.press ? { press: p.press.mail } : {}),
  });

/** The report for a dispatch that did not run, and why. */
export function notStarted(
  p: PlannedDispatch,
  transport: DispatchReport['transport'],
  reason: string,
  diagnostics: Diagnostic[] = [],
): DispatchReport {
  return {
    releaseId: p.release.id,
    listId: p.list.id,
    ...pressKey(p),
    lang: p.release.lang,
    transport,
    ...(p.existing ? { dispatchId: p.existing.id, subject: p.existing.subject } : {}),
    start: p.existing ? 'resumed' : 'new',
    state: 'not-started',
    reason,
    total: p.existing?.total ?? 0,
    counts: noCounts(),
    run: noRun(),
    requeued: 0,
    added: 0,
    elapsedMs: 0,
    diagnostics,
  };
}

/**
 * Sends the planned dispatches one after the other, in a run holding the dispatch lock. Each is
 * rendered once, snapshotted into the ledger (when new) and sent. When one pauses or is stopped, the
 * rest wait for the next run: whatever stopped it would hit them too.
 */
export async function deliver(
  config: Config,
  run: SendingRun,
  planned: readonly PlannedDispatch[],
  options: DeliveryRunOptions & {
    now: Date;
    settings: DispatchSettings;
    resendUncertain?: boolean;
    /** Add the list's new subscribers to an existing dispatch (`scs send`; `scs publish` keeps the snapshot). */
    topUp?: boolean;
    /** Newsletters rendered already (by `scs publish`, before it built the pages); others are rendered here. */
    rendered?: ReadonlyMap<PlannedDispatch, Rendered>;
  },
): Promise<DispatchReport[]> {
  const { store, transport } = run;
  const { ledger } = store;
  const clock = options.clock ?? (() => new Date());
  const { secret } = resolveSecret(config);
  const reports: DispatchReport[] = [];
  let halted: string | undefined;
  for (const p of planned) {
    if (halted) {
      reports.push(notStarted(p, transport.kind, `waits for the next run: ${halted}`));
      continue;
    }
    const rendered = options.rendered?.get(p) ?? (await renderPlannedMail(config, p, options.now));
    const diagnostics = [...rendered.diagnostics];
    if (!rendered.template) {
      reports.push(notStarted(p, transport.kind, 'the newsletter could not be rendered', diagnostics));
      continue;
    }
    const template = rendered.template;
    if (p.existing && p.existing.releaseHash !== p.release.hash) {
      diagnostics.push(
        report('release-changed-during-dispatch', {
          id: p.release.id,
          list: p.list.id,
          file: p.release.file,
        }),
      );
    }
    const now = clock();
    const domain = template.domain;
    const added =
      p.existing && options.topUp
        ? await ledger.addRecipients(p.existing.id, { list: p.list.id }, now, domain)
        : 0;
    const dispatch = p.existing
      ? added
        ? (await ledger.get(p.existing.id))!
        : p.existing
      : await ledger.createDispatch(
          {
            releaseId: p.release.id,
            lang: p.release.lang,
            listId: p.list.id,
            transport: transport.kind,
            subject: template.subject,
            releaseHash: p.release.hash,
            ...(p.press
              ? { kind: p.press.kind, variant: p.press.variant, detail: p.press.detail ?? null }
              : {}),
            // What the mailed version already says: those corrections are not mailed again.
            ...(p.press?.kind === 'correction' || p.press?.kind === 'notice'
              ? {}
              : { covers: (p.release.corrections ?? []).map((c) => c.localDate) }),
          },
          // A correction or a notice goes to exactly those the mail it follows was sent to.
          p.press?.audienceOf ? { sentIn: p.press.audienceOf.id } : { list: p.list.id },
          now,
          domain,
        );
    // A dispatch planned by an earlier scs may have recipients without one; every attempt needs the same.
    if (p.existing) await ledger.assignMessageIds(dispatch.id, domain);
    const requeued = options.resendUncertain ? await ledger.requeueUncertain(dispatch.id, now) : 0;
    const base = {
      releaseId: dispatch.releaseId,
      listId: dispatch.listId,
      ...pressKey(p),
      lang: dispatch.lang,
      transport: dispatch.transport,
      subject: dispatch.subject,
      dispatchId: dispatch.id,
      start: p.existing
        ? p.existing.state === 'done'
          ? ('finished' as const)
          : ('resumed' as const)
        : ('new' as const),
      total: dispatch.total,
      requeued,
      added,
      diagnostics,
    };
    if (dispatch.state === 'done' && requeued === 0 && added === 0) {
      reports.push({
        ...base,
        state: 'done',
        counts: await ledger.counts(dispatch.id),
        run: noRun(),
        elapsedMs: 0,
      });
      continue;
    }
    const build = messageBuilder(config, template, secret, { dispatchId: dispatch.id });
    const result = await runDispatch({
      dispatch,
      ledger,
      transport,
      settings: options.settings,
      deliverable: (ids) => store.subscribers.deliverable(dispatch.listId, ids),
      bounced: (email, reply, now) => store.subscribers.markBounced(email, reply, now),
      lateBounces: async () => (await store.bounces.dispatchCounts(dispatch.id)).hard,
      build,
      clock,
      signal: run.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    reports.push({
      ...base,
      state: result.state,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.state === 'paused'
        ? { retryAt: retryTime(await ledger.nextRetryAt(dispatch.id), clock(), options.settings.retryBaseMs) }
        : {}),
      counts: result.counts,
      run: result.run,
      elapsedMs: result.elapsedMs,
      timings: result.timings,
    });
    if (result.state !== 'done') halted = result.reason ?? result.state;
  }
  return reports;
}
