/**
 * A request-weight budget over fixed windows (Binance counts IP weight per calendar minute: 2400 per
 * minute on USD-M futures). `delayFor(w)` says how long to wait before spending `w`; `spend(w)` counts it;
 * `observe(used)` adopts the server's own count (`X-MBX-USED-WEIGHT-1M`) when it is higher. O(1).
 *
 * @example
 * const b = new WeightBudget(2400, 60_000);
 * b.delayFor(10, 5_000);  // 0
 * b.spend(2395, 5_000);
 * b.delayFor(10, 5_000);  // 55000 (wait for the next minute)
 */
export class WeightBudget {
  private windowStart = -Infinity;
  private used = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private roll(now: number): void {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }

  /** Milliseconds to wait before a request of weight `w` fits (0 = now). */
  delayFor(w: number, now: number): number {
    this.roll(now);
    if (this.used + w <= this.limit) return 0;
    return this.windowStart + this.windowMs - now + 1;
  }

  /** Counts weight `w` spent at `now`. */
  spend(w: number, now: number): void {
    this.roll(now);
    this.used += w;
  }

  /** Adopts the server's count for the current window when higher than ours. */
  observe(used: number, now: number): void {
    this.roll(now);
    if (Number.isFinite(used) && used > this.used) this.used = used;
  }

  /** Weight used in the current window. */
  usedAt(now: number): number {
    this.roll(now);
    return this.used;
  }
}
