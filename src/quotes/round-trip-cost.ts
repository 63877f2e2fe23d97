import { parameterRangeError } from "../errors";
import { assertArrayLike, assertFiniteNumber } from "../validate";

const WHAT = "round-trip cost";

/** The touch of both legs, aligned point by point (e.g. the `bid`/`ask` of two {@link QuoteBars} on one grid). */
export interface PairTouch {
  /** Best bid and ask of y (the leg bought/sold for one unit). */
  bidY: ArrayLike<number>;
  askY: ArrayLike<number>;
  /** Best bid and ask of x (the hedge leg, β units per unit of y). */
  bidX: ArrayLike<number>;
  askX: ArrayLike<number>;
}

/** Options of {@link roundTripCost}. */
export interface RoundTripCostOptions {
  /** Fee per fill in bps of the fill's notional (default 0: the touch only; Binance USD-M taker is 5). */
  feeBps?: number;
}

/** Output of {@link roundTripCost}: one value per point (NaN where a quote or β is missing). */
export interface RoundTripCost {
  /** Cost in quote currency per unit of y: `(askY − bidY) + |β|·(askX − bidX)` plus fees. */
  cost: Float64Array;
  /** The same in bps of the position's gross notional `midY + |β|·midX`. */
  costBps: Float64Array;
}

/**
 * The pair's round-trip cost at the touch: entering the spread position (one unit of y against β units of
 * x) and exiting it again, crossing the spread on every fill, with the book unchanged in between.
 * Long spread: buy y at askY, sell βx at bidX, then sell y at bidY, buy βx at askX; short spread is the
 * mirror image and costs the same. So the cost per unit of y is the full quoted spread of y plus |β| times
 * that of x, `(askY − bidY) + |β|(askX − bidX)`, plus `feeBps` on each of the four fills (≈ `4 · feeBps/2`
 * of the gross notional, i.e. `2 · feeBps` bps). In bps it is divided by the gross notional
 * `midY + |β|·midX`. The cost is in the spread's own units (quote currency per unit of y), so it compares
 * directly with a z-score move times the spread's standard deviation. O(n).
 *
 * @param beta - hedge ratio β, a number or a series of the same length (NaN slots give NaN).
 * @throws TypeError / RangeError (E_PARAM) for non-arrays, different lengths, a non-finite scalar β or a
 *   negative / non-finite `feeBps`.
 * @example
 * roundTripCost({ bidY: [100], askY: [100.1], bidX: [10], askX: [10.01] }, 2).cost    // Float64Array [0.12]
 * roundTripCost({ bidY: [100], askY: [100.1], bidX: [10], askX: [10.01] }, 2).costBps // Float64Array [≈ 9.995] (0.12 / 120.06 · 1e4)
 */
export function roundTripCost(touch: PairTouch, beta: number | ArrayLike<number>, options: RoundTripCostOptions = {}): RoundTripCost {
  const { bidY, askY, bidX, askX } = touch;
  for (const [name, col] of [["bidY", bidY], ["askY", askY], ["bidX", bidX], ["askX", askX]] as const) {
    assertArrayLike(WHAT, name, col);
    if (col.length !== bidY.length) throw parameterRangeError(WHAT, name, `the same length as 'bidY' (${bidY.length})`, col.length);
  }
  const n = bidY.length;
  if (typeof beta === "number") assertFiniteNumber(WHAT, "beta", beta);
  else {
    assertArrayLike(WHAT, "beta", beta);
    if (beta.length !== n) throw parameterRangeError(WHAT, "beta", `a number or a series of length ${n}`, beta.length);
  }
  const fee = options.feeBps ?? 0;
  assertFiniteNumber(WHAT, "feeBps", fee);
  if (fee < 0) throw parameterRangeError(WHAT, "feeBps", "a number >= 0 (bps per fill)", fee);
  const cost = new Float64Array(n);
  const costBps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = Math.abs(typeof beta === "number" ? beta : beta[i]);
    const midY = (bidY[i] + askY[i]) / 2;
    const midX = (bidX[i] + askX[i]) / 2;
    // Fees: each fill pays fee on its own price; entry and exit of both legs (bid and ask of each) sum to
    // (bidY + askY) + b(bidX + askX) = 2 × gross notional.
    const feeCost = (fee / 1e4) * (bidY[i] + askY[i] + b * (bidX[i] + askX[i]));
    const c = askY[i] - bidY[i] + b * (askX[i] - bidX[i]) + feeCost;
    cost[i] = c;
    costBps[i] = (c / (midY + b * midX)) * 1e4;
  }
  return { cost, costBps };
}
