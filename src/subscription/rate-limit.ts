/** At most `limit` events per `windowMs` for one key (an IP address, an email address). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Counts one event; `retryAfterMs` is set when it is over the limit (and then it is not counted). */
  hit(key: string, now: Date): { allowed: true } | { allowed: false; retryAfterMs: number };
}

/** A sliding-window counter kept in memory; old keys are dropped as they expire. */
export function createRateLimiter({ limit, windowMs }: RateLimit): RateLimiter {
  const events = new Map<string, number[]>();
  let lastSweep = 0;
  return {
    hit(key, now) {
      const t = now.getTime();
      if (t - lastSweep > windowMs) {
        for (const [k, times] of events) if (times.at(-1)! <= t - windowMs) events.delete(k);
        lastSweep = t;
      }
      const recent = (events.get(key) ?? []).filter((at) => at > t - windowMs);
      if (recent.length >= limit) {
        events.set(key, recent);
        return { allowed: false, retryAfterMs: recent[0]! + windowMs - t };
      }
      recent.push(t);
      events.set(key, recent);
      return { allowed: true };
    },
  };
}
