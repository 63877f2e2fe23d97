import { intervalMs } from "../analytics/interval";
import { resample } from "../analytics/resample";
import type { BarInterval, Bars } from "../analytics/types";
import { parameterTypeError } from "../errors";
import { startIngestion } from "../ingestion/start-ingestion";
import type { Ingestion, IngestionOptions, IngestionStats } from "../ingestion/ingestion-types";
import { normalizeSymbols } from "../ingestion/symbols";
import { alignCloses, type AlignedCloses } from "../universe/align-closes";

/** Options of {@link openUniverse}: ingestion options (not `symbols`) plus the bar interval. */
export interface OpenUniverseOptions extends Omit<IngestionOptions, "symbols"> {
  /** Bar interval of `closes()`: "1s", "1m" (default), "5m" or ms. */
  interval?: BarInterval;
}

/** Aligned closes of a universe, with the data label. */
export interface UniverseCloses extends AlignedCloses {
  /** "LIVE" or "SIMULATED" (demo exchange): show it next to anything derived from these closes. */
  label: IngestionStats["label"];
  /** The bar interval, ms. */
  intervalMs: number;
  /** Symbols without a single trade yet (left out of `closes`; screenPairs needs them all). */
  missing: string[];
}

/** A universe being ingested: {@link Universe.closes} reads the latest state on every call. */
export interface Universe {
  readonly symbols: readonly string[];
  /** The underlying ingestion (stats, stop, trades). */
  readonly ingestion: Ingestion;
  /**
   * Closed bars of every symbol, aligned on the common bar times (alignCloses: intersection, no fill): the input
   * screenPairs and johansenTest expect. The still-open last bar is left out. O(ticks).
   */
  closes(): UniverseCloses;
  /** Stops the ingestion (sockets, timers, an owned demo exchange). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts ingesting N symbols (startIngestion: same connections, sharding at `maxStreamsPerConnection` streams per
 * connection, same registry: a rerun with the same options returns the running ingestion) and returns a handle
 * whose `closes()` gives aligned closed bars of every symbol. Tested with 50 symbols on the demo exchange.
 * Symbols that have not traded yet are listed in `missing` instead of producing NaN.
 *
 * @throws the errors of startIngestion (E_PARAM for bad symbols/options, E_SOURCE for a bad PAIRLAB_SOURCE), and
 *   RangeError for a bad interval.
 * @example
 * const u = openUniverse(["btcusdt", "ethusdt", "solusdt", "avaxusdt"], { source: "demo", interval: "1m" });
 * await u.ingestion.waitForTrades(100);
 * const { closes, label } = u.closes(); // label "SIMULATED"
 * screenPairs(closes);
 * await u.stop();
 */
export function openUniverse(symbols: readonly string[], options: OpenUniverseOptions = {}): Universe {
  if (options === null || typeof options !== "object") throw parameterTypeError("openUniverse", "options", "an object", options);
  const { interval = "1m", ...ingestionOptions } = options;
  const ms = intervalMs("openUniverse", interval);
  const names = normalizeSymbols(symbols, "openUniverse");
  const ingestion = startIngestion({ ...ingestionOptions, symbols: names });
  return {
    symbols: names,
    ingestion,
    closes(): UniverseCloses {
      const now = Date.now();
      const bars: Record<string, Bars> = {};
      const missing: string[] = [];
      for (const s of names) {
        const ticks = ingestion.store.ticks(s);
        if (ticks.price.length === 0) {
          missing.push(s);
          continue;
        }
        const b = resample(ticks, ms, { now });
        if (b.partial && b.time.length > 0) {
          const keep = b.time.length - 1;
          for (const key of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) b[key] = b[key].subarray(0, keep);
          b.partial = false;
        }
        bars[s] = b;
      }
      const aligned = Object.keys(bars).length > 0 ? alignCloses(bars) : { time: new Float64Array(0), symbols: [], closes: {} };
      return { ...aligned, label: ingestion.stats().label, intervalMs: ms, missing };
    },
    stop: () => ingestion.stop(),
  };
}
