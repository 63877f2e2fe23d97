/** What the {@link SilenceWatchdog} concluded at one check. */
export interface SilenceVerdict {
  /** Symbols without a trade for at least `silenceMs` while connected, with how long (ms). */
  silent: { symbol: string; forMs: number }[];
  /** Every watched symbol is silent. */
  allSilent: boolean;
  /** Nothing at all was delivered since the watch was armed (the wrong-route signature). */
  nothingSinceArmed: boolean;
  /** Time since the last trade of any symbol (or since arming), ms. */
  quietForMs: number;
}

/**
 * Per-stream silence watchdog. It does not own a timer: the ingestion calls {@link observe} with each
 * symbol's running trade count and {@link verdict} from its own (injectable-clock) check timer, so
 * the hot path pays nothing and tests drive it by hand. A symbol is "silent" when its count has not moved
 * for `silenceMs` while the watch is armed (socket open); arming restarts every symbol's quiet period.
 * O(symbols) per call.
 *
 * @example
 * const w = new SilenceWatchdog(30_000);
 * w.arm(["btcusdt"], 0);
 * w.observe("btcusdt", 0, 31_000);
 * w.verdict(31_000); // { silent: [{ symbol: "btcusdt", forMs: 31000 }], allSilent: true, nothingSinceArmed: true, quietForMs: 31000 }
 */
export class SilenceWatchdog {
  readonly silenceMs: number;
  private readonly last = new Map<string, { count: number; progressAt: number }>();
  private armedAt = NaN;
  private deliveredSinceArmed = false;

  constructor(silenceMs: number) {
    this.silenceMs = silenceMs;
  }

  /** True between {@link arm} and {@link disarm}. */
  get armed(): boolean {
    return !Number.isNaN(this.armedAt);
  }

  /** Starts (or restarts) watching `symbols` at `now` (a socket just opened). */
  arm(symbols: readonly string[], now: number): void {
    this.armedAt = now;
    this.deliveredSinceArmed = false;
    for (const s of symbols) {
      const prev = this.last.get(s);
      this.last.set(s, { count: prev?.count ?? 0, progressAt: now });
    }
  }

  /** Stops judging (no socket open: silence is the connection's problem, not the stream's). */
  disarm(): void {
    this.armedAt = NaN;
  }

  /** Records a symbol's running trade count at `now`. */
  observe(symbol: string, count: number, now: number): void {
    const e = this.last.get(symbol);
    if (e === undefined) {
      this.last.set(symbol, { count, progressAt: now });
      return;
    }
    if (count !== e.count) {
      e.count = count;
      e.progressAt = now;
      if (this.armed) this.deliveredSinceArmed = true;
    }
  }

  /** The current verdict (nothing silent while disarmed). */
  verdict(now: number): SilenceVerdict {
    const silent: { symbol: string; forMs: number }[] = [];
    if (!this.armed) return { silent, allSilent: false, nothingSinceArmed: false, quietForMs: 0 };
    let newest = this.armedAt;
    for (const [symbol, e] of this.last) {
      const since = Math.max(e.progressAt, this.armedAt);
      if (since > newest) newest = since;
      if (now - since >= this.silenceMs) silent.push({ symbol, forMs: now - since });
    }
    return {
      silent,
      allSilent: silent.length > 0 && silent.length === this.last.size,
      nothingSinceArmed: !this.deliveredSinceArmed,
      quietForMs: now - newest,
    };
  }
}
