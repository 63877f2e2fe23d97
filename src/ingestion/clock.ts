/**
 * An injectable clock: wall time plus one-shot timers. Every timer the ingestion layer uses (backoff,
 * watchdog, proactive reconnect, close timeout) goes through a {@link Clock}, so tests drive time by hand
 * and never sleep for real seconds.
 */

/** Opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Wall time (epoch milliseconds) and one-shot timers. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. Real clocks must not keep the process alive (unref). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a no-op for an already fired or cancelled handle. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now()` and `setTimeout` timers that are unref'd, so a forgotten ingestion never
 * delays a kernel or script shutdown. Delays above 2^31 − 1 ms (≈ 24.8 days) are capped to it. O(1) per call.
 *
 * @example
 * const t = systemClock.setTimeout(() => console.log("tick"), 1000); // does not keep Node alive
 * systemClock.clearTimeout(t);
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Node fires delays above 2^31 − 1 ms after 1 ms: cap them (≈ 24.8 days) instead.
    const timer = setTimeout(fn, Math.min(2 ** 31 - 1, Math.max(0, ms)));
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** A hand-driven {@link Clock} for tests and simulations. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing every due timer in time order (timers scheduled meanwhile included). */
  advance(ms: number): void;
  /** Number of pending timers. */
  pending(): number;
  /** Delays (ms) of the timers scheduled so far, in scheduling order; for asserting backoff schedules. */
  readonly scheduled: number[];
}

/**
 * Creates a {@link ManualClock} starting at `startMs` (epoch ms). Timers fire only inside `advance()`.
 * `advance` is O(k log k) in the number of due timers.
 *
 * @example
 * const clock = createManualClock(0);
 * clock.setTimeout(() => console.log("fired at", clock.now()), 500);
 * clock.advance(1000); // logs "fired at 500"
 */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void; order: number }>();
  const scheduled: number[] = [];
  return {
    now: () => now,
    scheduled,
    setTimeout(fn, ms) {
      const id = nextId++;
      const delay = Math.max(0, ms);
      scheduled.push(delay);
      timers.set(id, { at: now + delay, fn, order: id });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let bestId = -1;
        let best: { at: number; fn: () => void; order: number } | undefined;
        for (const [id, t] of timers) {
          if (t.at <= target && (best === undefined || t.at < best.at || (t.at === best.at && t.order < best.order))) {
            best = t;
            bestId = id;
          }
        }
        if (best === undefined) break;
        timers.delete(bestId);
        now = Math.max(now, best.at);
        best.fn();
      }
      now = target;
    },
  };
}
