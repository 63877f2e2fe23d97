import { parameterRangeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import { isoUtc } from "./iso-utc";
import { danfo, type DataFrame } from "./load-danfo";
import type { PairAnalytics } from "../pair";

/** One leg of the pair as the frame needs it (an analytics `Bars` fits). */
export interface PairLeg {
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

/** An alert as `zScoreAlerts` emits it (only the fields the frame uses). */
export interface AlertLike {
  time: number;
  kind: string;
  side: string;
  z: number;
}

/** Input of {@link pairFrame}: aligned bars of both legs plus the analytics on the same grid. */
export interface PairFrameInput {
  /** The two symbols, `[y, x]` (the spread is y − α − β·x). */
  symbols: readonly [string, string];
  /** Common bar open times, epoch ms (UTC). */
  time: ArrayLike<number>;
  a: PairLeg;
  b: PairLeg;
  spread?: ArrayLike<number>;
  zscore?: ArrayLike<number>;
  correlation?: ArrayLike<number>;
  hedgeRatio?: ArrayLike<number>;
  /** Traded value per bar in quote currency (USDT) of y and x: columns `<A>_quoteVolume`, `<B>_quoteVolume`. */
  quoteVolume?: readonly [ArrayLike<number>, ArrayLike<number>];
  /** Alerts; each is flagged on the row with the same time ("enter short-spread", "exit long-spread", …). */
  alerts?: readonly AlertLike[];
  /** True when the data are simulated: adds a `simulated` column that is true on every row. */
  simulated: boolean;
}

const WHAT = "pair DataFrame";

/** A DataFrame from named columns of equal length; with no rows, an empty frame that keeps the columns (danfo cannot build one from empty columns). */
function frameFromColumns(columns: Record<string, unknown[]>): DataFrame {
  const names = Object.keys(columns);
  const rows = names.length > 0 ? columns[names[0]].length : 0;
  if (rows === 0) return new (danfo().DataFrame)([] as never, { columns: names } as never);
  return new (danfo().DataFrame)(columns as never);
}

/**
 * Builds the dashboard's data as one danfo DataFrame, one row per aligned bar:
 * `time_utc` (ISO-8601), `<A>_close`, `<A>_volume`, `<B>_close`, `<B>_volume`, then whichever of
 * `<A>_quoteVolume`, `<B>_quoteVolume`, `spread`, `zscore`, `correlation`, `hedgeRatio` are given (the pair
 * vocabulary: the same names as the `PairAnalytics` fields) (NaN while a rolling window fills), `alert`
 * (the alert at that bar, "" otherwise; several at one bar are joined with "; ") and `simulated`.
 * Full data, never downsampled. No bars gives an empty frame with the same columns. O(n + alerts).
 *
 * @throws RangeError (E_PARAM) when a column's length differs from `time`'s, or symbols are not two distinct names.
 * @example pairFrame({ symbols: ["BTCUSDT", "ETHUSDT"], time, a: aligned.a, b: aligned.b, spread: s, simulated: true }).shape // [n, 8]
 */
export function pairFrame(input: PairFrameInput): DataFrame {
  const [symA, symB] = input.symbols;
  if (typeof symA !== "string" || typeof symB !== "string" || !symA || !symB || symA === symB) {
    throw parameterRangeError(WHAT, "symbols", "two distinct non-empty symbol names", input.symbols as unknown as string[]);
  }
  assertArrayLike(WHAT, "time", input.time);
  const n = input.time.length;
  const columns: Record<string, unknown[]> = { time_utc: Array.from(input.time, isoUtc) };
  const numeric = (name: string, values: ArrayLike<number> | undefined): void => {
    if (values === undefined) return;
    assertArrayLike(WHAT, name, values);
    assertSameLength(WHAT, "time", input.time, name, values);
    columns[name] = Array.from(values);
  };
  numeric(`${symA}_close`, input.a.close);
  numeric(`${symA}_volume`, input.a.volume);
  numeric(`${symB}_close`, input.b.close);
  numeric(`${symB}_volume`, input.b.volume);
  if (input.quoteVolume) {
    numeric(`${symA}_quoteVolume`, input.quoteVolume[0]);
    numeric(`${symB}_quoteVolume`, input.quoteVolume[1]);
  }
  numeric("spread", input.spread);
  numeric("zscore", input.zscore);
  numeric("correlation", input.correlation);
  numeric("hedgeRatio", input.hedgeRatio);
  const labels = new Map<number, string>();
  for (const alert of input.alerts ?? []) {
    const label = `${alert.kind} ${alert.side}`;
    const prev = labels.get(alert.time);
    labels.set(alert.time, prev ? `${prev}; ${label}` : label);
  }
  const alertColumn = new Array<string>(n);
  for (let i = 0; i < n; i++) alertColumn[i] = labels.get(input.time[i]) ?? "";
  columns.alert = alertColumn;
  columns.simulated = new Array<boolean>(n).fill(input.simulated);
  return frameFromColumns(columns);
}

/**
 * The alert log as a danfo DataFrame: `time_utc`, `kind`, `side`, `z`, `pair` ("A/B") and `simulated`.
 * O(alerts).
 * @example alertFrame(events, { symbols: ["BTCUSDT", "ETHUSDT"], simulated: true }).columns
 * // ["time_utc", "kind", "side", "z", "pair", "simulated"]
 */
export function alertFrame(alerts: readonly AlertLike[], options: { symbols: readonly [string, string]; simulated: boolean }): DataFrame {
  const pair = `${options.symbols[0]}/${options.symbols[1]}`;
  const columns: Record<string, unknown[]> = {
    time_utc: alerts.map((a) => isoUtc(a.time)),
    kind: alerts.map((a) => a.kind),
    side: alerts.map((a) => a.side),
    z: alerts.map((a) => a.z),
    pair: alerts.map(() => pair),
    simulated: alerts.map(() => options.simulated),
  };
  return frameFromColumns(columns);
}

/**
 * {@link pairFrame} of the pair's analytics (`pairAnalytics` output): both legs with their quote volume,
 * spread, z-score, correlation, hedge ratio, alert flags and the simulated flag, at full resolution. O(n).
 * @example showFrame(pairFrameFromAnalytics(an))
 */
export function pairFrameFromAnalytics(an: PairAnalytics): DataFrame {
  return pairFrame({
    symbols: an.params.symbols,
    time: an.time,
    a: an.a,
    b: an.b,
    spread: an.spread,
    zscore: an.zscore,
    correlation: an.correlation,
    hedgeRatio: an.hedgeRatio,
    quoteVolume: an.quoteVolume,
    alerts: an.alerts,
    simulated: an.params.simulated,
  });
}
