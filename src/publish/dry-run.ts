import type { Config } from '../config/types.js';
import { describeTransport } from '../delivery/create-transport.js';
import { openStore, storeExists } from '../store/open.js';
import { noCounts, noRun, pressKey } from './deliver.js';
import type { PlannedDispatch } from './plan.js';
import type { DispatchReport } from './types.js';

/**
 * What a run would send, read from the store without changing anything: for a new dispatch, how many
 * recipients it would snapshot now; for an existing one, where it stands. A project without a
 * database yet has nobody to send to, and gets none created.
 */
export async function dryRunReports(
  config: Config,
  planned: readonly PlannedDispatch[],
): Promise<DispatchReport[]> {
  const { kind } = describeTransport(config);
  const store = storeExists(config) ? await openStore(config) : undefined;
  try {
    const reports: DispatchReport[] = [];
    for (const p of planned) {
      const existing =
        p.existing ??
        (await store?.ledger.find({
          releaseId: p.release.id,
          listId: p.list.id,
          transport: kind,
          ...(p.press ? { kind: p.press.kind, variant: p.press.variant } : {}),
        }));
      let total = existing?.total ?? 0;
      if (!existing && store) {
        const audience = p.press?.audienceOf;
        if (audience) total = (await store.ledger.sentRecipients(audience.id)).length;
        else for await (const _ of store.subscribers.recipients(p.list.id)) total++;
      }
      reports.push({
        releaseId: p.release.id,
        listId: p.list.id,
        ...pressKey(p),
        lang: p.release.lang,
        transport: kind,
        ...(existing ? { dispatchId: existing.id, subject: existing.subject } : {}),
        start: existing ? (existing.state === 'done' ? 'finished' : 'resumed') : 'new',
        state: 'planned',
        total,
        counts:
          existing && store ? await store.ledger.counts(existing.id) : { ...noCounts(), pending: total },
        run: noRun(),
        requeued: 0,
        added: 0,
        elapsedMs: 0,
        diagnostics: [],
      });
    }
    return reports;
  } finally {
    await store?.close();
  }
}
