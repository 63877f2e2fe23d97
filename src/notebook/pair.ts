import { assertBarMemory, intervalMs } from "../analytics";
import { InsufficientDataError, parameterRangeError } from "../errors";
import type { Ingestion } from "../ingestion";
import type { Bars } from "../analytics";
import type { SourcedBars } from "../history";
import { mergeWarm, type PairWarm, type PairWarmStartReport } from "./pair-warm-start";
import {
  adfInput,
  ADF_SERIES,
  barFeed,
  ingestionStatus,
  pairAnalytics,
  PAIR_BYTES_PER_BAR,
  PAIR_CHARTS,
  PAIR_VIEWS,
  resolvePairParams,
  TradeRateTracker,
  TUNABLE_PARAMS,
  type AdfSeries,
  type BarFeed,
  type PairAnalytics,
  type PairChart,
  type PairParams,
  type PairView,
  type ResolvedPairParams,
  type TunableParam,
} from "../pair";
import {
  adfBundle,
  bundleOrWarning,
  engleGrangerBundle,
  frameBundle,
  liveDisplay,
  pairChartBundle,
  pairMetricsBundle,
  show,
  startLive,
  statusPanelBundle,
  type DisplayWriter,
  type LiveDisplay,
  type LiveRun,
  type MimeBundle,
} from "../charts";
import { alertFrame, exportCsv, pairFrameFromAnalytics, tradeFrame, type DataFrame, type ExportedFile } from "../export";
import { adfTest, engleGranger } from "../stationarity";
import { assertInteger, assertOneOf } from "../validate";
import type { BacktestResult, SweepGrid, SweepResult, WalkForwardInsufficient, WalkForwardResult } from "../backtest";
import {
  BACKTEST_VIEWS,
  backtestViewBundle,
  pairBacktest,
  pairSweep,
  pairWalkForward,
  type BacktestView,
  type PairBacktestOptions,
  type PairBacktestShowOptions,
  type PairWalkForwardOptions,
} from "./pair-backtest";
import { costBundle, pairQuoteAnalytics, pairQuoteBacktest, quoteBacktestRunner, quoteBarsBundle, type PairQuoteAnalytics } from "./pair-quotes";
import { PairAlerts, type PairAlertsOptions } from "./pair-alerts";
import { pairFundingRates, type PairFundingRates } from "./pair-funding";
import type { AlertRuleSpec, BackgroundAlerts, ZScoreRuleSpec } from "../alerts";

/** The parameters `pair.set(...)` changes: any subset of the tunable {@link PairParams}. */
export type PairSettings = Partial<Pick<PairParams, TunableParam>>;

/** Options of {@link Pair.show} (the backtest views' options are in {@link PairBacktestShowOptions}). */
export interface PairShowOptions extends PairBacktestShowOptions {
  /** For "adf": the series tested — "spread" (default), "y" or "x". */
  series?: AdfSeries;
  /** For "alerts" and "frame": rows shown (head and tail). Default 10. */
  maxRows?: number;
  /** For "alerts" with background alerts running: keep the panel updating in place for this many seconds (default 0: one snapshot). */
  seconds?: number;
  /** For "cost": fees per fill in bps included in the cost (default 0), and a cost level to draw. */
  feeBps?: number;
  costLevelBps?: number;
}

/**
 * Views of `pair.show` beyond the pair's and the backtest's, from the book tickers: "cost" (z-score next to the
 * round-trip cost at the touch) and "quotes" (mid-price and microprice bars of both legs with their quoted spreads).
 */
export type QuoteView = "cost" | "quotes";

/** Every {@link QuoteView}. */
export const QUOTE_VIEWS: readonly QuoteView[] = ["cost", "quotes"];

/** Options of {@link Pair.live}. */
export interface PairLiveOptions {
  /** How long the outputs keep moving, seconds (integer in [1, 3600]). Default 20. */
  seconds?: number;
  /** Refresh period, ms (integer in [500, 60000]). Default 2000. */
  everyMs?: number;
  /** What moves. Default ["metrics", "prices", "zscore"]. */
  views?: readonly PairView[];
}

/** Options of {@link Pair.exportCsv}. */
export interface PairExportOptions {
  /** "bars" (the pair DataFrame, default), "alerts" (the alert log) or "trades" (the backtest's trades). */
  kind?: "bars" | "alerts" | "trades";
  /** For "trades": overrides of the backtest options (see `pair.backtest`). */
  backtest?: PairBacktestOptions;
  /** Folder, created if missing. Default "exports". */
  dir?: string;
}

/** What {@link Pair} needs from its environment (openPair builds it). */
export interface PairContext {
  ingestion: Ingestion;
  params: PairParams;
  /** Output writer (tests); default: the kernel's. */
  writer?: DisplayWriter | null;
  /** Bars from the warm start (archive + REST), merged behind the live bars while the timeframe is theirs. */
  warm?: PairWarm | null;
}

const WHAT_SET = "pair.set";
const LIVE_VIEWS_DEFAULT: readonly PairView[] = ["metrics", "prices", "zscore"];

/**
 * A pair of symbols in a notebook, on a running ingestion (see `openPair`). Every method computes from the
 * latest trades — there is no cached state a cell could read stale — so any cell order gives current results.
 * Parameters use one vocabulary (hedgeWindow, zWindow, entry, exit, …) in options, chart titles and CSV columns.
 *
 * - `status()`: the live status panel (trades, trades/s, last price, lag, gaps per symbol; route; source).
 * - `show(view)`: "prices" | "spread" | "zscore" | "correlation" | "hedge" | "metrics" | "adf" | "eg" | "alerts" | "frame",
 *   and the backtest's "backtest" | "equity" | "trades" | "sweep" | "walkforward" (and "zscore" with `markers: "trades"`).
 * - `backtest()`, `sweep(grid)`, `walkForward(grid)`: the backtest of the pair's own bars with its parameters.
 * - `set({ zWindow: 60 })`: change parameters inline (validated; later calls use them).
 * - `exportCsv()`: the pair DataFrame (or the alert log, or the backtest's trades) to an atomically written CSV file.
 * - `live({ seconds })`: metrics and charts that refresh in place for a bounded time.
 * - `analytics()`, `frame()`: the numbers themselves, for your own code.
 */
export class Pair {
  /** The running ingestion the pair reads (shared per kernel: rerunning `openPair` reuses it). */
  readonly ingestion: Ingestion;
  private current: ResolvedPairParams;
  private feeds: [BarFeed, BarFeed];
  private readonly writer: DisplayWriter | null | undefined;
  private readonly rates = new TradeRateTracker();
  private rateSample: { at: number; trades: number[] } | null = null;
  private lastRate = NaN;
  private readonly runs = new Set<LiveRun>();
  /** The last analytics and what they were computed from (ticks folded per leg, parameters, simulated flag). */
  private cache: { key: string; analytics: PairAnalytics } | null = null;
  private readonly alertHost: PairAlerts;

  private readonly warm: PairWarm | null;

  constructor(context: PairContext) {
    this.ingestion = context.ingestion;
    this.warm = context.warm ?? null;
    this.writer = context.writer;
    this.current = resolvePairParams("openPair", context.params);
    this.feeds = this.makeFeeds();
    this.sampleRate();
    this.alertHost = new PairAlerts(this.ingestion, this.writer);
  }

  /**
   * What the warm start found (bars by source per leg, ranges still missing with the reason), or null when
   * the pair was opened without one. O(1).
   * @example pair.warmStart?.missing[0] // [] when everything was filled
   */
  get warmStart(): PairWarmStartReport | null {
    return this.warm?.report ?? null;
  }

  private legBars: [Bars, Bars] | null = null;

  /**
   * Each leg's bars the analytics use, `[y, x]`, with the source of every bar: "live", "archive" or "klines"
   * (from the warm start), "empty" (no trade in that bin). O(bars).
   * @example pair.bars()[0].source.filter((s) => s === "klines").length // bars backfilled from REST
   */
  bars(): [SourcedBars, SourcedBars] {
    this.analytics();
    const tag = (b: Bars): SourcedBars => ("source" in b ? (b as SourcedBars) : { ...b, source: Array.from(b.count, (c) => (c > 0 ? "live" : "empty")) });
    const [a, b] = this.legBars!;
    return [tag(a), tag(b)];
  }

  /** `[y, x]`: the spread is y − α − β·x. */
  get symbols(): readonly [string, string] {
    return this.current.symbols;
  }

  /** The current parameters, defaults filled in, `simulated` from the ingestion now (a copy). */
  get params(): ResolvedPairParams {
    return { ...this.current, symbols: [...this.current.symbols] as [string, string], simulated: this.simulated };
  }

  /** True when the data are simulated (demo exchange, including an automatic fallback). */
  get simulated(): boolean {
    return this.ingestion.stats().simulated;
  }

  /**
   * Changes parameters inline; the next call uses them. Only the given fields change; the others keep their
   * values. A new `timeframe` or `maxBytes` rebuilds the bar feeds from the stored ticks. Returns nothing (a
   * cell ending with it prints nothing); read `pair.params` to see the result. O(1) (plus the rebuild on the next call).
   * @throws RangeError / TypeError (E_PARAM) naming the parameter and its accepted values; nothing changes then.
   * @example pair.set({ zWindow: 60, entry: 2.5 })
   */
  set(changes: PairSettings): void {
    if (changes === null || typeof changes !== "object") throw parameterRangeError(WHAT_SET, "changes", `an object of ${TUNABLE_PARAMS.join(", ")}`, changes);
    for (const key of Object.keys(changes)) {
      if (!(TUNABLE_PARAMS as readonly string[]).includes(key)) {
        throw parameterRangeError(WHAT_SET, key, `one of the tunable parameters ${TUNABLE_PARAMS.join(", ")} (symbols need a new openPair)`, (changes as Record<string, unknown>)[key]);
      }
    }
    const merged: PairParams = { ...this.current, ...changes };
    // Kalman settings merge key by key (set({ kalman: { ve: 4e-6 } }) keeps the other settings); a non-object is validated as given.
    if (changes.kalman !== null && typeof changes.kalman === "object" && !Array.isArray(changes.kalman)) merged.kalman = { ...this.current.kalman, ...changes.kalman };
    // correlationWindow follows zWindow unless it was set on its own.
    if (changes.zWindow !== undefined && changes.correlationWindow === undefined && this.current.correlationWindow === this.current.zWindow) {
      merged.correlationWindow = changes.zWindow;
    }
    if (changes.entry !== undefined && changes.exit === undefined && this.current.exit >= changes.entry) merged.exit = undefined;
    const next = resolvePairParams(WHAT_SET, merged);
    const rebuild = next.timeframe !== this.current.timeframe || next.maxBytes !== this.current.maxBytes;
    this.current = next;
    if (rebuild) this.feeds = this.makeFeeds();
  }

  /**
   * Every analytic on the latest trades: bars folded in since the previous call, then rolling hedge ratio,
   * spread, z-score, correlation, half-life, alerts (see `pairAnalytics`). When no trade arrived and no
   * parameter changed since the previous call, that call's result is returned (it is the same result), so
   * several views shown together cost one computation (treat the result as read-only). O(new ticks + bars).
   * @throws RangeError (E_PARAM) when the bars would exceed `maxBytes` (the message names timeframe, span and size).
   * @example pair.analytics().currentHedgeRatio
   */
  analytics(): PairAnalytics {
    for (const feed of this.feeds) feed.update();
    const simulated = this.simulated;
    const key = JSON.stringify([this.feeds[0].ticks, this.feeds[1].ticks, this.current, simulated]);
    if (this.cache && this.cache.key === key) return this.cache.analytics;
    const now = Date.now();
    let [a, b] = [this.feeds[0].bars(now), this.feeds[1].bars(now)];
    // The warm start's archived and REST bars behind the live ones (each keeps its source), same timeframe only.
    const w = this.warm;
    if (w !== null && w.useful && intervalMs("pair.analytics", this.current.timeframe) === w.intervalMs) [a, b] = [mergeWarm(a, w.bars[0], w.intervalMs), mergeWarm(b, w.bars[1], w.intervalMs)];
    this.legBars = [a, b];
    const bars = Math.max(a.time.length, b.time.length);
    const first = Math.min(a.time[0] ?? Infinity, b.time[0] ?? Infinity);
    const last = Math.max(a.time[a.time.length - 1] ?? -Infinity, b.time[b.time.length - 1] ?? -Infinity);
    assertBarMemory("openPair", this.current.timeframe, bars, bars > 0 ? last - first : 0, this.current.maxBytes, PAIR_BYTES_PER_BAR);
    const analytics = pairAnalytics(a, b, { ...this.current, simulated });
    this.cache = { key, analytics };
    return analytics;
  }

  /** The pair DataFrame (danfo): both legs, quote volume, spread, zscore, correlation, hedgeRatio, alert, simulated. O(bars). */
  frame(): DataFrame {
    return pairFrameFromAnalytics(this.analytics());
  }

  /**
   * Trades per second of the slower leg (trades, never frames), measured between successive calls at least
   * 1 s apart; NaN until two samples exist. O(symbols).
   */
  tradesPerSecond(): number {
    this.sampleRate();
    return this.lastRate;
  }

  /**
   * The output of one view as a MIME bundle (what `show` displays): a chart, or — with too little data — a
   * warning saying how many bars are missing and how long they take. O(bars) (ADF: O(bars · lags)).
   * @throws RangeError (E_PARAM) for an unknown view or ADF series.
   */
  bundle(view: PairView | BacktestView | QuoteView, options: PairShowOptions = {}): MimeBundle {
    assertOneOf("pair.show", "view", view, [...PAIR_VIEWS, ...BACKTEST_VIEWS, ...QUOTE_VIEWS]);
    if (view === "quotes") return quoteBarsBundle(this.analytics(), this.ingestion);
    if (view === "cost") {
      const an = this.analytics();
      return costBundle(pairQuoteAnalytics("pair.show", an, this.ingestion, options.feeBps ?? 0), an, options.costLevelBps);
    }
    if (view === "alerts" && this.alertHost.running) return this.alertHost.panel(this.simulated, options.maxRows ?? 10);
    if (options.markers !== undefined) assertOneOf("pair.show", "markers", options.markers, ["alerts", "trades"] as const);
    if (options.series !== undefined) assertOneOf("pair.show", "series", options.series, ADF_SERIES);
    const maxRows = options.maxRows ?? 10;
    assertInteger("pair.show", "maxRows", maxRows, 1);
    const an = this.analytics();
    const p = an.params;
    const context = { tradesPerSecond: this.tradesPerSecond() };
    const rate = Number.isFinite(context.tradesPerSecond) ? context : {};
    if ((BACKTEST_VIEWS as readonly string[]).includes(view) || (view === "zscore" && options.markers === "trades")) {
      const b = options.backtest;
      const quoteFills = b !== null && typeof b === "object" && b.fills === "quotes";
      if (quoteFills && (view === "sweep" || view === "walkforward")) {
        throw parameterRangeError("pair.show", "backtest.fills", `"bars" for view "${view}"; "quotes" is accepted by the views "backtest", "equity", "trades" and "zscore" (markers: "trades")`, "quotes");
      }
      return backtestViewBundle(view as BacktestView | "zscore", an, { ...options, maxRows }, rate, quoteFills ? quoteBacktestRunner(an, this.ingestion, b!) : undefined);
    }
    if ((PAIR_CHARTS as readonly string[]).includes(view)) return pairChartBundle(an, view as PairChart, rate);
    switch (view) {
      case "metrics":
        return pairMetricsBundle(an);
      case "adf": {
        const input = adfInput(an, options.series ?? "spread");
        const warm = p.hedge === "kalman" ? `the Kalman warmup of ${p.kalman.warmup} bars` : `the hedgeWindow of ${p.hedgeWindow} bars`;
        const lead = input.series === "spread" ? ` (adfMinBars ${p.adfMinBars} after ${warm})` : ` (adfMinBars ${p.adfMinBars})`;
        return bundleOrWarning(() => adfBundle(adfTest(input.values), { series: input.label, simulated: p.simulated }), {
          what: `ADF on ${input.label}${lead}`,
          unit: "bars",
          secondsPerUnit: an.barSeconds,
          needed: input.needed,
          got: input.got,
          ...rate,
        });
      }
      case "eg":
        return bundleOrWarning(
          () => engleGrangerBundle(engleGranger(an.a.close, an.b.close), { pair: `${p.symbols[0]} ~ ${p.symbols[1]}`, simulated: p.simulated }),
          { what: `Engle-Granger (adfMinBars ${p.adfMinBars})`, unit: "bars", secondsPerUnit: an.barSeconds, needed: p.adfMinBars, got: an.bars, ...rate },
        );
      case "alerts":
        return frameBundle(alertFrame(an.alerts, { symbols: p.symbols, simulated: p.simulated }), {
          maxRows,
          caption: `Alert log: ${an.alerts.length} events (entry ±${p.entry}, exit ±${p.exit}, ${p.hedge === "kalman" ? "Kalman z = e/√Q" : `zWindow ${p.zWindow}`})${p.simulated ? " — SIMULATED" : ""}`,
        });
      default: {
        const df = pairFrameFromAnalytics(an);
        return frameBundle(df, { maxRows, caption: `Pair DataFrame: ${df.shape[0]} bars × ${df.shape[1]} columns${p.simulated ? " — SIMULATED" : ""}` });
      }
    }
  }

  /**
   * Shows one view from the latest trades: "prices" (close per symbol, volume in USDT), "spread", "zscore"
   * (entry/exit bands and alerts), "correlation", "hedge", "metrics" (tiles), "adf" (`series`: "spread" | "y" |
   * "x"; owns its warm-up rule), "eg" (Engle-Granger), "alerts" (the alert log), "frame" (the DataFrame).
   * Backtest views (see {@link Pair.backtest}; options `backtest`, `grid`, `metric`, `axes`, `split`): "backtest"
   * (metrics and distribution tables), "equity" (equity and drawdown), "trades" (the trade table), "sweep" (heatmap of
   * `metric` over `axes`), "walkforward" (in-sample choice vs out-of-sample, with the Deflated Sharpe Ratio); "zscore"
   * with `markers: "trades"` marks the backtest's decisions instead of the alerts. `{ backtest: { fills: "quotes" } }`
   * runs "backtest", "equity", "trades" and "zscore" (markers "trades") with quote fills (buys at the ask, sells at the
   * bid of the first quote at or after the fill time; needs `quotes: true`). Book-ticker views: "cost" (z-score next
   * to the round-trip cost at the touch), "quotes" (mid-price and microprice bars of both legs, quoted spreads).
   * Too few bars: the standard warning.
   * Returns nothing, so the cell prints no extra value.
   * @throws RangeError (E_PARAM) for an unknown view, naming the accepted values.
   * @example pair.show("adf", { series: "y" })
   */
  show(view: PairView | BacktestView | QuoteView, options: PairShowOptions = {}): void {
    const seconds = options.seconds ?? 0;
    if (view === "alerts" && this.alertHost.running && seconds !== 0) {
      assertInteger("pair.show", "seconds", seconds, 1, 3600);
      this.track(this.alertHost.live(seconds, () => this.simulated, options.maxRows ?? 10));
      return;
    }
    show(this.bundle(view, options), { writer: this.writer });
  }

  /**
   * The pair's z-score alert rule, equal to the dashboard's alerts (`pair.show("zscore")`, `pair.show("alerts")`
   * without background alerts): rolling OLS over hedgeWindow, z over zWindow — or, for a `hedge: "kalman"` pair,
   * the pair's Kalman settings — with entry / exit / stop / cooldownMs of the pair, re-entry on the next bar (the
   * backtest's rule). A Kalman rule filters from the first bar the background engine sees, so its first alerts can
   * differ from the pair's (which filters from the pair's first bar, warm start included) until both have run. `overrides` change any field (e.g. `{ id, frequency }`).
   * @example pair.zscoreRule().entry // 2
   */
  zscoreRule(overrides: Partial<Omit<ZScoreRuleSpec, "kind">> = {}): ZScoreRuleSpec {
    const p = this.current;
    const rule: ZScoreRuleSpec = {
      kind: "zscore",
      id: `zscore-${p.symbols[0].toLowerCase()}-${p.symbols[1].toLowerCase()}`,
      y: p.symbols[0].toLowerCase(),
      x: p.symbols[1].toLowerCase(),
      hedgeWindow: p.hedgeWindow,
      zWindow: p.zWindow,
      entry: p.entry,
      exit: p.exit,
      cooldownMs: p.cooldownMs,
      reentry: "next-bar",
      ...(Number.isFinite(p.stop) ? { stop: p.stop } : {}),
      // A Kalman pair's rule follows the same filter (from the first bar the background engine sees).
      ...(p.hedge === "kalman" ? { hedge: "kalman" as const, kalman: { ...p.kalman } } : {}),
    };
    return { ...rule, ...overrides };
  }

  /**
   * Starts alert rules in the background, in the ingestion's worker thread next to its stores: evaluated on every
   * new bar (the pair's timeframe) whether or not a cell runs, even while a cell blocks the kernel; alerts go to the
   * append-only log (`dir`, default ".pairlab/alerts"), to `webhooks` (plain target options; secrets never printed)
   * and to the environment's / .pairlab/alerts.json targets. Default rules: `[pair.zscoreRule()]`. Rerunning replaces
   * the previous rules (state carries over per rule id). Then `pair.show("alerts")` shows the live panel and log.
   * @throws RangeError / TypeError (E_PARAM) for a bad rule or webhook (naming the rule and field).
   * @example await pair.alerts([pair.zscoreRule(), { kind: "quote-cost", id: "cost", y: "ethusdt", x: "btcusdt", aboveBps: 3 }])
   */
  async alerts(rules?: readonly AlertRuleSpec[], options: PairAlertsOptions = {}): Promise<BackgroundAlerts> {
    return this.alertHost.start(rules ?? [this.zscoreRule()], { interval: this.current.timeframe, ...options });
  }

  /**
   * Quote analytics on the pair's bars (needs `quotes: true` at openPair): quoted spread per leg in bps, the
   * round-trip cost at the touch per bar (at the rolling hedge ratio, `feeBps` per fill), and the touch now.
   * @throws RangeError (E_PARAM) when the pair was opened without quotes.
   * @example pair.quotes().touch[0]?.spreadBps
   */
  quotes(options: { feeBps?: number } = {}): PairQuoteAnalytics {
    return pairQuoteAnalytics("pair.quotes", this.analytics(), this.ingestion, options.feeBps ?? 0);
  }

  /**
   * Backtests the z-score strategy on the pair's latest aligned bars with `backtestPair`'s rules (decision at a
   * bar's close, fill at the next open, fees, slippage, optional funding). hedge (and kalman), hedgeWindow, zWindow,
   * entry, exit and stop are the pair's parameters unless `options` overrides them; notional defaults to 10,000 USDT; capital,
   * feeBps, slippageBps, funding as `backtestPair`. The entries are the pair's alert entries on the same bars
   * (with cooldownMs 0). Too few bars give `{ status: "insufficient-data", needed, got, message }`. O(bars).
   * @throws RangeError / TypeError (E_PARAM) for a bad or unknown option, naming it and its accepted values.
   * @example const run = pair.backtest({ slippageBps: 1 }); if (run.status === "ok") run.metrics.sharpe
   */
  backtest(options: PairBacktestOptions = {}): BacktestResult {
    if (options !== null && typeof options === "object" && options.fills === "quotes") return pairQuoteBacktest(this.analytics(), this.ingestion, options);
    return pairBacktest(this.analytics(), options);
  }

  /**
   * Runs every combination of `grid` (entry, exit, zWindow, hedgeWindow lists) on the pair's latest bars, the
   * other options as in {@link Pair.backtest}; each row equals `pair.backtest` with its parameters. O(grid · bars).
   * @throws RangeError / TypeError (E_PARAM) for a bad grid or option.
   * @example pair.sweep({ entry: [1.5, 2, 2.5], exit: [0, 0.5] }).rows.length // 6
   */
  sweep(grid: SweepGrid, options: PairBacktestOptions = {}): SweepResult {
    return pairSweep(this.analytics(), grid, options);
  }

  /**
   * Walk-forward on the pair's latest bars: the best combination of `grid` on the first `split` (default 0.7) of
   * the bars by `metric` (default "sharpe"), traded on the rest (flat at the split, indicators warmed up before
   * it), with the Deflated Sharpe Ratio over the combinations tried. O(grid · bars).
   * @throws RangeError / TypeError (E_PARAM) for a bad grid, split, metric or option.
   * @example const wf = pair.walkForward({ entry: [1.5, 2, 2.5] }); if (wf.status === "ok") wf.deflatedSharpe?.dsr
   */
  walkForward(grid: SweepGrid, options: PairWalkForwardOptions = {}): WalkForwardResult | WalkForwardInsufficient {
    return pairWalkForward(this.analytics(), grid, options);
  }

  /**
   * Both legs' funding rates from the exchange's `/fapi/v1/fundingRate` (the demo exchange serves its own, labelled
   * simulated), merged on one time axis, ready for `pair.backtest({ funding })`. `from` defaults to the first bar's
   * open time, `to` to now (epoch ms). O(events) plus one request per 1000 events per leg.
   * @throws SourceError (E_SOURCE) for a replay (no exchange REST: pass funding explicitly); RestError (E_REST) when
   * the REST is unreachable; RangeError (E_PARAM) for a bad range.
   * @example const funding = await pair.fundingRates(); pair.backtest({ funding }).metrics.fundingPaid
   */
  async fundingRates(options: { from?: number; to?: number } = {}): Promise<PairFundingRates> {
    const time = this.analytics().time;
    const from = options.from ?? (time.length > 0 ? time[0] : Date.now());
    return pairFundingRates(this.ingestion, this.current.symbols, from, options.to ?? Date.now());
  }

  /**
   * The live status panel: one output updated in place every second for `minutes` (default 30, integer in
   * [1, 1440]) or until the kernel is interrupted. Rerunning replaces the previous panel's loop. O(symbols) per update.
   * @example pair.status()
   */
  status(options: { minutes?: number } = {}): void {
    const minutes = options.minutes ?? 30;
    assertInteger("pair.status", "minutes", minutes, 1, 1440);
    const panel = liveDisplay({ minIntervalMs: 1000, writer: this.writer });
    const render = (): void => panel.show(statusPanelBundle(ingestionStatus(this.ingestion.stats(), this.rates)));
    this.track(startLive({ everyMs: 1000, durationMs: minutes * 60_000, name: `status ${this.symbols.join("/")}` }, render));
    panel.flush();
  }

  /**
   * Bounded live mode: the given views (default metrics, prices, zscore) refresh in place every `everyMs` for
   * `seconds`, each from the latest trades; resolves with the number of refreshes. Rerunning the cell replaces
   * the previous loop; interrupting the kernel stops it. Output is throttled under Jupyter's limits.
   * @throws RangeError (E_PARAM) for seconds outside [1, 3600], everyMs outside [500, 60000] or an unknown view.
   * @example await pair.live({ seconds: 30 })
   */
  async live(options: PairLiveOptions = {}): Promise<number> {
    const seconds = options.seconds ?? 20;
    const everyMs = options.everyMs ?? 2000;
    assertInteger("pair.live", "seconds", seconds, 1, 3600);
    assertInteger("pair.live", "everyMs", everyMs, 500, 60_000);
    const views = options.views ?? LIVE_VIEWS_DEFAULT;
    if (!Array.isArray(views) || views.length === 0) throw parameterRangeError("pair.live", "views", `a non-empty array of ${PAIR_VIEWS.join(", ")}`, views);
    for (const view of views) assertOneOf("pair.live", "views", view, PAIR_VIEWS);
    const displays: LiveDisplay[] = views.map(() => liveDisplay({ minIntervalMs: everyMs, writer: this.writer }));
    const run = this.track(
      startLive({ everyMs, durationMs: seconds * 1000, name: `live ${this.symbols.join("/")}` }, () => {
        views.forEach((view, i) => displays[i].show(this.bundle(view)));
      }),
    );
    try {
      return await run.done;
    } finally {
      for (const d of displays) d.close();
    }
  }

  /**
   * Writes the pair DataFrame ("bars", default), the alert log ("alerts") or the trades of `pair.backtest(backtest)`
   * ("trades", with a `simulated` column like the others) to a CSV file named after its content (symbols,
   * timeframe, UTC range, SIMULATED) in `dir`, atomically (temp file, fsync, rename).
   * @throws InsufficientDataError (E_INSUFFICIENT_DATA) for "trades" with fewer than hedgeWindow + zWindow bars.
   * @throws ExportError (E_EXPORT) naming the path when the file cannot be written (full disk, read-only, not a folder…).
   * @example pair.exportCsv() // { path: "exports/pairlab_bars_BTCUSDT-ETHUSDT_1s_…_SIMULATED.csv", rows: 3600, … }
   */
  exportCsv(options: PairExportOptions = {}): ExportedFile {
    const kind = options.kind ?? "bars";
    assertOneOf("pair.exportCsv", "kind", kind, ["bars", "alerts", "trades"] as const);
    const an = this.analytics();
    const p = an.params;
    if (kind === "trades") {
      const run = pairBacktest(an, options.backtest);
      if (run.status !== "ok") throw new InsufficientDataError("pair.exportCsv({ kind: \"trades\" })", run.needed, run.got, p.hedge === "kalman" ? "bars: kalman.warmup + 2" : "bars: hedgeWindow + zWindow");
      const range = { start: run.time[0], end: run.time[run.time.length - 1] };
      return exportCsv(tradeFrame(run.trades, { symbols: p.symbols, simulated: p.simulated }), { kind, dir: options.dir, symbols: p.symbols, timeframe: p.timeframe, simulated: p.simulated, ...range });
    }
    const df = kind === "bars" ? pairFrameFromAnalytics(an) : alertFrame(an.alerts, { symbols: p.symbols, simulated: p.simulated });
    const range = an.bars > 0 ? { start: an.time[0], end: an.time[an.bars - 1] } : {};
    return exportCsv(df, { kind, dir: options.dir, symbols: p.symbols, timeframe: p.timeframe, simulated: p.simulated, ...range });
  }

  /** Stops this pair's status and live loops and the ingestion (rerunning `openPair` starts it again). Idempotent. */
  async stop(): Promise<void> {
    for (const run of this.runs) run.stop();
    this.runs.clear();
    await this.alertHost.stop();
    await this.ingestion.stop();
  }

  private track(run: LiveRun): LiveRun {
    this.runs.add(run);
    const forget = (): void => void this.runs.delete(run);
    run.done.then(forget, forget);
    return run;
  }

  private makeFeeds(): [BarFeed, BarFeed] {
    const { symbols, timeframe, maxBytes } = this.current;
    intervalMs("openPair", timeframe);
    const key = (s: string): string => s.toLowerCase();
    // Each leg's feed refuses ticks before allocating once the pair's whole footprint would pass maxBytes.
    const options = { maxBytes, bytesPerBar: PAIR_BYTES_PER_BAR };
    return [barFeed(this.ingestion.store, key(symbols[0]), timeframe, options), barFeed(this.ingestion.store, key(symbols[1]), timeframe, options)];
  }

  private sampleRate(): void {
    const stats = this.ingestion.stats();
    const trades = this.symbols.map((s) => stats.symbols[s.toLowerCase()]?.trades ?? 0);
    const at = Date.now();
    const prev = this.rateSample;
    if (prev && at - prev.at < 1000) return;
    if (prev) this.lastRate = Math.min(...trades.map((t, i) => ((t - prev.trades[i]) * 1000) / (at - prev.at)));
    this.rateSample = { at, trades };
  }
}
