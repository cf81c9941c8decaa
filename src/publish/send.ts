import type { Config } from '../config/types.js';
import { report } from '../core/catalogue/index.js';
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import { localDateTime } from '../core/time.js';
import { findReleases } from '../content/find-release.js';
import { checkReleases } from '../content/load.js';
import { isPublished, type Release } from '../content/types.js';
import { createTransport, describeTransport } from '../delivery/create-transport.js';
import { renderNewsletter } from '../email/render.js';
import { chooseList } from '../email/select.js';
import type { LockHolder } from '../store/ledger-types.js';
import { requireEmail } from '../subscribers/manage.js';
import { resolveSecret } from '../config/secret.js';
import { deliver, deliverySettings, notStarted } from './deliver.js';
import { dryRunReports } from './dry-run.js';
import { messageBuilder } from './messages.js';
import type { PlannedDispatch } from './plan.js';
import { listsForRelease } from './select.js';
import { openSendingRun } from './sending-run.js';
import type { DeliveryRunOptions, DispatchReport, RecoveredDispatch, TransportInfo } from './types.js';

export interface SendOptions extends DeliveryRunOptions {
  /** Id (`sv/<slug>`), file (relative to `cwd`), unique slug or translation key (see `findReleases`). */
  release: string;
  /** Where a relative file name is looked up; default the project root. */
  cwd?: string;
  lang?: string;
  list?: string;
  /** Decides whether the release is published yet. */
  now: Date;
  /** Plan only: who would get what; nothing is sent or written. */
  dryRun?: boolean;
  /** Send only to these addresses, with the test subject, outside the ledger. */
  test?: string[];
  rate?: number;
  concurrency?: number;
  /** Send again to recipients left uncertain by a crash (they may get it twice). */
  resendUncertain?: boolean;
}

export interface TestDelivery {
  releaseId: string;
  listId: string;
  to: string;
  ok: boolean;
  response: string;
}

export interface SendReleaseResult {
  /** False when anything stopped a message from going (see diagnostics and dispatch states). */
  ok: boolean;
  diagnostics: Diagnostic[];
  transport: TransportInfo;
  dryRun: boolean;
  /** Set when another run holds the dispatch lock: nothing was sent. */
  busy?: LockHolder;
  /** The holder of a stale lock this run took over. */
  tookOverFrom?: LockHolder;
  recovered: RecoveredDispatch[];
  dispatches: DispatchReport[];
  /** `--test` sends. */
  tests: TestDelivery[];
}

/** Refuses what must not be mailed to a list: drafts, releases not yet published, `newsletter: false`. */
function sendable(config: Config, release: Release, now: Date): Diagnostic[] {
  const where = { id: release.id, file: release.file };
  if (release.draft) return [report('release-draft', where)];
  if (release.withdrawn) return [report('release-withdrawn', where)];
  if (!isPublished(release, now)) {
    return [
      report('release-not-published', {
        ...where,
        until: localDateTime(release.publishAt, config.timeZone),
      }),
    ];
  }
  if (!release.newsletter) return [report('newsletter-disabled', where)];
  return [];
}

/**
 * `scs send`: one release's newsletter to its lists (or one list), through the ledger; or, with
 * `test`, to a few addresses only. Unlike `scs publish`, it ignores `newsletter.maxAge`.
 * Throws ScsError (exit 2) for a release, list or address that does not exist or cannot be used.
 */
export async function sendRelease(config: Config, options: SendOptions): Promise<SendReleaseResult> {
  const result: SendReleaseResult = {
    ok: false,
    diagnostics: [],
    transport: describeTransport(config),
    dryRun: !!options.dryRun,
    recovered: [],
    dispatches: [],
    tests: [],
  };
  const fail = (diagnostics: Diagnostic[]) => {
    result.diagnostics.push(...diagnostics);
    return result;
  };
  const test = (options.test ?? []).map(requireEmail);
  const selected = findReleases(config, await checkReleases(config), options.release, {
    ...(options.lang ? { lang: options.lang } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (!selected.releases.length) return fail(selected.diagnostics);
  const planned: PlannedDispatch[] = [];
  for (const release of selected.releases) {
    if (!test.length) {
      const refused = sendable(config, release, options.now);
      if (refused.length) return fail(refused);
    }
    const lists =
      options.list === undefined
        ? listsForRelease(config, release)
        : [chooseList(config, release, options.list)];
    if (!lists.length) {
      return fail([
        report('list-none', {
          id: release.id,
          lang: release.lang,
          topics: release.topics.join(', ') || 'none',
          file: release.file,
        }),
      ]);
    }
    for (const list of lists) planned.push({ release, list });
  }

  if (test.length) {
    if (options.dryRun) {
      result.tests = planned.flatMap((p) =>
        test.map((to) => ({
          releaseId: p.release.id,
          listId: p.list.id,
          to,
          ok: true,
          response: 'dry run: not sent',
        })),
      );
      result.ok = true;
      return result;
    }
    return sendTests(config, planned, test, options, result);
  }
  if (options.dryRun) {
    result.dispatches = await dryRunReports(config, planned);
    result.ok = true;
    return result;
  }

  const opened = await openSendingRun(config, { ...options, command: `scs send ${options.release}` });
  if (!opened.ok) {
    result.busy = opened.holder;
    return result;
  }
  const { run } = opened;
  try {
    result.transport = { kind: run.transport.kind, description: run.transport.description };
    if (run.lock.tookOverFrom) result.tookOverFrom = run.lock.tookOverFrom;
    result.recovered = run.recovered;
    const key = (p: PlannedDispatch) => ({
      releaseId: p.release.id,
      listId: p.list.id,
      transport: run.transport.kind,
    });
    // A press list briefed before the embargo has had the release: only a --list names it again.
    const briefed = async (p: PlannedDispatch) =>
      options.list === undefined &&
      (await run.store.ledger.find({ ...key(p), kind: 'briefing' })) !== undefined;
    const withExisting: PlannedDispatch[] = [];
    for (const p of planned) {
      if (await briefed(p)) continue;
      const existing = await run.store.ledger.find(key(p));
      withExisting.push(existing ? { ...p, existing } : p);
    }
    result.dispatches = await deliver(config, run, withExisting, {
      ...options,
      topUp: true,
      settings: deliverySettings(config, options),
    });
  } finally {
    await run.close();
  }
  result.diagnostics.push(...result.dispatches.flatMap((d) => d.diagnostics));
  result.ok = !hasErrors(result.diagnostics) && result.dispatches.every((d) => d.state === 'done');
  return result;
}

/** `--test`: the real message with the test subject, to the given addresses only; no ledger, no lock. */
async function sendTests(
  config: Config,
  planned: readonly PlannedDispatch[],
  addresses: readonly string[],
  options: SendOptions,
  result: SendReleaseResult,
): Promise<SendReleaseResult> {
  const transport = createTransport(config);
  const clock = options.clock ?? (() => new Date());
  const { secret } = resolveSecret(config);
  try {
    for (const p of planned) {
      const rendered = await renderNewsletter(config, p.release, { listId: p.list.id, now: options.now });
      result.diagnostics.push(...rendered.diagnostics);
      if (!rendered.template) {
        result.dispatches.push(
          notStarted(p, transport.kind, 'the newsletter could not be rendered', rendered.diagnostics),
        );
        continue;
      }
      const build = messageBuilder(config, rendered.template, secret, { test: true });
      const sent = await Promise.all(
        addresses.map(async (to) => {
          const message = build({ subscriberId: 0, email: to, name: null }, clock());
          const r =
            'error' in message ? { ok: false, response: message.error } : await transport.send(message);
          return { releaseId: p.release.id, listId: p.list.id, to, ok: r.ok, response: r.response };
        }),
      );
      result.tests.push(...sent);
    }
  } finally {
    await transport.close();
  }
  result.ok = !hasErrors(result.diagnostics) && result.tests.length > 0 && result.tests.every((t) => t.ok);
  return result;
}
