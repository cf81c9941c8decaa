import { report } from '../core/catalogue/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { BounceRates } from '../store/bounce-types.js';
import type { Store } from '../store/types.js';

/** Over these, mailbox providers start refusing a sender (Gmail and Yahoo ask for complaints under 0.3 %). */
const COMPLAINT_LIMIT = 0.001;
const BOUNCE_LIMIT = 0.02;
/** A receiving domain is judged only from this many messages: one bounce among three says nothing. */
const DOMAIN_MINIMUM = 100;

export interface RateLine extends BounceRates {
  /** Hard and soft bounces per message sent. */
  bounceRate: number;
  complaintRate: number;
}

export interface BounceReport {
  since: Date;
  lists: RateLine[];
  domains: RateLine[];
  diagnostics: Diagnostic[];
}

const rate = (n: number, of: number) => (of ? n / of : 0);
export const percent = (r: number) => `${(r * 100).toFixed(r && r < 0.01 ? 2 : 1)} %`;

/** Bounce and complaint rates per list and receiving domain, of dispatches planned since `since`. */
export async function bounceReport(store: Pick<Store, 'bounces'>, since: Date): Promise<BounceReport> {
  const { lists, domains } = await store.bounces.rates(since);
  const line = (r: BounceRates): RateLine => ({
    ...r,
    bounceRate: rate(r.hard + r.soft, r.sent),
    complaintRate: rate(r.complaint, r.sent),
  });
  const result: BounceReport = { since, lists: lists.map(line), domains: domains.map(line), diagnostics: [] };
  const judge = (r: RateLine) => {
    const what = r.domain ? `List ${r.listId}, ${r.domain}` : `List ${r.listId}`;
    if (r.complaintRate > COMPLAINT_LIMIT)
      result.diagnostics.push(
        report('bounce-rate-high', {
          what,
          kind: 'complaint',
          rate: percent(r.complaintRate),
          limit: percent(COMPLAINT_LIMIT),
        }),
      );
    if (r.bounceRate > BOUNCE_LIMIT)
      result.diagnostics.push(
        report('bounce-rate-high', {
          what,
          kind: 'bounce',
          rate: percent(r.bounceRate),
          limit: percent(BOUNCE_LIMIT),
        }),
      );
  };
  result.lists.forEach(judge);
  result.domains.filter((r) => r.sent >= DOMAIN_MINIMUM).forEach(judge);
  return result;
}
