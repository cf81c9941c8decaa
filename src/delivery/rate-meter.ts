/**
 * Messages per second over the last few seconds, from (time, count) samples: the rate a progress bar
 * shows and an ETA is computed from. Times in milliseconds.
 */
export class RateMeter {
  private readonly samples: [number, number][] = [];

  constructor(private readonly windowMs = 5_000) {}

  /** Records that `count` messages were done by `now`; returns the recent rate per second. */
  add(now: number, count: number): number {
    this.samples.push([now, count]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > this.windowMs) this.samples.shift();
    const [t0, n0] = this.samples[0]!;
    return now > t0 ? ((count - n0) * 1000) / (now - t0) : 0;
  }
}
