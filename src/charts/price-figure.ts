import { parameterRangeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure, PlotlyTrace, PlotlyValue } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

/** One symbol's bars as the price chart needs them (an analytics `Bars` plus its symbol fits). */
export interface PriceSeries {
  /** Symbol, e.g. "BTCUSDT". */
  symbol: string;
  /** Bar open times, epoch ms (UTC). */
  time: ArrayLike<number>;
  /** Close prices. */
  close: ArrayLike<number>;
  /** Volumes (base-asset quantity per bar). */
  volume: ArrayLike<number>;
  /**
   * Traded value per bar in quote currency (Σ price·qty, USDT for USD-M futures). When every series has it,
   * the volume panel shows it on one shared axis, where BTC and ETH are comparable.
   */
  quoteVolume?: ArrayLike<number>;
}

const WHAT = "price chart";
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

/**
 * Price and volume per symbol: one price panel per symbol (their scales differ, e.g. BTC vs ETH) and
 * a volume panel below, all on one UTC time axis. Volume is readable for every symbol: when every series
 * has `quoteVolume`, the panel shows traded value in quote currency (`quoteCurrency`, default "USDT") on
 * one axis; otherwise each symbol's base quantity gets its own y axis (left, right, …) in the panel, so a
 * small BTC quantity is never flattened next to a large ETH one. Close prices are LTTB-downsampled and
 * volumes min-max-downsampled (so spikes survive) to the point budget.
 *
 * @param series - 1 to 4 symbols; each `time`, `close`, `volume` (and `quoteVolume`) of equal length.
 * @param options - {@link ChartOptions} plus `quoteCurrency` for the quote-volume axis title.
 * @returns a Plotly figure; O(n) in the total number of bars.
 * @throws RangeError (E_PARAM) for 0 or more than 4 series or mismatched lengths.
 * @example
 * priceFigure([{ symbol: "BTCUSDT", time: bars.time, close: bars.close, volume: bars.volume }], { simulated: true })
 */
export function priceFigure(series: readonly PriceSeries[], options: ChartOptions & { quoteCurrency?: string } = {}): PlotlyFigure {
  if (!Array.isArray(series) || series.length < 1 || series.length > 4) {
    throw parameterRangeError(WHAT, "series", "an array of 1 to 4 price series", series);
  }
  for (const s of series) {
    assertArrayLike(WHAT, "time", s.time);
    assertArrayLike(WHAT, "close", s.close);
    assertArrayLike(WHAT, "volume", s.volume);
    assertSameLength(WHAT, "time", s.time, "close", s.close);
    assertSameLength(WHAT, "time", s.time, "volume", s.volume);
    if (s.quoteVolume !== undefined) {
      assertArrayLike(WHAT, "quoteVolume", s.quoteVolume);
      assertSameLength(WHAT, "time", s.time, "quoteVolume", s.quoteVolume);
    }
  }
  const quote = series.every((s) => s.quoteVolume !== undefined);
  const currency = options.quoteCurrency ?? "USDT";
  const budget = pointBudget(WHAT, options, series.length * 2);
  const n = series.length;
  const gap = 0.04;
  const volumeHeight = 0.22;
  const priceHeight = (1 - volumeHeight - gap * n) / n;
  const data: PlotlyTrace[] = [];
  const layout = baseLayout("Prices and volume", options, 200 + 160 * n);
  series.forEach((s, i) => {
    const axis = i === 0 ? "y" : `y${i + 1}`;
    const top = 1 - i * (priceHeight + gap);
    layout[i === 0 ? "yaxis" : `yaxis${i + 1}`] = {
      domain: [round4(top - priceHeight), round4(top)],
      title: { text: `${s.symbol} price` },
      anchor: "x",
    };
    data.push(lineTrace(`${s.symbol} close`, s.time, s.close, budget, options, { yaxis: axis, line: { color: COLORS[i], width: 1.2 } }));
  });
  const volumeAxis = `y${n + 1}`;
  // The shared time axis sits under the bottom (volume) panel.
  layout.xaxis = { type: "date", title: { text: "time (UTC)" }, anchor: volumeAxis };
  if (quote) {
    layout[`yaxis${n + 1}`] = { domain: [0, volumeHeight], title: { text: `volume (${currency})` }, anchor: "x" };
  } else {
    // One axis per symbol: the first on the left of the panel, the others overlaid on the right.
    series.forEach((s, i) => {
      layout[`yaxis${n + 1 + i}`] =
        i === 0
          ? { domain: [0, volumeHeight], title: { text: `${s.symbol} volume` }, anchor: "x", color: COLORS[i] }
          : { overlaying: volumeAxis, side: "right", title: { text: `${s.symbol} volume` }, anchor: "x", showgrid: false, color: COLORS[i] };
    });
  }
  series.forEach((s, i) => {
    const values = quote ? (s.quoteVolume as ArrayLike<number>) : s.volume;
    const name = quote ? `${s.symbol} volume (${currency})` : `${s.symbol} volume`;
    const trace = lineTrace(name, s.time, values, budget, options, {}, "minmax");
    const extra: { [key: string]: PlotlyValue } = { type: "bar", yaxis: quote ? volumeAxis : `y${n + 1 + i}`, marker: { color: COLORS[i] }, opacity: 0.6 };
    delete trace.mode;
    data.push({ ...trace, ...extra, type: "bar" });
  });
  layout.barmode = "overlay";
  layout.bargap = 0;
  return makeFigure(data, layout);
}

function round4(v: number): number {
  return Math.round(Math.max(0, Math.min(1, v)) * 1e4) / 1e4;
}
