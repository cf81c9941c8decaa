/**
 * A rate limit in messages per second. The bucket holds at most a tenth of a second's worth (at least
 * one message), so no one-second window ever sees much more than `rate` messages, and sending stays
 * smooth instead of coming in bursts. Time is passed in (milliseconds).
 */
export class TokenBucket {
  private tokens: number;
  /** The most messages that may go at once (a tenth of a second's worth, at least one). */
  readonly capacity: number;
  private last: number;

  /** `rate` 0 means no limit. */
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.capacity = Math.max(1, rate / 10);
    this.tokens = this.capacity;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }

  /** Whole messages that may go now. */
  available(now: number): number {
    if (this.rate === 0) return Number.POSITIVE_INFINITY;
    this.refill(now);
    return Math.floor(this.tokens);
  }

  take(count: number, now: number): void {
    if (this.rate === 0) return;
    this.refill(now);
    this.tokens -= count;
  }

  /** Milliseconds until `count` messages may go (0 when they may go now). */
  waitMs(now: number, count = 1): number {
    if (this.rate === 0) return 0;
    this.refill(now);
    return this.tokens >= count ? 0 : Math.ceil(((count - this.tokens) * 1000) / this.rate);
  }
}
