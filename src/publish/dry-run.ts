import type { Config } from '../config/types.js';
import { describeTransport } from '../delivery/create-transport.js';
import { openStore, storeExists } from '../store/open.js';
import { noCounts, noRun } from './deliver.js';
import type { PlannedDispatch } from './plan.js';
import type { DispatchReport } from './types.js';

/**
 * What a run would send, read from the store without changing anything: for a new dispatch, how many
 * recipients it would snapshot now; for an existing one, where it stands. A project without a
 * database yet has nobody to send to, and gets none created.
 */
export function dryRunReports(config: Config, planned: readonly PlannedDispatch[]): DispatchReport[] {
  const { kind } = describeTransport(config);
  const store = storeExists(config) ? openStore(config) : undefined;
  try {
    return planned.map((p): DispatchReport => {
      const existing =
        p.existing ?? store?.ledger.find({ releaseId: p.release.id, listId: p.list.id, transport: kind });
      let total = existing?.total ?? 0;
      if (!existing && store) for (const _ of store.subscribers.recipients(p.list.id)) total++;
      return {
        releaseId: p.release.id,
        listId: p.list.id,
        lang: p.release.lang,
        transport: kind,
        ...(existing ? { dispatchId: existing.id, subject: existing.subject } : {}),
        start: existing ? (existing.state === 'done' ? 'finished' : 'resumed') : 'new',
        state: 'planned',
        total,
        counts: existing && store ? store.ledger.counts(existing.id) : { ...noCounts(), pending: total },
        run: noRun(),
        requeued: 0,
        added: 0,
        elapsedMs: 0,
        diagnostics: [],
      };
    });
  } finally {
    store?.close();
  }
}
