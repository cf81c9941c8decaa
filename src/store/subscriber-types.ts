/**
 * Subscribers, their list memberships, their consent record and the suppression list, as the store keeps
 * them. Email addresses given to these methods are already normalised (see subscribers/email.ts).
 * Times are always passed in.
 */
export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** Where the consent came from. */
export const CONSENT_SOURCES = ['form', 'import', 'cli'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** A membership: asked for (pending confirmation), active, or ended by the subscriber or an operator. */
export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'erased';

export interface Recipient {
  subscriberId: number;
  email: string;
  name: string | null;
  lang: string;
}

export interface Consent {
  source: ConsentSource;
  /** When consent was given (or asserted by the operator). */
  at: Date;
  ip: string | null;
  /** Where exactly, when there is more to say ("people.csv:12" for an import). */
  detail: string | null;
  /** When the subscriber confirmed (double opt-in), or the operator marked them confirmed. */
  confirmedAt: Date | null;
}

/**
 * What a press list knows of a journalist, and who added them and why: press lists have no form and
 * no double opt-in, so the operator and the reason are the consent record.
 */
export interface PressProfile {
  outlet: string | null;
  /** Topic ids they cover. */
  beat: string[];
  addedBy: string | null;
  reason: string | null;
}

export interface Subscription {
  listId: string;
  status: SubscriptionStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface Subscriber {
  id: number;
  email: string;
  name: string | null;
  lang: string;
  status: SubscriberStatus;
  /**
   * Why the status is what it is, when there is more to say (a bounce message, "via one-click"); it never
   * repeats the status, as the two are shown together.
   */
  statusDetail: string | null;
  consent: Consent;
  /** Set for journalists added to a press list. */
  press: PressProfile | null;
  createdAt: Date;
  updatedAt: Date;
  subscriptions: Subscription[];
}

/** One line of a subscriber's history: the accountability record behind the consent. */
export interface SubscriberEvent {
  at: Date;
  kind: string;
  listId: string | null;
  source: string | null;
  ip: string | null;
  detail: string | null;
}

export interface Suppression {
  reason: SuppressionReason;
  since: Date;
}

export interface Membership {
  listId: string;
  status: SubscriptionStatus;
}

export interface NewSubscriber {
  email: string;
  name: string | null;
  lang: string;
  status: SubscriberStatus;
  consent: Consent;
}

export type SubscriberChanges = Partial<Pick<Subscriber, 'name' | 'lang' | 'status' | 'statusDetail'>> & {
  confirmedAt?: Date;
  consent?: Consent;
  press?: PressProfile;
};

export interface SubscriberFilter {
  listId?: string;
  status?: SubscriberStatus;
}

export interface NewEvent {
  kind: string;
  listId?: string | null;
  source?: string | null;
  ip?: string | null;
  detail?: string | null;
}

/** The history event recorded for each list a confirmation mail asks about (`listId` set). */
export const CONFIRMATION_SENT = 'confirmation-sent';

/** Someone who may still confirm, with the lists that wait for it. */
export interface AwaitingConfirmation {
  subscriberId: number;
  email: string;
  lang: string;
  /** In list id order. */
  lists: {
    listId: string;
    /** When the membership became pending. */
    since: Date;
    /** When the last confirmation mail about this list went out, if one did. */
    lastSent: Date | null;
  }[];
}

export interface SubscriberRepo {
  /**
   * Confirmed subscribers on the list who are not suppressed, streamed in id order (a cursor on
   * PostgreSQL: memory stays flat whatever the list's size).
   */
  recipients(listId: string): AsyncIterable<Recipient>;
  /** Whether this subscriber may be mailed on this list right now (confirmed, on the list, not suppressed). */
  isDeliverable(subscriberId: number, listId: string): Promise<boolean>;
  /** Which of these subscribers may be mailed on this list right now, in one read. */
  deliverable(listId: string, subscriberIds: readonly number[]): Promise<Set<number>>;
  /** A hard bounce: status bounced, address suppressed. */
  markBounced(email: string, detail: string, now: Date): Promise<void>;
  /** A spam complaint (feedback loop): status complained, address suppressed. */
  markComplained(email: string, detail: string, now: Date): Promise<void>;

  /** The subscriber with this address, in whatever letter case it was stored or is given. */
  find(email: string): Promise<Subscriber | undefined>;
  /**
   * The stored subscribers among these address keys (see addressKey), by key, for bulk work such as
   * imports: the caller has the keys already.
   */
  findMany(keys: readonly string[]): Promise<Map<string, Subscriber>>;
  get(id: number): Promise<Subscriber | undefined>;
  /** Streams subscribers in id order. */
  list(filter?: SubscriberFilter): AsyncIterable<Subscriber>;
  /** Oldest first. */
  history(subscriberId: number): Promise<SubscriberEvent[]>;
  /**
   * Everyone with a pending membership who may still confirm it (status pending or confirmed, address
   * not suppressed), in id order.
   */
  awaitingConfirmation(): Promise<AwaitingConfirmation[]>;
  suppression(email: string): Promise<Suppression | undefined>;
  /**
   * The suppressions of many addresses at once, by address as given (those not suppressed are absent):
   * for bulk work such as imports, one read per few thousand instead of one per address.
   */
  suppressions(emails: readonly string[]): Promise<Map<string, Suppression>>;

  /**
   * Adds new subscribers with their memberships, in bulk; returns their ids in the same order. An
   * address whose key is stored already is refused (a constraint error): look it up first.
   */
  insertMany(
    entries: readonly { subscriber: NewSubscriber; lists: readonly Membership[] }[],
    now: Date,
  ): Promise<number[]>;
  /**
   * After `added` subscribers came in bulk: lets the database plan its next reads (a dispatch planned
   * to the list right after an import) with the new sizes, instead of waiting for its own schedule.
   */
  refreshStatistics(added: number): Promise<void>;
  update(subscriberId: number, changes: SubscriberChanges, now: Date): Promise<void>;
  setSubscription(subscriberId: number, listId: string, status: SubscriptionStatus, now: Date): Promise<void>;
  addEvent(subscriberId: number, event: NewEvent, now: Date): Promise<void>;
  /**
   * Keeps a keyed hash of the address's key, so that it cannot come back silently, in any letter case,
   * even after erasure.
   */
  suppress(email: string, reason: SuppressionReason, now: Date): Promise<void>;
  unsuppress(email: string): Promise<void>;
  /** Deletes the subscriber, memberships and history; the suppression entry (if any) stays. */
  erase(subscriberId: number): Promise<void>;
}
