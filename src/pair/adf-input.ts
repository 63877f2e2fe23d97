import { parameterRangeError } from "../errors";
import type { PairAnalytics } from "./pair-analytics";

/** Series the ADF test can run on: the spread, y (`symbols[0]` close) or x (`symbols[1]` close). */
export type AdfSeries = "spread" | "y" | "x";

/** Accepted values of {@link AdfSeries}. */
export const ADF_SERIES: readonly AdfSeries[] = ["spread", "y", "x"];

/** What ADF runs on, with its own warm-up rule in bars of the aligned grid. */
export interface AdfInput {
  series: AdfSeries;
  /** "the spread", "BTCUSDT close", … (for titles). */
  label: string;
  /** The observations the test gets (the spread starts after the first full hedge window). */
  values: Float64Array;
  /** Bars the grid needs before the test runs: `hedgeWindow − 1 + adfMinBars` for the spread, `adfMinBars` for y or x. */
  needed: number;
  /** Bars on the grid now. */
  got: number;
}

/**
 * The ADF warm-up rule, owned by the pair layer so no notebook does the arithmetic: the spread is defined
 * only after the first `hedgeWindow − 1` bars, so ADF on it needs `hedgeWindow − 1 + adfMinBars` bars on the
 * grid and runs on the spread from its first full window (Kalman: from bar `kalman.warmup`, needing
 * `warmup + adfMinBars` bars); on y or x it needs `adfMinBars` bars. O(1) (a view).
 * @throws RangeError (E_PARAM) when `series` is not "spread", "y" or "x".
 * @example adfInput(an, "spread").needed // 349 for hedgeWindow 300, adfMinBars 50
 */
export function adfInput(an: PairAnalytics, series: AdfSeries): AdfInput {
  if (!ADF_SERIES.includes(series)) throw parameterRangeError("pair ADF", "series", `one of ${ADF_SERIES.map((s) => JSON.stringify(s)).join(", ")}`, series);
  const p = an.params;
  if (series === "spread") {
    // The spread's first defined bar: hedgeWindow − 1 (OLS) or kalman.warmup (Kalman).
    const lead = p.hedge === "kalman" ? p.kalman.warmup : p.hedgeWindow - 1;
    return { series, label: "the spread", values: an.spread.subarray(Math.min(an.bars, lead)), needed: lead + p.adfMinBars, got: an.bars };
  }
  const [y, x] = p.symbols;
  return series === "y"
    ? { series, label: `${y} close`, values: an.a.close, needed: p.adfMinBars, got: an.bars }
    : { series, label: `${x} close`, values: an.b.close, needed: p.adfMinBars, got: an.bars };
}
