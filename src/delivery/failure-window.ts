/**
 * The outcome of the last `size` attempts. When more than `limit` of them failed, something is wrong
 * beyond single addresses (the server refuses us, a blocklist, a full disk) and sending should pause
 * rather than burn through the list.
 */
export class FailureWindow {
  private readonly outcomes: boolean[] = [];
  private next = 0;
  private failed = 0;

  constructor(
    readonly size = 100,
    readonly limit = 50,
  ) {}

  add(failure: boolean): void {
    if (this.outcomes.length < this.size) this.outcomes.push(failure);
    else {
      if (this.outcomes[this.next]) this.failed--;
      this.outcomes[this.next] = failure;
      this.next = (this.next + 1) % this.size;
    }
    if (failure) this.failed++;
  }

  get failures(): number {
    return this.failed;
  }

  get attempts(): number {
    return this.outcomes.length;
  }

  get tripped(): boolean {
    return this.failed > this.limit;
  }
}
