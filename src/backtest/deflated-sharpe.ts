import { mean, sampleKurtosis, sampleSkewness, sampleStandardDeviation, sampleVariance } from "simple-statistics";
import { InsufficientDataError, NonFiniteInputError, DegenerateInputError } from "../errors";
import { normalCdf } from "../stationarity/normal-cdf";
import { assertArrayLike, assertInteger } from "../validate";
import { normalQuantile } from "./normal-quantile";

const WHAT = "Deflated Sharpe Ratio";
/** Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/** Result of {@link deflatedSharpeRatio}. Sharpe ratios here are per bar (not annualised). */
export interface DeflatedSharpe {
  /** DSR: the probability that the true Sharpe ratio exceeds the best one expected from `trials` unskilled trials. In [0, 1]. */
  dsr: number;
  /** Per-bar Sharpe ratio of the selected returns: mean / sample std (ddof 1). */
  sharpe: number;
  /** SR₀: the expected maximum per-bar Sharpe ratio of `trials` trials under the null (0 for a single trial). */
  sr0: number;
  /** N: number of trials (combinations tried). */
  trials: number;
  /** T: number of returns. */
  observations: number;
  /** Sample skewness of the returns (adjusted Fisher–Pearson, as pandas `skew`; simple-statistics `sampleSkewness`). */
  skewness: number;
  /** Kurtosis of the returns, not excess: simple-statistics `sampleKurtosis` (bias-corrected excess, as pandas `kurt`) + 3. */
  kurtosis: number;
  /** Sample variance (ddof 1) of the trials' per-bar Sharpe ratios (0 for a single trial). */
  trialVariance: number;
}

/**
 * Deflated Sharpe Ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio: Correcting for Selection Bias,
 * Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 2014):
 *
 *   SR₀ = √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))
 *   DSR = Φ( (SR − SR₀)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4 · SR²) )
 *
 * with SR the per-bar Sharpe ratio of the selected strategy's T returns, γ₃ / γ₄ their skewness / kurtosis,
 * N the number of trials, V the variance of the trials' per-bar Sharpe ratios and γ the Euler–Mascheroni
 * constant. With N = 1 there is no selection: SR₀ = 0 (the Probabilistic Sharpe Ratio against 0).
 * Moments from `simple-statistics`; Φ from pairlab's `normalCdf`, Φ⁻¹ by Acklam + Halley refinement. O(T + N).
 *
 * Edge case: when 1 − γ₃·SR + (γ₄ − 1)/4·SR² ≤ 0 (possible only for extreme skewness) the statistic is
 * undefined and `dsr` is NaN — documented, never silent.
 *
 * @param returns the selected strategy's bar returns (finite; at least 4 for the kurtosis).
 * @param trialSharpes the per-bar Sharpe ratio of every trial, the selected one included (finite, at least 1); V is their
 *   sample variance.
 * @param trials N, the number of trials tried (default `trialSharpes.length`); larger when some trials have no
 *   Sharpe ratio (e.g. no trade) and so cannot enter V. An integer >= trialSharpes.length.
 * @throws TypeError (E_PARAM) when an argument is not array-like; InsufficientDataError for fewer than 4 returns or
 *   no trial; RangeError (E_PARAM) for a bad `trials`; NonFiniteInputError for a NaN/±Infinity value; DegenerateInputError when the returns are constant.
 * @example
 * deflatedSharpeRatio(returns, trials.map((t) => t.sharpePerBar))
 * // { dsr: 0.9998, sharpe: 0.2118, sr0: 0.0541, trials: 100, observations: 500, skewness: 0.31, kurtosis: 6.39, trialVariance: 0.00046 }
 */
export function deflatedSharpeRatio(returns: ArrayLike<number>, trialSharpes: ArrayLike<number>, trials: number = trialSharpes?.length): DeflatedSharpe {
  assertArrayLike(WHAT, "returns", returns);
  assertArrayLike(WHAT, "trialSharpes", trialSharpes);
  if (returns.length < 4) throw new InsufficientDataError(WHAT, 4, returns.length, "returns: the kurtosis needs 4");
  if (trialSharpes.length < 1) throw new InsufficientDataError(WHAT, 1, 0, "trialSharpes: at least the selected trial");
  assertInteger(WHAT, "trials", trials, trialSharpes.length);
  const r = Array.from(returns);
  const sharpes = Array.from(trialSharpes);
  r.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new NonFiniteInputError(WHAT, "returns", i, v);
  });
  sharpes.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new NonFiniteInputError(WHAT, "trialSharpes", i, v);
  });
  const std = sampleStandardDeviation(r);
  if (!(std > 0)) throw new DegenerateInputError(WHAT, "returns", "are constant (the Sharpe ratio is undefined)");
  const sharpe = mean(r) / std;
  const skewness = sampleSkewness(r);
  const kurtosis = sampleKurtosis(r) + 3;
  const n = trials;
  const trialVariance = sharpes.length >= 2 ? sampleVariance(sharpes) : 0;
  const sr0 = n >= 2 ? Math.sqrt(trialVariance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / n) + EULER_GAMMA * normalQuantile(1 - 1 / (n * Math.E))) : 0;
  const t = r.length;
  const scale = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  const dsr = scale > 0 ? normalCdf(((sharpe - sr0) * Math.sqrt(t - 1)) / Math.sqrt(scale)) : NaN;
  return { dsr, sharpe, sr0, trials: n, observations: t, skewness, kurtosis, trialVariance };
}
