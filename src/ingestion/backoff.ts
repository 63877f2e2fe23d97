import { parameterRangeError } from "../errors";
import { assertFiniteNumber } from "../validate";

/** Parameters of {@link Backoff}. All durations in milliseconds. */
export interface BackoffOptions {
  /** Delay scale of the first retry (default 500 ms). */
  initialMs?: number;
  /** Cap on any single delay (default 30,000 ms). */
  maxMs?: number;
  /** Growth factor per consecutive failure (default 2). */
  factor?: number;
  /** Uniform source in [0, 1) for the jitter (default `Math.random`; inject a seeded one in tests). */
  random?: () => number;
}

/**
 * Capped exponential backoff with "equal jitter": attempt k (0-based) waits
 * `d = min(maxMs, initialMs·factor^k)` scaled into `[d/2, d)` uniformly. Half the delay is guaranteed, so
 * a network outage cannot turn into a reconnect storm (at most one attempt per `maxMs/2` once capped),
 * while the random half de-synchronises many clients. See AWS Architecture Blog, "Exponential Backoff
 * And Jitter" (2015). O(1) per call.
 *
 * @throws RangeError (E_PARAM) when a parameter is not finite, `initialMs <= 0`, `maxMs < initialMs` or `factor < 1`.
 * @example
 * const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
 * [b.next(), b.next(), b.next(), b.next(), b.next()]; // [50, 100, 200, 400, 500]
 * b.reset(); b.next(); // 50
 */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    const what = "backoff";
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    assertFiniteNumber(what, "initialMs", this.initialMs);
    assertFiniteNumber(what, "maxMs", this.maxMs);
    assertFiniteNumber(what, "factor", this.factor);
    if (this.initialMs <= 0) throw parameterRangeError(what, "initialMs", "a number > 0", this.initialMs);
    if (this.maxMs < this.initialMs) throw parameterRangeError(what, "maxMs", `a number >= initialMs (${this.initialMs})`, this.maxMs);
    if (this.factor < 1) throw parameterRangeError(what, "factor", "a number >= 1", this.factor);
    this.random = options.random ?? Math.random;
  }

  /** Number of consecutive failures recorded since the last {@link reset}. */
  get attempts(): number {
    return this.attempt;
  }

  /** Returns the delay before the next attempt (ms) and counts one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, Math.min(this.attempt, 64)));
    this.attempt++;
    return base / 2 + (base / 2) * this.random();
  }

  /** Forgets past failures (call after a connection proved healthy). */
  reset(): void {
    this.attempt = 0;
  }
}

