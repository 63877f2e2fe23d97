import { barsNeededFor, timeframeLabel, type PairAnalytics, type PairChart } from "../pair";
import type { PlotlyFigure } from "./figure";
import { correlationFigure } from "./correlation-figure";
import { hedgeComparisonFigure } from "./hedge-comparison-figure";
import { hedgeRatioFigure } from "./hedge-ratio-figure";
import { figureBundle, type MimeBundle } from "./mime-bundle";
import { priceFigure } from "./price-figure";
import { formatHalfLife, spreadFigure } from "./spread-figure";
import { warningBundle, insufficientDataMessage } from "./warning";
import { zScoreFigure } from "./zscore-figure";

const CHART_NAMES: Record<PairChart, string> = {
  prices: "prices",
  spread: "spread",
  zscore: "z-score",
  correlation: "correlation",
  hedge: "hedge ratio",
};

/** "Kalman (delta 1e-7, ve 0.00001, scale first, warmup 100)": the Kalman settings as titles show them. O(1). */
export function kalmanLabel(k: PairAnalytics["params"]["kalman"]): string {
  return `Kalman (delta ${k.delta}, ve ${k.ve}, scale ${k.scale}, warmup ${k.warmup})`;
}

/**
 * Builds one pair chart from {@link pairAnalytics} output (downsampled for display only). Titles use the
 * parameters' names (hedgeWindow, zWindow, entry, exit, correlationWindow; with `hedge: "kalman"`, "Kalman" and its
 * settings delta, ve, scale, warmup); volume is in quote currency (USDT notional), so both legs share one readable
 * axis. With hedge "kalman" the "hedge" chart draws the Kalman β next to the rolling OLS β (hedgeWindow). O(n).
 * @example pairFigure(an, "zscore").layout.title // { text: "Z-score (zWindow 120, entry ±2, exit ±0.5) — SIMULATED", … }
 */
export function pairFigure(an: PairAnalytics, chart: PairChart): PlotlyFigure {
  const p = an.params;
  const common = { simulated: p.simulated };
  const tf = timeframeLabel(p.timeframe);
  const stopLabel = Number.isFinite(p.stop) ? `, stop ±${p.stop}` : "";
  if (p.hedge === "kalman") {
    const k = kalmanLabel(p.kalman);
    switch (chart) {
      case "spread":
        return spreadFigure(an.time, an.spread, {
          ...common,
          halfLife: an.halfLife,
          barSeconds: an.barSeconds,
          title: `Kalman spread e = ${p.symbols[0]} − α − β·${p.symbols[1]} (forecast error; ${k}, half-life ${formatHalfLife(an.halfLife, an.barSeconds)})`,
        });
      case "zscore":
        return zScoreFigure(an.time, an.zscore, { ...common, threshold: p.entry, exit: p.exit, alerts: an.alerts, title: `Kalman z-score e/√Q (${k}, entry ±${p.entry}, exit ±${p.exit}${stopLabel})` });
      case "hedge":
        return hedgeComparisonFigure(
          an.time,
          { "Kalman β": an.hedgeRatio, [`rolling OLS β (hedgeWindow ${p.hedgeWindow})`]: an.olsHedgeRatio },
          { ...common, title: `Hedge ratio β: ${k} vs rolling OLS (hedgeWindow ${p.hedgeWindow}); current Kalman β ${Number.isFinite(an.currentHedgeRatio) ? an.currentHedgeRatio.toPrecision(6) : "–"}` },
        );
      default:
        break;
    }
  }
  switch (chart) {
    case "prices":
      return priceFigure(
        [
          { symbol: p.symbols[0], time: an.time, close: an.a.close, volume: an.a.volume, quoteVolume: an.quoteVolume[0] },
          { symbol: p.symbols[1], time: an.time, close: an.b.close, volume: an.b.volume, quoteVolume: an.quoteVolume[1] },
        ],
        { ...common, title: `Prices and quote volume (${tf} bars)` },
      );
    case "spread":
      return spreadFigure(an.time, an.spread, {
        ...common,
        halfLife: an.halfLife,
        barSeconds: an.barSeconds,
        title: `Spread ${p.symbols[0]} − α − β·${p.symbols[1]} (hedgeWindow ${p.hedgeWindow}, half-life ${formatHalfLife(an.halfLife, an.barSeconds)})`,
      });
    case "zscore":
      return zScoreFigure(an.time, an.zscore, { ...common, threshold: p.entry, exit: p.exit, alerts: an.alerts, title: `Z-score (zWindow ${p.zWindow}, entry ±${p.entry}, exit ±${p.exit}${stopLabel})` });
    case "correlation":
      return correlationFigure(an.time, an.correlation, { ...common, title: `Correlation of log returns (correlationWindow ${p.correlationWindow})` });
    case "hedge":
      return hedgeRatioFigure(an.time, an.hedgeRatio, { ...common, current: an.currentHedgeRatio, title: `Hedge ratio β (hedgeWindow ${p.hedgeWindow})` });
  }
}

/**
 * The bundle a notebook shows for one chart: the figure, or — when there are fewer bars than the chart
 * needs — a visible warning that says how many bars are missing and how long they take (never an empty
 * chart, never an exception). `tradesPerSecond` (trades/s) adds "no trades are arriving" when it is 0.
 * @example show(pairChartBundle(an, "zscore", { tradesPerSecond: 12 }))
 */
export function pairChartBundle(an: PairAnalytics, chart: PairChart, context: { tradesPerSecond?: number } = {}): MimeBundle {
  const needed = barsNeededFor(chart, an.params);
  if (an.bars < needed) {
    return warningBundle(
      insufficientDataMessage({
        what: `the ${CHART_NAMES[chart]} chart on ${timeframeLabel(an.params.timeframe)} bars`,
        needed,
        got: an.bars,
        unit: "bars",
        secondsPerUnit: an.barSeconds,
        tradesPerSecond: context.tradesPerSecond,
      }),
    );
  }
  return figureBundle(pairFigure(an, chart));
}
