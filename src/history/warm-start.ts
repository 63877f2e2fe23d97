import { resample } from "../analytics/resample";
import type { Bars, Ticks } from "../analytics/types";
import type { Archive } from "../archive/archive-types";
import { parameterRangeError } from "../errors";
import { fetchKlineRange } from "./fetch-klines";
import { klinesToBars } from "./kline-bars";
import { mergeBars, type BarLayer, type SourcedBars } from "./merge-bars";
import type { ProgressCallback } from "./progress";
import { KLINE_INTERVALS, type BinanceRestClient, type KlineInterval, type RestClientStats } from "./rest-client";

/** Options of {@link warmStart}. */
export interface WarmStartOptions {
  symbol: string;
  /** Bar interval ("1s", "1m", "5m", …). */
  interval: KlineInterval;
  /** How far back, hours (default 24; at most 24). */
  hours?: number;
  /** The archive to read ticks and stored klines from, and to store fetched klines in (null: none). */
  archive?: Archive | null;
  /** REST client for the backfill (null: archive only). */
  client?: BinanceRestClient | null;
  /** Ticks already received live (highest priority). */
  live?: Ticks;
  /** Current time, epoch ms (default Date.now()). */
  now?: number;
  /** Two archived trades further apart than this are a hole to backfill, ms (default max(60 s, 2 intervals)). */
  holeMs?: number;
  /** Page-by-page progress (a progress bar in a notebook, a log line in scripts). */
  onProgress?: ProgressCallback;
}

/** A time range [from, to) that could not be filled, with the reason. */
export interface MissingRange {
  from: number;
  to: number;
  reason: string;
}

/** What {@link warmStart} produced. */
export interface WarmStartResult {
  bars: SourcedBars;
  /** Bars taken from each source. */
  counts: { live: number; archive: number; klines: number; empty: number };
  /** Trades read from the archive. */
  archivedTrades: number;
  /** Ranges REST was asked for. */
  requested: MissingRange[];
  /** Ranges still without data (REST failed or unreachable, no client, or nothing at the exchange). */
  missing: MissingRange[];
  /** REST counters (null without a client). */
  rest: RestClientStats | null;
  /** True when any source said its data are simulated (the archive's flag, the demo REST header). */
  simulated: boolean;
  /** Wall time, ms. */
  elapsedMs: number;
}

/**
 * Warm start of one symbol's bars: reads the last `hours` (≤ 24) of ticks and stored klines from the archive,
 * finds what is not covered (before the first archived trade, holes longer than `holeMs`, after the last), fetches
 * those ranges as klines from REST (storing them in the archive with their source), and merges live, archived and
 * REST bars into one series in which each bar keeps its source ({@link mergeBars}). A REST failure never throws:
 * the affected ranges are listed in `missing` with the error, and the bars from the other sources are returned.
 *
 * Complexity: O(archived trades + bars) plus ⌈missing bars / 1500⌉ REST requests.
 *
 * @throws RangeError (E_PARAM) for an unknown interval or hours outside (0, 24]; ArchiveError when the archive
 *   cannot be read.
 * @example
 * const ws = await warmStart({ symbol: "btcusdt", interval: "1m", archive, client });
 * ws.bars.source.filter((s) => s === "klines").length; // bars backfilled from REST
 * ws.missing; // [] when everything was filled
 */
export async function warmStart(options: WarmStartOptions): Promise<WarmStartResult> {
  const t0 = Date.now();
  const what = "warmStart";
  const I = KLINE_INTERVALS[options.interval];
  if (I === undefined) throw parameterRangeError(what, "interval", Object.keys(KLINE_INTERVALS).join(", "), options.interval);
  const hours = options.hours ?? 24;
  if (!(hours > 0 && hours <= 24)) throw parameterRangeError(what, "hours", "a number in (0, 24]", hours);
  const now = options.now ?? Date.now();
  const from = Math.floor((now - hours * 3_600_000) / I) * I;
  const holeMs = options.holeMs ?? Math.max(60_000, 2 * I);
  const symbol = options.symbol;
  const layers: BarLayer[] = [];
  let simulated = false;
  if (options.live && options.live.time.length > 0) layers.push({ source: "live", bars: resample(options.live, I, { now }) });

  // 1. The archive: ticks, then klines stored by an earlier warm start.
  let archivedTrades = 0;
  const covered: [number, number][] = [];
  let storedKlines: Bars | null = null;
  if (options.archive) {
    const ticks = await options.archive.readTrades(symbol, { from, to: now + 1 });
    archivedTrades = ticks.id.length;
    if (archivedTrades > 0) {
      layers.push({ source: "archive", bars: resample(ticks, I, { now }) });
      if (ticks.simulated.includes(1)) simulated = true;
      let a = ticks.time[0];
      for (let i = 1; i < archivedTrades; i++) {
        if (ticks.time[i] - ticks.time[i - 1] > holeMs) {
          covered.push([a, ticks.time[i - 1]]);
          a = ticks.time[i];
        }
      }
      covered.push([a, ticks.time[archivedTrades - 1]]);
    }
    const k = await options.archive.readBars(symbol, I, { from, to: now + 1 });
    if (k.time.length > 0) {
      storedKlines = { time: k.time, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume, vwap: k.time.map((_, i) => (k.volume[i] > 0 ? k.quoteVolume[i] / k.volume[i] : NaN)), count: k.count, partial: false, interval: I };
      if (k.simulated.includes(1)) simulated = true;
    }
  }
  // 2. Bins not covered by archived ticks (a covered span [a, b] covers the bins from a's to b's; the bins at
  //    the edges are refetched whole because the archive may hold only part of them). Stored closed klines
  //    count as covered.
  const storedSet = new Set<number>();
  if (storedKlines) for (let i = 0; i < storedKlines.time.length; i++) if (storedKlines.time[i] + I <= now) storedSet.add(storedKlines.time[i]);
  const requested: MissingRange[] = [];
  let cursor = from;
  const gapsToFetch: [number, number][] = [];
  for (const [a, b] of covered) {
    const aBin = Math.floor(a / I) * I;
    if (aBin > cursor) gapsToFetch.push([cursor, aBin + I]);
    cursor = Math.max(cursor, Math.floor(b / I) * I);
  }
  // After the last archived trade: fetch unless the archive is current (its last trade within holeMs of now).
  const lastArchived = covered.length > 0 ? covered[covered.length - 1][1] : -Infinity;
  if (cursor < now && now - lastArchived > holeMs) gapsToFetch.push([cursor, now + 1]);
  const ranges: [number, number][] = [];
  for (const [a, b] of gapsToFetch) {
    let s = -1;
    for (let t = a; t < b; t += I) {
      const need = !storedSet.has(t);
      if (need && s < 0) s = t;
      if (!need && s >= 0) {
        ranges.push([s, t]);
        s = -1;
      }
    }
    if (s >= 0) ranges.push([s, b]);
  }
  // 3. REST backfill.
  const missing: MissingRange[] = [];
  const client = options.client ?? null;
  const fetched: Bars[] = [];
  for (const [a, b] of ranges) {
    requested.push({ from: a, to: b, reason: "not in the archive" });
    if (!client) {
      missing.push({ from: a, to: b, reason: "no REST client" });
      continue;
    }
    try {
      const k = await fetchKlineRange(client, symbol, options.interval, a, b, options.onProgress);
      const bars = klinesToBars(k, I, now);
      if (k.time.length === 0) missing.push({ from: a, to: b, reason: "the exchange returned no klines" });
      else fetched.push(bars);
      if (options.archive && k.time.length > 0) {
        // Store only closed klines: a partial one would be stale on the next warm start.
        let m = k.time.length;
        while (m > 0 && k.time[m - 1] + I > now) m--;
        if (m > 0) {
          await options.archive.writeBars({
            symbol, intervalMs: I, time: k.time.subarray(0, m), open: k.open.subarray(0, m), high: k.high.subarray(0, m), low: k.low.subarray(0, m), close: k.close.subarray(0, m),
            volume: k.volume.subarray(0, m), quoteVolume: k.quoteVolume.subarray(0, m), count: k.count.subarray(0, m), source: "klines", simulated: client.stats().simulated,
          });
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith("E_ARCHIVE")) throw error;
      missing.push({ from: a, to: b, reason: (error as Error).message });
    }
  }
  if (client?.stats().simulated) simulated = true;
  const klines = [...fetched, ...(storedKlines ? [storedKlines] : [])];
  for (const bars of klines) layers.push({ source: "klines", bars });
  const merged = mergeBars(layers, I);
  // Trim to [from, now].
  const lo = merged.time.findIndex((t) => t >= from);
  const bars = lo > 0 ? sliceBars(merged, lo) : merged;
  const counts = { live: 0, archive: 0, klines: 0, empty: 0 };
  for (const s of bars.source) counts[s]++;
  return { bars, counts, archivedTrades, requested, missing, rest: client?.stats() ?? null, simulated, elapsedMs: Date.now() - t0 };
}

function sliceBars(b: SourcedBars, lo: number): SourcedBars {
  return {
    time: b.time.slice(lo), open: b.open.slice(lo), high: b.high.slice(lo), low: b.low.slice(lo), close: b.close.slice(lo),
    volume: b.volume.slice(lo), vwap: b.vwap.slice(lo), count: b.count.slice(lo), partial: b.partial, interval: b.interval, source: b.source.slice(lo),
  };
}
