import { halfLife } from "../analytics/half-life";
import { PairlabError } from "../errors";
import { adfTest } from "../stationarity/adf";
import { engleGranger, type EngleGrangerResult } from "../stationarity/engle-granger";
import { hurstOf } from "./hurst";
import { crossingsOf } from "./mean-crossings";

/** Statistics of one pair before the multiple-testing adjustment (internal to the screen). */
export interface PairStatistics {
  /** true when the dependent leg (y) is the second symbol of the pair. */
  swapped: boolean;
  egStatistic: number;
  egPValue: number;
  egStatisticReverse: number;
  egPValueReverse: number;
  hedgeRatio: number;
  intercept: number;
  halfLifeBars: number;
  hurst: number;
  meanCrossings: number;
  adfPValue: number;
  /** Why the row has no statistics (a degenerate pair), or "". */
  error: string;
}

/**
 * Every per-pair statistic of the screen for series `a` and `b` (validated, finite, same length): Engle-Granger
 * (trend "c", autolag AIC) in both directions keeping the one with the lower statistic (equivalently the lower
 * p-value: both use the same MacKinnon N = 2 surface), its hedge ratio and spread, half-life (AR(1) OLS), Hurst
 * exponent, mean crossings and the ADF p-value (regression "c", autolag AIC) of that spread.
 * A pair whose regression is degenerate (e.g. two identical series) comes back with NaN statistics and `error` set.
 * O(n·maxlag + n·hurstMaxLag).
 */
export function pairStatistics(a: Float64Array, b: Float64Array, hurstMaxLag: number): PairStatistics {
  let ab: EngleGrangerResult;
  let ba: EngleGrangerResult;
  try {
    ab = engleGranger(a, b, { trend: "c", autolag: "AIC" });
    ba = engleGranger(b, a, { trend: "c", autolag: "AIC" });
  } catch (error) {
    if (error instanceof PairlabError) return failed(error.message);
    throw error;
  }
  const swapped = ba.statistic < ab.statistic;
  const best = swapped ? ba : ab;
  const other = swapped ? ab : ba;
  const s = best.residuals;
  let hl: number;
  let adfP: number;
  try {
    hl = halfLife(s);
    adfP = adfTest(s, { regression: "c", autolag: "AIC" }).pValue;
  } catch (error) {
    if (error instanceof PairlabError) return failed(error.message);
    throw error;
  }
  return {
    swapped,
    egStatistic: best.statistic,
    egPValue: best.pValue,
    egStatisticReverse: other.statistic,
    egPValueReverse: other.pValue,
    hedgeRatio: best.hedgeRatio,
    intercept: best.intercept,
    halfLifeBars: hl,
    hurst: hurstOf(s, hurstMaxLag),
    meanCrossings: crossingsOf(s),
    adfPValue: adfP,
    error: "",
  };
}

function failed(message: string): PairStatistics {
  return {
    swapped: false,
    egStatistic: NaN,
    egPValue: NaN,
    egStatisticReverse: NaN,
    egPValueReverse: NaN,
    hedgeRatio: NaN,
    intercept: NaN,
    halfLifeBars: NaN,
    hurst: NaN,
    meanCrossings: NaN,
    adfPValue: NaN,
    error: message,
  };
}
