/**
 * The pair object's backtest: `pair.backtest()`, `pair.sweep()`, `pair.walkForward()` and the backtest views of
 * `pair.show()` ("backtest", "equity", "trades", "sweep", "walkforward", and "zscore" with `markers: "trades"`),
 * computed on the pair's own aligned bars with the pair's parameters unless overridden (one vocabulary).
 */
import {
  backtestPair,
  backtestSummary,
  sweepBacktest,
  walkForward,
  type BacktestOptions,
  type BacktestResult,
  type BacktestRun,
  type SweepGrid,
  type SweepMetric,
  type SweepResult,
  type WalkForwardInsufficient,
  type WalkForwardOptions,
  type WalkForwardResult,
} from "../backtest";
import {
  equityFigure,
  figureBundle,
  frameBundle,
  insufficientDataMessage,
  sweepHeatmapFigure,
  tradeMarkers,
  warningBundle,
  zScoreFigure,
  type MimeBundle,
} from "../charts";
import { parameterTypeError } from "../errors";
import { danfo, isoUtc, tradeFrame } from "../export";
import { timeframeLabel, type PairAnalytics, type ResolvedPairParams } from "../pair";
import { assertOneOf } from "../validate";

/**
 * Options of `pair.backtest()`: any {@link BacktestOptions} field. hedgeWindow, zWindow, entry, exit and stop
 * default to the pair's parameters; notional to {@link PAIR_BACKTEST_DEFAULTS} (10,000 USDT); capital, feeBps,
 * slippageBps and funding to `backtestPair`'s defaults (2 × notional, 5 bps, 0 bps, none).
 */
export type PairBacktestOptions = Partial<BacktestOptions>;

/** Options of `pair.walkForward()`: the backtest options plus `split` (default 0.7) and `metric` (default "sharpe"). */
export interface PairWalkForwardOptions extends PairBacktestOptions, WalkForwardOptions {}

/** Defaults of the backtest options the pair's parameters do not give. */
export const PAIR_BACKTEST_DEFAULTS = { notional: 10_000 } as const;

/** The grid `pair.show("sweep")` and `pair.show("walkforward")` use when none is given (16 combinations). */
export const DEFAULT_SWEEP_GRID: SweepGrid = { entry: [1.5, 2, 2.5, 3], exit: [0, 0.25, 0.5, 1] };

/** The backtest views of `pair.show`. */
export const BACKTEST_VIEWS = ["backtest", "equity", "trades", "sweep", "walkforward"] as const;

/** A backtest view: metrics ("backtest"), equity and drawdown, the trade table, the sweep heatmap, the walk-forward table. */
export type BacktestView = (typeof BACKTEST_VIEWS)[number];

/** The sweep's parameters a heatmap axis can show. */
export type SweepAxis = "entry" | "exit" | "zWindow" | "hedgeWindow";

/** Options of the backtest views of `pair.show`. */
export interface PairBacktestShowOptions {
  /** Overrides of the backtest options (see {@link PairBacktestOptions}); for every backtest view. */
  backtest?: PairBacktestOptions;
  /** For "sweep" and "walkforward": the grid. Default {@link DEFAULT_SWEEP_GRID}. */
  grid?: SweepGrid;
  /** For "sweep": the heatmap's metric (default "sharpe"); for "walkforward": "sharpe" (default) or "totalReturn". */
  metric?: SweepMetric;
  /** For "sweep": the heatmap's [x, y] parameters. Default ["entry", "exit"]. */
  axes?: readonly [SweepAxis, SweepAxis];
  /** For "walkforward": the in-sample share, in (0, 1). Default 0.7. */
  split?: number;
  /** For "zscore": "alerts" (default: the live alerts) or "trades" (the backtest's entry and exit decisions). */
  markers?: "alerts" | "trades";
}

/**
 * The full backtest options of a pair: its parameters (hedge and, for "kalman", its kalman settings; hedgeWindow,
 * zWindow, entry, exit, stop), the pair defaults, then `overrides`. `{ hedge: "kalman" }` on an OLS pair uses the
 * pair's kalman settings (their defaults unless set); `{ hedge: "ols" }` on a Kalman pair drops them. Unknown keys are refused by `backtestPair` itself. O(1).
 * @throws TypeError (E_PARAM) when `overrides` is not an object.
 * @example pairBacktestOptions("pair.backtest", pair.params, { feeBps: 2 }) // { hedgeWindow: 300, …, notional: 10000, feeBps: 2 }
 */
export function pairBacktestOptions(what: string, params: ResolvedPairParams, overrides: PairBacktestOptions = {}): BacktestOptions {
  if (overrides === null || typeof overrides !== "object") throw parameterTypeError(what, "options", "an object of backtest options (hedgeWindow, zWindow, entry, exit, stop, notional, capital, feeBps, slippageBps, funding)", overrides);
  const stop = overrides.stop ?? (Number.isFinite(params.stop) ? params.stop : undefined);
  // The pair's hedge choice: with "kalman", its settings too (an override of `hedge` or `kalman` wins).
  const hedge = overrides.hedge ?? params.hedge;
  const kalman =
    hedge === "kalman" && (overrides.kalman === undefined || (typeof overrides.kalman === "object" && overrides.kalman !== null && !Array.isArray(overrides.kalman)))
      ? { ...params.kalman, ...overrides.kalman }
      : overrides.kalman;
  const options: BacktestOptions = {
    hedge,
    ...(kalman !== undefined ? { kalman } : {}),
    hedgeWindow: params.hedgeWindow,
    zWindow: params.zWindow,
    entry: params.entry,
    exit: params.exit,
    notional: PAIR_BACKTEST_DEFAULTS.notional,
    ...overrides,
  };
  if (stop === undefined) delete options.stop;
  else options.stop = stop;
  if (kalman === undefined) delete options.kalman;
  else options.kalman = kalman;
  return options;
}

/** `backtestPair` on the pair's aligned bars with {@link pairBacktestOptions}. O(bars). */
export function pairBacktest(an: PairAnalytics, overrides?: PairBacktestOptions): BacktestResult {
  return backtestPair(an.a, an.b, pairBacktestOptions("backtest", an.params, overrides));
}

/** `sweepBacktest` on the pair's aligned bars, the pair's options as the base. O(grid · bars). */
export function pairSweep(an: PairAnalytics, grid: SweepGrid, overrides?: PairBacktestOptions): SweepResult {
  return sweepBacktest(an.a, an.b, pairBacktestOptions("backtest sweep", an.params, overrides), grid);
}

/** `walkForward` on the pair's aligned bars, the pair's options as the base. O(grid · bars). */
export function pairWalkForward(an: PairAnalytics, grid: SweepGrid, options: PairWalkForwardOptions = {}): WalkForwardResult | WalkForwardInsufficient {
  if (options === null || typeof options !== "object") throw parameterTypeError("walk-forward", "options", "an object of backtest options plus split, metric", options);
  const { split, metric, ...overrides } = options;
  const wf: WalkForwardOptions = {};
  if (split !== undefined) wf.split = split;
  if (metric !== undefined) wf.metric = metric;
  return walkForward(an.a, an.b, pairBacktestOptions("walk-forward", an.params, overrides), grid, wf);
}

function levelsLabel(o: BacktestOptions): string {
  if (o.hedge === "kalman") {
    const k = o.kalman ?? {};
    return `Kalman hedge (delta ${k.delta}, ve ${k.ve}, scale ${k.scale}, warmup ${k.warmup}), entry ±${o.entry}, exit ±${o.exit}${o.stop !== undefined ? `, stop ±${o.stop}` : ""}`;
  }
  return `hedgeWindow ${o.hedgeWindow}, zWindow ${o.zWindow}, entry ±${o.entry}, exit ±${o.exit}${o.stop !== undefined ? `, stop ±${o.stop}` : ""}`;
}

function simulatedSuffix(an: PairAnalytics): string {
  return an.params.simulated ? " — SIMULATED" : "";
}

/** The standard insufficient-data warning for a backtest that needs `needed` bars. */
function backtestWarning(an: PairAnalytics, what: string, needed: number, tradesPerSecond: number | undefined): MimeBundle {
  return warningBundle(
    insufficientDataMessage({
      what: `${what} on ${timeframeLabel(an.params.timeframe)} bars (${an.params.hedge === "kalman" ? "Kalman warmup + 2" : "hedgeWindow + zWindow"}: the first z-score plus one bar to fill)`,
      needed,
      got: an.bars,
      unit: "bars",
      secondsPerUnit: an.barSeconds,
      ...(tradesPerSecond !== undefined ? { tradesPerSecond } : {}),
    }),
  );
}

function joinBundles(parts: MimeBundle[]): MimeBundle {
  return { "text/html": parts.map((p) => p["text/html"]).join("\n"), "text/plain": parts.map((p) => p["text/plain"]).join("\n\n") };
}

/**
 * The output of one backtest view (or of "zscore" with the trade markers): a chart or a table, labelled
 * SIMULATED when the data are; with too few bars, the standard insufficient-data warning (bars needed, bars
 * there, how long the rest takes). O(bars) (sweep and walk-forward: O(grid · bars)).
 * @throws RangeError / TypeError (E_PARAM) for bad backtest options or grid (naming the option).
 */
export function backtestViewBundle(
  view: BacktestView | "zscore",
  an: PairAnalytics,
  options: PairBacktestShowOptions & { maxRows: number },
  context: { tradesPerSecond?: number },
  run0?: () => BacktestResult,
): MimeBundle {
  const p = an.params;
  const simulated = p.simulated;
  const base = pairBacktestOptions("pair.show", p, options.backtest);
  const pairName = `${p.symbols[0]}/${p.symbols[1]}`;
  if (view === "sweep" || view === "walkforward") {
    const grid = options.grid ?? DEFAULT_SWEEP_GRID;
    if (view === "sweep") {
      const sweep = sweepBacktest(an.a, an.b, base, grid);
      if (sweep.rows.length === 0) {
        const short = sweep.skipped.filter((s) => s.reason.startsWith("insufficient data"));
        if (short.length > 0) return backtestWarning(an, "the sweep", base.hedge === "kalman" ? (base.kalman?.warmup ?? 0) + 2 : Math.min(...short.map((s) => s.hedgeWindow + s.zWindow)), context.tradesPerSecond);
        return warningBundle(`No combination of the grid could run: ${sweep.skipped[0]?.reason ?? "empty grid"}`);
      }
      const [x, y] = options.axes ?? ["entry", "exit"];
      return figureBundle(sweepHeatmapFigure(sweep, { metric: options.metric ?? "sharpe", x, y, simulated, title: `Sweep of ${pairName}: ${options.metric ?? "sharpe"} by ${x} × ${y} (${sweep.rows.length} combinations)` }));
    }
    const metric = options.metric ?? "sharpe";
    assertOneOf("pair.show", "metric", metric, ["sharpe", "totalReturn"] as const);
    const wf = walkForward(an.a, an.b, base, grid, { metric, ...(options.split !== undefined ? { split: options.split } : {}) });
    if (wf.status !== "ok") return warningBundle(wf.message);
    const dsr = wf.deflatedSharpe === null ? "n/a (no trade in-sample)" : wf.deflatedSharpe.dsr.toFixed(3);
    const row = (part: string, m: BacktestRun["metrics"]): Record<string, unknown> => ({
      part,
      ...wf.best,
      sharpe: m.sharpe,
      totalReturn: m.totalReturn,
      maxDrawdown: m.maxDrawdown,
      trades: m.trades,
      winRate: m.winRate,
      feesPaid: m.feesPaid,
      simulated,
    });
    const df = new (danfo().DataFrame)([row("in-sample (chosen)", wf.inSampleBest), row("out-of-sample", wf.outOfSample.metrics)] as never);
    return frameBundle(df, {
      caption:
        `Walk-forward of ${pairName}: best by ${metric} of ${wf.inSample.rows.length} combinations on the bars before ${isoUtc(wf.splitTime)}, ` +
        `traded after it; Deflated Sharpe Ratio ${dsr}${simulatedSuffix(an)}`,
    });
  }
  // `run0`: another way to run the same options (the quote-fill backtest of pair-quotes.ts).
  const run = run0 === undefined ? backtestPair(an.a, an.b, base) : run0();
  if (run.status !== "ok") return backtestWarning(an, run0 === undefined ? "the backtest" : "the quote-fill backtest (bars where both legs have quotes)", run.needed, context.tradesPerSecond);
  const quoteFills = base.fills === "quotes";
  const label = `${pairName} (${levelsLabel(base)}${quoteFills ? ", fills at the touch" : ""})`;
  switch (view) {
    case "zscore":
      return figureBundle(
        zScoreFigure(run.time, run.zscore, { threshold: base.entry, exit: base.exit, alerts: tradeMarkers(run), simulated, title: `Z-score with the backtest's decisions — ${label}` }),
      );
    case "equity":
      return figureBundle(equityFigure(run, { capital: base.capital ?? 2 * base.notional, simulated, title: `Equity and drawdown — ${label}` }));
    case "trades":
      return frameBundle(tradeFrame(run.trades, { symbols: p.symbols, simulated }), {
        maxRows: options.maxRows,
        caption: `Trades of ${label}: ${run.trades.length} (decisions at a bar's close, ${quoteFills ? "fills at the first quote at or after the next open: buys at the ask, sells at the bid" : "fills at the next open"})${simulatedSuffix(an)}`,
      });
    default: {
      const m = run.metrics;
      const metrics = frameBundle(new (danfo().DataFrame)([{ ...m, capital: base.capital ?? 2 * base.notional, bars: run.time.length, simulated }] as never), {
        caption: `Backtest of ${label}, notional ${base.notional}${simulatedSuffix(an)}`,
      });
      const summary = frameBundle(new (danfo().DataFrame)(backtestSummary(run) as never), { caption: "Distribution of trade net PnL and bar returns" });
      return joinBundles([metrics, summary]);
    }
  }
}
