/**
 * Bounces and complaints, each tied to the delivery it is about. Backend-neutral: SQLite implements it
 * (sqlite/bounces.ts). Times are always passed in.
 */

/** What an event means for the address: `delayed` is recorded, never counted. */
export type BounceEventType = 'hard' | 'soft' | 'complaint' | 'delayed';

/** A delivery a bounce was matched to. */
export interface BouncedDelivery {
  dispatchId: number;
  subscriberId: number;
  /** Empty when the subscriber has been erased since. */
  email: string;
  listId: string;
  releaseId: string;
  messageId: string | null;
}

export interface BounceEvent {
  /** Identifies the report (message key and recipient, or relay and event id): recorded once. */
  key: string;
  dispatchId: number;
  subscriberId: number;
  type: BounceEventType;
  /** Enhanced status code, "5.1.1". */
  status: string | null;
  /** The remote server's words, or the complaint's feedback type. */
  detail: string | null;
  source: string;
  at: Date;
}

/** Per list (and receiving domain): messages sent, and the events since a time. */
export interface BounceRates {
  listId: string;
  /** The receiving domain, lower case; absent in the per-list lines. */
  domain?: string;
  sent: number;
  hard: number;
  soft: number;
  complaint: number;
}

export type BounceCounts = Record<BounceEventType, number>;

export interface BounceRepo {
  /** The delivery a VERP token names. */
  delivery(dispatchId: number, subscriberId: number): Promise<BouncedDelivery | undefined>;
  /** The delivery that carried this Message-ID, to this address when one is given. */
  deliveryByMessageId(messageId: string, email?: string): Promise<BouncedDelivery | undefined>;
  /** The latest delivery sent to this address, in any case of its letters (for relays that do not pass our Message-ID back). */
  latestDelivery(email: string): Promise<BouncedDelivery | undefined>;
  /** Whether an event with this key was recorded. */
  seen(key: string): Promise<boolean>;
  /** Records the event; false (and nothing changes) when its key was recorded before. */
  record(event: BounceEvent): Promise<boolean>;
  /** How many events of this type a subscriber has had since a time. */
  countSince(subscriberId: number, type: BounceEventType, since: Date): Promise<number>;
  /** A subscriber's events, oldest first. */
  events(subscriberId: number): Promise<BounceEvent[]>;
  /** A dispatch's events by type (each subscriber counted once per type). */
  dispatchCounts(dispatchId: number): Promise<BounceCounts>;
  /** Rates per list, and per list and receiving domain, for dispatches planned since a time (SMTP only). */
  rates(since: Date): Promise<{ lists: BounceRates[]; domains: BounceRates[] }>;
}
