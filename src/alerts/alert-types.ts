import type { KalmanSettings } from "../backtest/kalman-signal";

/**
 * Shared shapes of the alerts area: rule specs (plain JSON, persisted and compared across restarts),
 * bar updates, the context rules read, and the alert events they produce.
 */

/**
 * TradingView-style alert frequency:
 * - `"once"`: the rule fires the first time its condition is met, then stays done (also across restarts).
 * - `"once-per-bar"`: evaluated on every update of the forming bar (intra-bar) and at its close; fires as
 *   soon as the condition is met, at most once per bar (the bar's later updates still update the rule's
 *   state, e.g. re-arming, but fire nothing).
 * - `"once-per-bar-close"` (default): evaluated only when a bar closes, on its final values; fires at most
 *   once per signal kind per closed bar. Never fires on a value the bar does not close with.
 */
export type AlertFrequency = "once" | "once-per-bar" | "once-per-bar-close";

/** Every {@link AlertFrequency}. */
export const ALERT_FREQUENCIES: readonly AlertFrequency[] = ["once", "once-per-bar", "once-per-bar-close"];

/** Fields every rule spec has. Durations in ms of bar time (the data's clock, not the wall clock). */
export interface RuleCommon {
  /** Unique, stable id (letters, digits, `-_.`): keys the persisted state and every alert id. */
  id: string;
  /** Human name for messages (default: the id). */
  name?: string;
  /** Default "once-per-bar-close". */
  frequency?: AlertFrequency;
  /**
   * Minimum bar time between two alerts of this rule, ms (default 0). Alerts inside the cooldown are
   * suppressed (counted), not postponed. For `zscore` it is the per-side entry cooldown of `zScoreAlerts`.
   */
  cooldownMs?: number;
}

/** z-score entry/exit on the pair's rolling-hedge (or Kalman) spread — exactly the dashboard's z and `zScoreAlerts`. */
export interface ZScoreRuleSpec extends RuleCommon {
  kind: "zscore";
  /** Spread y − α − β·x. */
  y: string;
  x: string;
  /** Rolling OLS window for β, bars (≥ 3). Required with hedge "ols" (the default); not used with "kalman". */
  hedgeWindow?: number;
  /** Rolling z-score window, bars (≥ 2). Required with hedge "ols" (the default); not used with "kalman". */
  zWindow?: number;
  /**
   * "ols" (default): rolling-OLS β and rolling z, as above. "kalman": the pair's Kalman z = e/√Q (`kalmanSignal`
   * with the `kalman` settings), filtered bar by bar from the first bar the engine sees; NaN (no event) before
   * `kalman.warmup` bars.
   */
  hedge?: "ols" | "kalman";
  /** The pair's Kalman settings (`delta`, `ve`, `scale`, `warmup`; same names, defaults and checks); only with hedge "kalman". */
  kalman?: KalmanSettings;
  /** Entry level |z| (> 0). */
  entry: number;
  /** Exit level, 0 ≤ exit < entry (default 0). Hysteresis is entry − exit. */
  exit?: number;
  /** Stop level > entry (default none): exits a short-spread at z ≥ stop, a long-spread at z ≤ −stop (`zScoreAlerts` `stop`). */
  stop?: number;
  /** `zScoreAlerts` `reentry` (default "same-bar"); the pair object's rule uses "next-bar", the dashboard's and the backtest's rule. */
  reentry?: "same-bar" | "next-bar";
}

/** Rolling log-return correlation of a and b falling below `below`. */
export interface CorrelationRuleSpec extends RuleCommon {
  kind: "correlation";
  a: string;
  b: string;
  /** Returns per window (≥ 2; needs window + 1 bars). */
  window: number;
  /** Level in [−1, 1]: fires when the correlation drops below it. */
  below: number;
  /** Re-arms once the correlation is back ≥ below + hysteresis (default 0.05). */
  hysteresis?: number;
}

/** Hedge ratio β (OLS of y on x over `window` bars) moving more than `percent` % over `lookback` bars. */
export interface HedgeDriftRuleSpec extends RuleCommon {
  kind: "hedge-drift";
  y: string;
  x: string;
  /** OLS window, bars (≥ 3). */
  window: number;
  /** Bars between the two β compared (≥ 1; needs window + lookback bars). */
  lookback: number;
  /** Fires when |β_now − β_then| / |β_then| · 100 > percent. */
  percent: number;
  /** Re-arms once the drift is ≤ percent − hysteresis (default percent / 5). */
  hysteresis?: number;
}

/** ADF p-value of the pair's spread (static OLS hedge over `window` bars) crossing `level`, re-tested every `every` closed bars. */
export interface AdfRuleSpec extends RuleCommon {
  kind: "adf";
  y: string;
  x: string;
  /** Bars in the test (≥ 20). */
  window: number;
  /** Re-test every this many closed bars (≥ 1, default 10); between tests the last p-value stands. */
  every?: number;
  /** p-value level in (0, 1), default 0.05. */
  level?: number;
  /** "below" (default): fires when p drops below level (the spread looks stationary); "above": fires when p rises above it (cointegration breaking down). */
  direction?: "below" | "above";
  /** Re-arms once p is back beyond level ± hysteresis (default 0.01). */
  hysteresis?: number;
  /**
   * Largest lag of the AIC search (default statsmodels' 12·(window/100)^¼, 15 at 300 bars). The cost of a
   * re-test grows with it (one regression per lag); a smaller value makes ADF bars cheaper.
   */
  maxlag?: number;
}

/** A price move of at least `percent` % over `window` bars. */
export interface PriceMoveRuleSpec extends RuleCommon {
  kind: "price-move";
  symbol: string;
  /** Bars looked back (≥ 1). */
  window: number;
  /** Threshold on |close_now / close_window_ago − 1| · 100 (> 0). */
  percent: number;
  /** "either" (default), "up" or "down". */
  direction?: "either" | "up" | "down";
  /** Re-arms once the move is back below percent − hysteresis (default percent / 5). */
  hysteresis?: number;
}

/** The pair's round-trip cost at the touch (`roundTripCost`) above a level, in bps of gross notional. */
export interface QuoteCostRuleSpec extends RuleCommon {
  kind: "quote-cost";
  y: string;
  x: string;
  /** Level in bps (> 0). */
  aboveBps: number;
  /** Hedge ratio β for the x leg: a number, or omitted to use OLS over `betaWindow` bars. */
  beta?: number;
  /** OLS window when `beta` is omitted (default 100). */
  betaWindow?: number;
  /** Fee per fill, bps (default 0). */
  feeBps?: number;
  /** Re-arms once the cost is ≤ aboveBps − hysteresis (default aboveBps / 10). */
  hysteresis?: number;
}

/** Any rule spec (a discriminated union on `kind`). */
export type AlertRuleSpec = ZScoreRuleSpec | CorrelationRuleSpec | HedgeDriftRuleSpec | AdfRuleSpec | PriceMoveRuleSpec | QuoteCostRuleSpec;

/** Best bid/ask of one symbol at a bar update (from a quote store). */
export interface Touch {
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  /** Quote time `T`, epoch ms. */
  time: number;
}

/**
 * One bar update from a {@link BarSource}: the bar opening at `time` for every symbol, either still
 * forming (`closed: false`, values so far) or final (`closed: true`). Updates arrive in time order; a
 * closed update for a bar ends it.
 */
export interface AlertBar {
  /** Bar open time, epoch ms. */
  time: number;
  closed: boolean;
  /** Last trade price in the bar (previous close for a bar without trades), per lower-case symbol. */
  close: Readonly<Record<string, number>>;
  /** Latest touch per symbol when quotes are available. */
  touch?: Readonly<Record<string, Touch>>;
}

/** Where bars come from (live ingestion, a replay, a test): the engine subscribes and is driven by it. */
export interface BarSource {
  /** Bar width, ms. */
  readonly interval: number;
  /** Data are simulated or replayed: every alert is labelled SIMULATED. */
  readonly simulated: boolean;
  /** Registers a listener; returns the unsubscribe function. */
  subscribe(listener: (bar: AlertBar) => void): () => void;
}

/** What a rule sees at an evaluation. */
export interface RuleContext {
  /** Bar open time, epoch ms. */
  readonly time: number;
  readonly closed: boolean;
  /** Bar width, ms. */
  readonly interval: number;
  /**
   * The last `n` closes of `symbol` ending with the current bar (its value so far when not closed), oldest
   * first; `null` when fewer than `n` bars exist yet. The returned array is a view that is valid only
   * during the evaluation.
   */
  closes(symbol: string, n: number): Float64Array | null;
  /** Latest touch of `symbol`, or undefined without quotes. */
  touch(symbol: string): Touch | undefined;
}

/** A condition met at an evaluation (before frequency and cooldown gating). */
export interface RuleSignal {
  /** Distinguishes signals of one rule ("enter short-spread", "exit", "below", …); part of the alert id. */
  key: string;
  /** The value that triggered (z, correlation, drift %, p-value, move %, cost bps). */
  value: number;
  /** The level crossed. */
  level: number;
  /** One human sentence. */
  message: string;
}

/** JSON value (persisted rule state). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A rule's evaluator (internal): evaluate, and persist/restore its own state. */
export interface RuleEvaluator {
  readonly spec: AlertRuleSpec;
  /** Bars the rule needs before it can evaluate. */
  readonly barsNeeded: number;
  /** Symbols the rule reads. */
  readonly symbols: readonly string[];
  evaluate(ctx: RuleContext): RuleSignal[];
  /** Latest value computed (NaN before the first evaluation), for the panel. */
  readonly lastValue: number;
  state(): JsonValue;
  restore(state: JsonValue): void;
}

/** One alert as fired, logged, shown and delivered. */
export interface AlertEvent {
  /** `<ruleId>:<barTime>:<key>`, deterministic: receivers and the outbox deduplicate on it. */
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleSpec["kind"];
  /** Signal key, e.g. "enter short-spread". */
  key: string;
  /** Open time of the bar the alert fired on, epoch ms. */
  barTime: number;
  /** True when the bar had closed; false for an intra-bar ("once-per-bar") alert. */
  barClosed: boolean;
  /** Wall time of the firing, epoch ms. */
  firedAt: number;
  value: number;
  level: number;
  message: string;
  symbols: string[];
  /** Simulated or replayed data: say so wherever the alert is shown or sent. */
  simulated: boolean;
}
