import type {
  ConsentSource,
  NewEvent,
  NewSubscriber,
  Subscriber,
  SubscriberChanges,
  SubscriberRepo,
  SubscriptionStatus,
  Suppression,
} from '../store/subscriber-types.js';

/** Someone asks (or an operator asks on their behalf) to be on some lists. */
export interface EnrolRequest {
  /** Normalised. */
  email: string;
  /** Null when not given: an existing name is kept. */
  name: string | null;
  /** Null when not given: an existing language is kept, a new subscriber gets `defaultLang`. */
  lang: string | null;
  defaultLang: string;
  lists: string[];
  /** Consent is already confirmed (asserted by the operator); otherwise the lists wait for confirmation. */
  confirmed: boolean;
  source: ConsentSource;
  ip: string | null;
  /** The operator's explicit override for suppressed and unsubscribed addresses. */
  force: boolean;
  /** What the request is, for the history ("import people.csv:12"). */
  detail?: string;
}

interface ListChange {
  listId: string;
  status: SubscriptionStatus;
}

export type EnrolPlan =
  | {
      kind: 'add';
      subscriber: NewSubscriber;
      lists: ListChange[];
      unsuppress: boolean;
      events: NewEvent[];
      /** Lists that wait for the subscriber's confirmation after this. */
      awaiting: string[];
    }
  | {
      kind: 'update';
      id: number;
      changes: SubscriberChanges;
      lists: ListChange[];
      unsuppress: boolean;
      events: NewEvent[];
      awaiting: string[];
      /** For people: what changes ("name", "language", "+nyheter", "confirmed"). */
      what: string[];
    }
  | { kind: 'unchanged'; id: number; awaiting: string[] }
  | { kind: 'skip'; reason: 'suppressed' | 'unsubscribed'; detail: string };

const INACTIVE = new Set(['unsubscribed', 'bounced', 'complained']);

/**
 * Decides, as data, what a request does to the store. The rules that protect people live here: a
 * suppressed or unsubscribed address never comes back without the operator's explicit `force` — except
 * through the form after an unsubscription or erasure, where the person must confirm again (double opt-in)
 * before anything is sent; a form submission never edits an existing subscriber's details.
 */
export function planEnrolment(
  current: Subscriber | undefined,
  suppression: Suppression | undefined,
  req: EnrolRequest,
  now: Date,
): EnrolPlan {
  const form = req.source === 'form';
  const mayReturnByForm = (reason: string) => form && (reason === 'unsubscribed' || reason === 'erased');
  if (suppression && !req.force && !mayReturnByForm(suppression.reason))
    return { kind: 'skip', reason: 'suppressed', detail: `on the suppression list (${suppression.reason})` };
  if (current && INACTIVE.has(current.status) && !req.force && !mayReturnByForm(current.status))
    return { kind: 'skip', reason: 'suppressed', detail: `status ${current.status}` };

  const listStatus: SubscriptionStatus = req.confirmed ? 'active' : 'pending';
  const event = (kind: string, listId?: string): NewEvent => ({
    kind,
    listId: listId ?? null,
    source: req.source,
    ip: req.ip,
    detail: req.detail ?? null,
  });
  const consent = {
    source: req.source,
    at: now,
    ip: req.ip,
    detail: req.detail ?? null,
    confirmedAt: req.confirmed ? now : null,
  };
  const unsuppress = suppression !== undefined && req.force;

  if (!current) {
    return {
      kind: 'add',
      subscriber: {
        email: req.email,
        name: req.name,
        lang: req.lang ?? req.defaultLang,
        status: req.confirmed ? 'confirmed' : 'pending',
        consent,
      },
      lists: req.lists.map((listId) => ({ listId, status: listStatus })),
      unsuppress,
      // The consent record and the memberships say how and when they came: the history starts with
      // what happens after (and an import of 100,000 people writes 100,000 rows fewer).
      events: [],
      awaiting: req.confirmed ? [] : [...req.lists],
    };
  }

  const had = new Map(current.subscriptions.map((s) => [s.listId, s.status]));
  const left = req.lists.filter((l) => had.get(l) === 'unsubscribed');
  if (left.length && !req.force && !form)
    return { kind: 'skip', reason: 'unsubscribed', detail: `unsubscribed from ${left.join(', ')}` };

  const lists: ListChange[] = [];
  const events: NewEvent[] = [];
  const what: string[] = [];
  for (const listId of req.lists) {
    const before = had.get(listId);
    if (before === 'active' || (before === 'pending' && !req.confirmed)) continue;
    lists.push({ listId, status: listStatus });
    events.push(
      event(
        req.confirmed ? (before === 'unsubscribed' ? 'resubscribed' : 'subscribed') : 'requested',
        listId,
      ),
    );
    what.push(`+${listId}`);
  }

  const changes: SubscriberChanges = {};
  const fields: string[] = [];
  const inactive = INACTIVE.has(current.status);
  if (req.confirmed && current.status !== 'confirmed') {
    changes.status = 'confirmed';
    changes.statusDetail = null;
    if (inactive) changes.consent = consent;
    else changes.confirmedAt = now;
    fields.push('confirmed');
  } else if (inactive && req.force) {
    changes.status = 'pending';
    changes.statusDetail = null;
    changes.consent = consent;
    fields.push('pending again');
  }
  // Anyone can type someone else's address into the form: a form post never changes the details of
  // a subscriber who exists, confirmed or not (the name and language of the first sign-up stay).
  const mayEdit = !form;
  if (mayEdit && req.name !== null && req.name !== current.name) {
    changes.name = req.name;
    fields.push('name');
  }
  if (mayEdit && req.lang !== null && req.lang !== current.lang) {
    changes.lang = req.lang;
    fields.push('language');
  }
  if (fields.length)
    events.push({ ...event('updated'), detail: [req.detail, fields.join(', ')].filter(Boolean).join(': ') });

  const awaiting = req.lists.filter(
    (l) => (lists.find((c) => c.listId === l)?.status ?? had.get(l)) === 'pending',
  );
  if (!lists.length && !fields.length && !unsuppress) return { kind: 'unchanged', id: current.id, awaiting };
  return {
    kind: 'update',
    id: current.id,
    changes,
    lists,
    unsuppress,
    events,
    awaiting,
    what: [...what, ...fields],
  };
}

/** Carries out plans, adding the new subscribers in bulk; returns their ids (undefined for a skipped request). */
export async function applyEnrolments(
  repo: SubscriberRepo,
  items: readonly { plan: EnrolPlan; email: string }[],
  now: Date,
): Promise<(number | undefined)[]> {
  const added = new Map<EnrolPlan, number>();
  const adds = items.flatMap(({ plan }) => (plan.kind === 'add' ? [plan] : []));
  const ids = await repo.insertMany(
    adds.map((plan) => ({ subscriber: plan.subscriber, lists: plan.lists })),
    now,
  );
  for (const [i, plan] of adds.entries()) added.set(plan, ids[i]!);
  const result: (number | undefined)[] = [];
  for (const { plan, email } of items) {
    if (plan.kind === 'skip' || plan.kind === 'unchanged') {
      result.push(plan.kind === 'skip' ? undefined : plan.id);
      continue;
    }
    const id = plan.kind === 'add' ? added.get(plan)! : plan.id;
    if (plan.kind === 'update') {
      if (Object.keys(plan.changes).length) await repo.update(id, plan.changes, now);
      for (const l of plan.lists) await repo.setSubscription(id, l.listId, l.status, now);
    }
    if (plan.unsuppress) await repo.unsuppress(email);
    for (const e of plan.events) await repo.addEvent(id, e, now);
    result.push(id);
  }
  return result;
}

export async function applyEnrolment(
  repo: SubscriberRepo,
  plan: EnrolPlan,
  email: string,
  now: Date,
): Promise<number | undefined> {
  return (await applyEnrolments(repo, [{ plan, email }], now))[0];
}
