import { intervalMs } from "../analytics/interval";
import type { BarInterval } from "../analytics/types";
import type { DisplayWriter } from "../charts";
import { parameterTypeError } from "../errors";
import { startIngestion } from "../ingestion/start-ingestion";
import type { IngestionOptions } from "../ingestion/ingestion-types";
import { normalizeSymbols } from "../ingestion/symbols";
import { Universe } from "./universe";

/** Options of {@link openUniverse}: ingestion options (not `symbols`) plus the bar interval. */
export interface OpenUniverseOptions extends Omit<IngestionOptions, "symbols"> {
  /** Bar interval of `closes()`: "1s", "1m" (default), "5m" or ms. */
  interval?: BarInterval;
  /** Output writer (tests); default: the kernel's. */
  writer?: DisplayWriter | null;
}

/**
 * Starts ingesting N symbols (startIngestion: same connections, sharding at `maxStreamsPerConnection` streams per
 * connection, same registry: a rerun with the same options returns the running ingestion) and returns a
 * {@link Universe} whose methods (`closes()`, `screen()`, `johansen()`, `show(view)`, `status()`) read the latest
 * state on every call. Tested with 50 symbols on the demo exchange. Symbols that have not traded yet are listed
 * in `closes().missing` instead of producing NaN. Call `await universe.ready()` to wait for the first trades.
 *
 * @throws the errors of startIngestion (E_PARAM for bad symbols/options, E_SOURCE for a bad PAIRLAB_SOURCE), and
 *   RangeError for a bad interval.
 * @example
 * const u = openUniverse(["btcusdt", "ethusdt", "solusdt", "avaxusdt"], { source: "demo", interval: "1m" });
 * await u.ready();
 * u.show("table", { top: 5 });
 * await u.stop();
 */
export function openUniverse(symbols: readonly string[], options: OpenUniverseOptions = {}): Universe {
  if (options === null || typeof options !== "object") throw parameterTypeError("openUniverse", "options", "an object", options);
  const { interval = "1m", writer, ...ingestionOptions } = options;
  const ms = intervalMs("openUniverse", interval);
  const names = normalizeSymbols(symbols, "openUniverse");
  const ingestion = startIngestion({ ...ingestionOptions, symbols: names });
  return new Universe({ ingestion, symbols: names, intervalMs: ms, writer });
}
