import type { Bars } from "../analytics";
import { openArchive } from "../archive";
import { liveDisplay, progressBundle, type DisplayWriter } from "../charts";
import { parameterRangeError } from "../errors";
import { BINANCE_FUTURES_REST, BinanceRestClient, KLINE_INTERVALS, mergeBars, warmStart, type KlineInterval, type MissingRange, type SourcedBars } from "../history";
import type { Ingestion } from "../ingestion";

/** Options of the pair's warm start (`openPair(…, { warmStart })`). */
export interface PairWarmStartOptions {
  /** How far back, hours, in (0, 24] (default 24 for timeframes of 1m and more, 2 for 1s). */
  hours?: number;
  /** The archive (`"file:…"`, `"postgres://…"`, `"off"`); default `PAIRLAB_ARCHIVE`, else data/pairlab.sqlite. */
  archive?: string;
}

/** What the warm start of a pair found, per leg `[y, x]`. */
export interface PairWarmStartReport {
  interval: string;
  hours: number;
  /** Bars by source, per leg (the live ones counted at open time). */
  counts: [Record<"live" | "archive" | "klines" | "empty", number>, Record<"live" | "archive" | "klines" | "empty", number>];
  /** Ranges no source could fill (REST down or unreachable, …), per leg, with the reason. */
  missing: [MissingRange[], MissingRange[]];
  /** Where the backfill went ("" when no REST applies, e.g. a replay). */
  restUrl: string;
  /** True when any warm-start source said its data are simulated. */
  simulated: boolean;
  elapsedMs: number;
}

/** The warm bars of both legs (without the live ones) and the report. */
export interface PairWarm {
  intervalMs: number;
  bars: [SourcedBars, SourcedBars];
  /** True when either leg got any archived or REST bar (else the live bars are used as they are). */
  useful: boolean;
  report: PairWarmStartReport;
}

/** REST base URL following the ingestion's source: the demo exchange's own HTTP, a custom host's, or fapi. */
export function restUrlFor(ingestion: Ingestion): string {
  const s = ingestion.stats();
  if (s.label.startsWith("REPLAY")) return "";
  const url = s.urls[0] ?? "";
  const m = /^ws(s?):\/\/([^/]+)/.exec(url);
  if (m === null) return s.source.includes("binance") ? BINANCE_FUTURES_REST : "";
  if (m[2] === "fstream.binance.com") return BINANCE_FUTURES_REST;
  return `http${m[1]}://${m[2]}`;
}

/**
 * Warm start of a pair: for each leg, the last `hours` of ticks from the archive and the missing ranges from the
 * source's REST as klines (`warmStart`), with a progress bar in the notebook (a log line without a kernel). Never
 * throws for an unreachable REST or archive: the report lists what is missing and live ingestion goes on.
 * O(archived trades + bars) plus the REST pages.
 *
 * @throws RangeError (E_PARAM) for `hours` outside (0, 24] or a timeframe REST has no kline interval for.
 * @example
 * const warm = await pairWarmStart(ingestion, ["btcusdt", "ethusdt"], "1m", { hours: 24 });
 * warm.report.counts[0]; // { live: 60, archive: 1200, klines: 180, empty: 0 }
 */
export async function pairWarmStart(ingestion: Ingestion, symbols: readonly [string, string], timeframe: string, options: PairWarmStartOptions, writer?: DisplayWriter | null): Promise<PairWarm> {
  const t0 = Date.now();
  const interval = timeframe as KlineInterval;
  const intervalMs = KLINE_INTERVALS[interval];
  if (intervalMs === undefined) throw parameterRangeError("openPair", "warmStart", `a timeframe with a kline interval (${Object.keys(KLINE_INTERVALS).join(", ")})`, timeframe);
  const hours = options.hours ?? (intervalMs >= 60_000 ? 24 : 2);
  if (!(typeof hours === "number" && hours > 0 && hours <= 24)) throw parameterRangeError("openPair", "warmStart.hours", "a number of hours in (0, 24]", hours);
  const restUrl = restUrlFor(ingestion);
  const missing: [MissingRange[], MissingRange[]] = [[], []];
  let archive = null;
  try {
    archive = await openArchive(options.archive);
  } catch (error) {
    for (const m of missing) m.push({ from: t0 - hours * 3_600_000, to: t0, reason: `archive: ${(error as Error).message}` });
  }
  const client = restUrl === "" ? null : new BinanceRestClient({ baseUrl: restUrl });
  const display = liveDisplay({ writer, minIntervalMs: 200 });
  const bars: SourcedBars[] = [];
  const counts = [] as unknown as PairWarmStartReport["counts"];
  let simulated = false;
  let shown = false;
  try {
    for (let k = 0; k < 2; k++) {
      const symbol = symbols[k].toLowerCase();
      const r = await warmStart({
        symbol,
        interval,
        hours,
        archive,
        client,
        now: t0,
        onProgress: (p) => (shown = true) && display.show(progressBundle({ ...p, what: `warm start ${symbol} ${interval} (${k + 1}/2): ${p.what}` })),
      });
      bars.push(r.bars);
      counts[k] = { ...r.counts };
      missing[k].push(...r.missing);
      simulated ||= r.simulated;
    }
    // Nothing fetched (no archive, no REST): no progress bar at all.
    if (shown) {
      display.show(progressBundle({ what: `warm start ${symbols.join("/")} ${interval}: done`, done: 1, total: 1 }));
      display.flush();
    }
  } finally {
    await archive?.close();
  }
  const report: PairWarmStartReport = { interval, hours, counts, missing, restUrl, simulated, elapsedMs: Date.now() - t0 };
  const useful = counts.some((c) => c.archive + c.klines > 0);
  return { intervalMs, bars: [bars[0], bars[1]], report, useful };
}

/**
 * The leg's bars with the warm start's behind them: live bars first, then archived, then REST klines
 * (`mergeBars` priority), each bar keeping its source. O(bars).
 * @example mergeWarm(feed.bars(now), warm.bars[0], 60_000).source.at(-1) // "live"
 */
export function mergeWarm(live: Bars, warm: SourcedBars, intervalMs: number): SourcedBars {
  const pick = (source: "archive" | "klines"): Bars => {
    const idx: number[] = [];
    for (let i = 0; i < warm.time.length; i++) if (warm.source[i] === source) idx.push(i);
    const f = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
    return { time: f(warm.time), open: f(warm.open), high: f(warm.high), low: f(warm.low), close: f(warm.close), volume: f(warm.volume), vwap: f(warm.vwap), count: f(warm.count), partial: false, interval: intervalMs };
  };
  return mergeBars([{ source: "live", bars: live }, { source: "archive", bars: pick("archive") }, { source: "klines", bars: pick("klines") }], intervalMs);
}
