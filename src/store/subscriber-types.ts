// PLACEHOLDER (helper 5 owns this file and replaces it).
export interface Recipient {
  subscriberId: number;
  email: string;
  name: string | null;
  lang: string;
}
export interface SubscriberRepo {
  /** Confirmed subscribers on the list who are not suppressed, streamed in id order. */
  recipients(listId: string): IterableIterator<Recipient>;
  /** Whether this subscriber may be mailed on this list right now (confirmed, on the list, not suppressed). */
  isDeliverable(subscriberId: number, listId: string): boolean;
  /** A hard bounce: status bounced, address suppressed. */
  markBounced(email: string, detail: string, now: Date): void;
}
