import type { Config } from '../config/types.js';
import { ScsError } from '../core/diagnostic.js';
import { findReleases } from '../content/find-release.js';
import { loadReleases } from '../content/load.js';
import { describeTransport } from '../delivery/create-transport.js';
import type { BounceCounts } from '../store/bounce-types.js';
import type { DeliveryCounts, DeliveryProblem, Dispatch, LockHolder } from '../store/ledger-types.js';
import { openStore, storeExists } from '../store/open.js';
import { type ReleaseSummary, releaseSummaries } from './press-status.js';
import type { TransportInfo } from './types.js';

export interface DispatchStatus {
  dispatch: Dispatch;
  counts: DeliveryCounts;
  /** The latest failed, uncertain and retrying recipients, newest first. */
  problems: DeliveryProblem[];
  /** Recipients who bounced (hard, soft) or complained since, from bounce reports and relay webhooks. */
  bounces: BounceCounts;
}

export interface StatusResult {
  /** The transport the environment selects now (each dispatch records its own). */
  transport: TransportInfo;
  /** The runs dispatching right now: the lock's holder (SQLite), or every worker's lease (PostgreSQL). */
  workers: LockHolder[];
  /** Newest first. */
  dispatches: DispatchStatus[];
  /** Per release: briefed, the public newsletter, corrections and notices (press-status.ts). */
  releases: ReleaseSummary[];
}

/**
 * `scs status`: every dispatch (or those of one release: id, file, slug or translation key) with its
 * counts and latest problems. Reads only; a project without a database has no dispatches. Throws
 * ScsError (exit 2) when `release` names neither a release nor a dispatch.
 */
export async function dispatchStatus(
  config: Config,
  options: { release?: string; cwd?: string; problems?: number } = {},
): Promise<StatusResult> {
  const result: StatusResult = {
    transport: describeTransport(config),
    workers: [],
    dispatches: [],
    releases: [],
  };
  let releaseIds: string[] | undefined;
  let notFound: ScsError | undefined;
  if (options.release !== undefined) {
    const name = options.release;
    try {
      const selected = findReleases(
        config,
        await loadReleases(config),
        name,
        options.cwd ? { cwd: options.cwd } : {},
      );
      releaseIds = [...selected.releases.map((r) => r.id), name];
    } catch (e) {
      // A dispatch outlives its release file: its id still finds it.
      if (!(e instanceof ScsError)) throw e;
      notFound = e;
      releaseIds = [name];
    }
  }
  const store = storeExists(config) ? await openStore(config) : undefined;
  try {
    result.workers = (await store?.ledger.holders()) ?? [];
    const dispatches = (await store?.ledger.list(releaseIds ? { releaseIds } : {})) ?? [];
    if (notFound && !dispatches.length) throw notFound;
    result.dispatches = [];
    for (const dispatch of dispatches)
      result.dispatches.push({
        dispatch,
        counts: await store!.ledger.counts(dispatch.id),
        problems: await store!.ledger.problems(dispatch.id, options.problems ?? 5),
        bounces: await store!.bounces.dispatchCounts(dispatch.id),
      });
    result.releases = releaseSummaries(result.dispatches);
    return result;
  } finally {
    await store?.close();
  }
}
