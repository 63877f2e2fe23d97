/**
 * The clock the alerts area uses (structurally the same as the ingestion's `Clock`, so `systemClock` and
 * `createManualClock()` fit): wall time plus one-shot timers that never keep Node alive.
 */
export interface AlertClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now()` and unref'd timers (delays capped at 2^31 − 1 ms). */
export const realAlertClock: AlertClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.min(2 ** 31 - 1, Math.max(0, ms)));
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
