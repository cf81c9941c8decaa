import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';
import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Dispatch } from '../store/ledger-types.js';

/**
 * A correction that has been mailed is part of the record: removing it, or changing its text, would
 * make the page say something other than what people were sent. Each mailed correction (its release,
 * date and text, from the ledger) must still be in its release as it was.
 */
function sentCorrectionRules(releases: readonly Release[], dispatches: readonly Dispatch[]): Diagnostic[] {
  const byId = new Map(releases.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of dispatches) {
    const release = byId.get(d.releaseId);
    const once = `${d.releaseId}\n${d.variant}`;
    if (d.kind !== 'correction' || !release || seen.has(once)) continue;
    seen.add(once);
    const now = release.corrections?.find((c) => c.localDate === d.variant);
    if (!now)
      out.push(
        report('correction-removed', {
          date: d.variant,
          file: release.file,
          ...(release.corrections?.[0]?.at ?? { line: 1, column: 1 }),
        }),
      );
    else if (d.detail !== null && now.text !== d.detail)
      out.push(
        report('correction-edited', { date: d.variant, sent: d.detail, file: release.file, ...now.at }),
      );
  }
  return out;
}

/**
 * `sentCorrectionRules` against the project's store, when it has one (a check never creates it; and
 * loads SQLite only then).
 */
export async function checkSentCorrections(
  config: Config,
  releases: readonly Release[],
): Promise<Diagnostic[]> {
  const { openStore, storeExists } = await import('../store/open.js');
  if (!storeExists(config)) return [];
  const store = await openStore(config);
  try {
    return sentCorrectionRules(releases, await store.ledger.list());
  } finally {
    await store.close();
  }
}
