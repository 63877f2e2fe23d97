/**
 * The decision rule shared by the live z-score alerts ({@link zScoreAlerts}) and the backtest
 * (`backtestPair`, `sweepBacktest`, `walkForward`): one function, so the entries an alert fires live are
 * the entries the backtest takes on the same bars.
 */

/** Position codes of {@link spreadDecision}: flat, long spread (+y, −β·x), short spread (−y, +β·x). */
export const FLAT = 0;
/** Long spread: holds +y and −β·x (entered when the spread is cheap, z ≤ −entry). */
export const LONG = 1;
/** Short spread: holds −y and +β·x (entered when the spread is rich, z ≥ +entry). */
export const SHORT = -1;

/** Decision codes returned by {@link spreadDecision}. */
export const NONE = 0;
/** Flat → long spread (z ≤ −entry). */
export const ENTER_LONG = 1;
/** Flat → short spread (z ≥ +entry). */
export const ENTER_SHORT = 2;
/** Long/short → flat because z came back inside the exit level. */
export const EXIT = 3;
/** Long/short → flat because z went beyond the stop level. */
export const STOP = 4;

/**
 * One step of the z-score mean-reversion rule at a bar close (internal to pairlab; both the alert
 * machine and the backtest call it):
 * - flat: z ≤ −entry → {@link ENTER_LONG}; z ≥ +entry → {@link ENTER_SHORT};
 * - long: z ≤ −stop → {@link STOP}; otherwise z ≥ −exit → {@link EXIT};
 * - short: z ≥ +stop → {@link STOP}; otherwise z ≤ +exit → {@link EXIT};
 * - a NaN z decides nothing ({@link NONE}).
 *
 * Pass `stop = Infinity` for "no stop". Parameters are not validated here (callers validate once,
 * before any work): `entry > 0`, `0 ≤ exit < entry`, `stop > entry`. O(1), allocation-free.
 *
 * @param position {@link FLAT}, {@link LONG} or {@link SHORT}.
 * @param z z-score at the bar close.
 * @returns a decision code ({@link NONE}, {@link ENTER_LONG}, {@link ENTER_SHORT}, {@link EXIT}, {@link STOP}).
 * @example
 * spreadDecision(FLAT, -2.1, 2, 0.5, Infinity) // ENTER_LONG (1)
 * spreadDecision(LONG, -3.2, 2, 0.5, 3)        // STOP (4)
 * spreadDecision(SHORT, 0.4, 2, 0.5, Infinity) // EXIT (3)
 */
export function spreadDecision(position: number, z: number, entry: number, exit: number, stop: number): number {
  if (position === FLAT) {
    if (z <= -entry) return ENTER_LONG;
    if (z >= entry) return ENTER_SHORT;
    return NONE;
  }
  if (position === LONG) {
    if (z <= -stop) return STOP;
    if (z >= -exit) return EXIT;
    return NONE;
  }
  if (z >= stop) return STOP;
  if (z <= exit) return EXIT;
  return NONE;
}
