import { halfLife, resample } from "../analytics";
import type { Bars } from "../analytics/types";
import {
  figureBundle,
  frameBundle,
  heatmapFigure,
  insufficientDataMessage,
  liveDisplay,
  screenTableBundle,
  show,
  spreadFigure,
  startLive,
  statusPanelBundle,
  warningBundle,
  type DisplayWriter,
  type LiveRun,
  type MimeBundle,
} from "../charts";
import { InsufficientDataError, parameterRangeError } from "../errors";
import { danfo } from "../export";
import { demoUniverseRelations, type Ingestion, type IngestionStats } from "../ingestion";
import { ingestionStatus, TradeRateTracker, waitUntilCaughtUp } from "../pair";
import { alignCloses, johansenTest, screenPairs, type AlignedCloses, type JohansenOptions, type JohansenResult, type ScreenPairsOptions, type ScreenResult } from "../universe";
import { assertInteger, assertOneOf } from "../validate";

/** Aligned closes of a universe, with the data label. */
export interface UniverseCloses extends AlignedCloses {
  /** "LIVE" or "SIMULATED" (demo exchange): show it next to anything derived from these closes. */
  label: IngestionStats["label"];
  /** The bar interval, ms. */
  intervalMs: number;
  /** Symbols without a single trade yet (left out of `closes`; screenPairs needs them all). */
  missing: string[];
}

/** A screen of the universe's latest closes ({@link Universe.screen}): the screenPairs result plus its provenance. */
export interface UniverseScreen extends ScreenResult {
  /** Common bar open times of the screened closes, epoch ms (UTC). */
  time: Float64Array;
  /** True when the closes are simulated (demo exchange). */
  simulated: boolean;
  /**
   * Pairs cointegrated by construction, "y/x" (the demo exchange's universe model; empty for live data): the
   * rows a correct screen should find. The ranked table marks them ✱.
   */
  truth: string[];
}

/** A Johansen test of a basket of the universe ({@link Universe.johansen}): the result plus the basket and its times. */
export interface UniverseBasket extends JohansenResult {
  /** The basket's symbols, in the order of `weights`. */
  symbols: string[];
  /** Bar open times of `spread`, epoch ms (UTC). */
  time: Float64Array;
  /** True when the closes are simulated (demo exchange). */
  simulated: boolean;
}

/** What {@link Universe.show} displays. */
export type UniverseView = "correlation" | "pValues" | "table" | "johansen" | "basket";

/** The accepted {@link UniverseView} values. */
export const UNIVERSE_VIEWS: readonly UniverseView[] = ["correlation", "pValues", "table", "johansen", "basket"];

/** Options of {@link Universe.show}: the screen's options, the table's length, the basket and its Johansen options. */
export interface UniverseShowOptions extends Omit<ScreenPairsOptions, "symbols" | "interval">, JohansenOptions {
  /** For "table": rows shown, best first. Default 20. */
  top?: number;
  /** For "johansen" and "basket": the basket's symbols (2 to 12 of the universe). */
  basket?: readonly string[];
}

/** What {@link Universe} needs from its environment (openUniverse builds it). */
export interface UniverseContext {
  ingestion: Ingestion;
  symbols: readonly string[];
  /** Bar interval of `closes()`, ms. */
  intervalMs: number;
  /** Output writer (tests); default: the kernel's. */
  writer?: DisplayWriter | null;
}

/**
 * A universe of symbols in a notebook, on a running ingestion (see `openUniverse`). Like `Pair`, every method
 * computes from the latest trades, so any cell order gives current results.
 *
 * - `ready()`: waits for the first trades (or the demo's replayed history).
 * - `status()`: the live status panel (trades, trades/s, last price, lag, gaps per symbol; route; source).
 * - `closes()`: aligned closed bars of every symbol (the input of screenPairs and johansenTest).
 * - `screen(options)`: screenPairs on the latest closes, labelled (simulated, pairs cointegrated by construction).
 * - `johansen(basket, options)`: johansenTest on the latest closes of a basket, with its bar times.
 * - `show(view, options)`: "correlation" or "pValues" heatmap, the ranked "table", the "johansen" statistics of a
 *   basket, the "basket" spread; a warning instead when there are too few bars.
 * - `stop()`: stops the status loop and the ingestion.
 */
export class Universe {
  /** The symbols, lower case, in the order given. */
  readonly symbols: readonly string[];
  /** The underlying ingestion (stats, stop, trades); shared with `openPair(..., { use: universe.ingestion })`. */
  readonly ingestion: Ingestion;
  /** Bar interval of `closes()`, ms. */
  readonly intervalMs: number;
  private readonly writer: DisplayWriter | null | undefined;
  private readonly rates = new TradeRateTracker();
  private readonly runs = new Set<LiveRun>();
  private cache: { key: string; screen: UniverseScreen } | null = null;

  constructor(context: UniverseContext) {
    this.ingestion = context.ingestion;
    this.symbols = context.symbols;
    this.intervalMs = context.intervalMs;
    this.writer = context.writer;
  }

  /** True when the data are simulated (demo exchange, including an automatic fallback). */
  get simulated(): boolean {
    return this.ingestion.stats().simulated;
  }

  /**
   * Waits until every symbol has traded and its newest trade is at most 5 s old (the demo's replayed history has
   * arrived). Never throws: resolves false after `timeoutMs` (default 120,000); the views then warn. O(symbols) per poll.
   * @example await universe.ready() // true
   */
  ready(options: { timeoutMs?: number } = {}): Promise<boolean> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    assertInteger("universe.ready", "timeoutMs", timeoutMs, 0);
    return waitUntilCaughtUp(this.ingestion, { maxLagMs: 5000, timeoutMs });
  }

  /**
   * Closed bars of every symbol, aligned on the common bar times (alignCloses: intersection, no fill): the input
   * screenPairs and johansenTest expect. The still-open last bar is left out. O(ticks).
   */
  closes(): UniverseCloses {
    const now = Date.now();
    const bars: Record<string, Bars> = {};
    const missing: string[] = [];
    for (const s of this.symbols) {
      const ticks = this.ingestion.store.ticks(s);
      if (ticks.price.length === 0) {
        missing.push(s);
        continue;
      }
      const b = resample(ticks, this.intervalMs, { now });
      if (b.partial && b.time.length > 0) {
        const keep = b.time.length - 1;
        for (const key of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) b[key] = b[key].subarray(0, keep);
        b.partial = false;
      }
      bars[s] = b;
    }
    const aligned = Object.keys(bars).length > 0 ? alignCloses(bars) : { time: new Float64Array(0), symbols: [], closes: {} };
    return { ...aligned, label: this.ingestion.stats().label, intervalMs: this.intervalMs, missing };
  }

  /**
   * screenPairs over every pair of the universe on the latest closed bars (interval: the universe's), ranked, with
   * the data label and, for simulated data, the pairs cointegrated by construction (`truth`). A call with no new bar
   * and the same options returns the previous result (treat it as read-only). O(N²·bars·maxlag).
   * @throws InsufficientDataError (E_INSUFFICIENT_DATA) when a symbol has no trade yet or the bars are too few;
   *   RangeError (E_PARAM) for bad screen options (see screenPairs).
   * @example universe.screen({ pValueFilter: "bh" }).rows[0] // { rank: 1, y: "ethusdt", x: "btcusdt", … }
   */
  screen(options: Omit<ScreenPairsOptions, "symbols" | "interval"> = {}): UniverseScreen {
    const c = this.closes();
    if (c.missing.length > 0) {
      throw new InsufficientDataError("the universe screen", 1, 0, `no trade yet for ${c.missing.join(", ")}: wait (universe.ready()) and rerun`);
    }
    const n = c.time.length;
    const key = JSON.stringify([n, n > 0 ? c.time[n - 1] : 0, c.label, options]);
    if (this.cache && this.cache.key === key) return this.cache.screen;
    const result = screenPairs(c.closes, { ...options, symbols: this.symbols, interval: this.intervalMs });
    const simulated = c.label === "SIMULATED";
    const truth = simulated ? demoUniverseRelations().filter((r) => r.kind === "pair").map((r) => r.symbols.join("/")) : [];
    const screen: UniverseScreen = { ...result, time: c.time, simulated, truth };
    this.cache = { key, screen };
    return screen;
  }

  /**
   * johansenTest on the latest closes of `basket` (2 to 12 symbols of the universe), with the basket's bar times
   * and the data label. O(bars·m² + m³).
   * @throws RangeError (E_PARAM) for a symbol outside the universe; InsufficientDataError when a symbol has no
   *   trade yet or the bars are too few; the errors of johansenTest (collinear series…).
   * @example universe.johansen(["linkusdt", "dotusdt", "atomusdt"]).weights // Float64Array [1, −0.41, −0.52]
   */
  johansen(basket: readonly string[], options: JohansenOptions = {}): UniverseBasket {
    if (!Array.isArray(basket)) throw parameterRangeError("universe.johansen", "basket", `an array of symbols of the universe (${this.symbols.join(", ")})`, basket);
    const names = basket.map((s) => String(s).trim().toLowerCase());
    for (const s of names) assertOneOf("universe.johansen", "basket", s, this.symbols);
    const c = this.closes();
    const missing = names.filter((s) => c.missing.includes(s));
    if (missing.length > 0) throw new InsufficientDataError("the Johansen test", 1, 0, `no trade yet for ${missing.join(", ")}`);
    const result = johansenTest(
      names.map((s) => c.closes[s]),
      options,
    );
    return { ...result, symbols: names, time: c.time, simulated: c.label === "SIMULATED" };
  }

  /**
   * The output of one view as a MIME bundle (what `show` displays): a chart or table, or — with too little data —
   * a warning saying how many bars are missing and how long they take.
   * @throws RangeError (E_PARAM) for an unknown view, a bad option, or "johansen"/"basket" without `basket`.
   */
  bundle(view: UniverseView, options: UniverseShowOptions = {}): MimeBundle {
    assertOneOf("universe.show", "view", view, UNIVERSE_VIEWS);
    const { top, basket, detOrder, kArDiff, ...screenOptions } = options;
    if (top !== undefined) assertInteger("universe.show", "top", top, 1);
    if ((view === "johansen" || view === "basket") && basket === undefined) {
      throw parameterRangeError("universe.show", "basket", `2 to 12 symbols of the universe for the "${view}" view`, basket);
    }
    const barSeconds = this.intervalMs / 1000;
    try {
      if (view === "johansen" || view === "basket") {
        const b = this.johansen(basket ?? [], { detOrder, kArDiff });
        return view === "johansen" ? johansenTableBundle(b) : basketSpreadBundle(b, barSeconds);
      }
      const s = this.screen(screenOptions);
      if (view === "table") return screenTableBundle(s.rows, { top: top ?? 20, simulated: s.simulated, truth: s.truth });
      const kind = view === "correlation" ? "correlation" : "pValue";
      return figureBundle(heatmapFigure(s.symbols, view === "correlation" ? s.correlation : s.pValues, { kind, simulated: s.simulated }));
    } catch (error) {
      if (error instanceof InsufficientDataError) {
        const what = view === "johansen" || view === "basket" ? `the Johansen test of ${(basket ?? []).join(", ")}` : "the universe screen";
        const eta = error.needed > 1 ? insufficientDataMessage({ what, unit: "bars", needed: error.needed, got: error.got, secondsPerUnit: barSeconds }) : error.message;
        return warningBundle(eta);
      }
      throw error;
    }
  }

  /**
   * Shows one view from the latest trades: "correlation" (heatmap of log-return correlations), "pValues" (heatmap of
   * Engle-Granger p-values), "table" (the ranked screen, `top` rows, ✱ on pairs cointegrated by construction),
   * "johansen" (trace and max-eigenvalue statistics of `basket` with their 95 % critical values, rank, weights),
   * "basket" (the basket's spread with its half-life). Returns nothing, so the cell prints no extra value.
   * @throws RangeError (E_PARAM) for an unknown view, naming the accepted values.
   * @example universe.show("table", { top: 15, pValueFilter: "bh" })
   */
  show(view: UniverseView, options: UniverseShowOptions = {}): void {
    show(this.bundle(view, options), { writer: this.writer });
  }

  /**
   * The live status panel: one output updated in place every second for `minutes` (default 30, integer in
   * [1, 1440]) or until the kernel is interrupted. Rerunning replaces the previous panel's loop. O(symbols) per update.
   * @example universe.status()
   */
  status(options: { minutes?: number } = {}): void {
    const minutes = options.minutes ?? 30;
    assertInteger("universe.status", "minutes", minutes, 1, 1440);
    for (const run of this.runs) run.stop();
    const panel = liveDisplay({ minIntervalMs: 1000, writer: this.writer });
    const render = (): void => panel.show(statusPanelBundle(ingestionStatus(this.ingestion.stats(), this.rates)));
    const run = startLive({ everyMs: 1000, durationMs: minutes * 60_000, name: `status universe of ${this.symbols.length}` }, render);
    this.runs.add(run);
    const forget = (): void => void this.runs.delete(run);
    run.done.then(forget, forget);
    panel.flush();
  }

  /** Stops the status loop and the ingestion (sockets, timers, an owned demo exchange). Idempotent. */
  async stop(): Promise<void> {
    for (const run of this.runs) run.stop();
    this.runs.clear();
    await this.ingestion.stop();
  }
}

function johansenTableBundle(b: UniverseBasket): MimeBundle {
  const dfd = danfo();
  const m = b.symbols.length;
  const df = new dfd.DataFrame({
    "H0: rank <=": Array.from({ length: m }, (_, r) => r),
    trace: Array.from(b.traceStatistic),
    "trace 95%": b.traceCriticalValues.map((v) => v["95%"]),
    "max-eig": Array.from(b.maxEigenStatistic),
    "max-eig 95%": b.maxEigenCriticalValues.map((v) => v["95%"]),
  });
  const weights = b.symbols.map((s, i) => `${b.weights[i].toFixed(4)}·${s}`).join(" + ");
  return frameBundle(df, {
    digits: 6,
    caption: `Johansen (detOrder ${b.detOrder}, kArDiff ${b.kArDiff}, ${b.nobs} obs): rank ${b.rank} at 5 % (trace test); basket ${weights}${b.simulated ? " — SIMULATED" : ""}`,
  });
}

function basketSpreadBundle(b: UniverseBasket, barSeconds: number): MimeBundle {
  const weights = b.symbols.map((s, i) => `${b.weights[i].toFixed(3)}·${s}`).join(" + ");
  return figureBundle(spreadFigure(b.time, b.spread, { title: `Basket spread ${weights}`, halfLife: halfLife(b.spread), barSeconds, simulated: b.simulated }));
}
