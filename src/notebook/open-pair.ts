import { parameterRangeError, parameterTypeError } from "../errors";
import { startIngestion, type Ingestion, type IngestionOptions, type ReplayClockStats } from "../ingestion";
import { assertPairSymbols, resolvePairParams, TUNABLE_PARAMS, waitUntilCaughtUp, type PairParams } from "../pair";
import type { DisplayWriter } from "../charts";
import { Pair } from "./pair";
import { pairWarmStart, type PairWarmStartOptions } from "./pair-warm-start";

/** Options of {@link openPair}: the pair parameters (all optional, with defaults) plus where the trades come from. */
export interface OpenPairOptions extends Partial<Omit<PairParams, "symbols" | "simulated">> {
  /** "auto" (live Binance, demo fallback), "binance", "demo" or a ws:// URL. Default: `PAIRLAB_SOURCE`, else "auto". */
  source?: IngestionOptions["source"];
  /** How long to wait for the first trades (or the demo's replayed history), ms. Default 60,000. Never throws: charts warn instead. */
  waitMs?: number;
  /** Further ingestion options (capacity, stream, silenceMs, …). */
  ingestion?: Omit<IngestionOptions, "symbols" | "source">;
  /** Use this running ingestion instead of starting one (tests, power users); it must carry both symbols. */
  use?: Ingestion;
  /** Output writer (tests); default: the kernel's. */
  writer?: DisplayWriter | null;
  /** Also ingest book tickers (best bid/ask) for `pair.quotes()`, `pair.show("cost")`, `pair.backtest({ fills: "quotes" })` and quote-cost alerts. Default false. */
  quotes?: boolean;
  /**
   * Warm start (default on): the last hours of bars from the archive, the rest up to 24 h from the source's REST
   * (the demo exchange's own, or Binance's), merged behind the live bars with their source, with a progress bar.
   * `false`: live bars only. See `pair.warmStart` for what was found and what is missing.
   */
  warmStart?: boolean | PairWarmStartOptions;
}

const WHAT = "openPair";

/**
 * Opens a pair for a notebook: validates the parameters (messages name the parameter and the accepted
 * values), starts — or, on a rerun, reuses — the trade ingestion of both symbols, waits until the first trades
 * (or the demo's replayed hour) have arrived, and returns a {@link Pair} whose every method computes from the
 * latest trades. Defaults: timeframe "1s", hedgeWindow 300, zWindow 120, entry 2, exit 0.5, adfMinBars 50,
 * maxBytes 256 MB of bars.
 *
 * @param symbols - `[y, x]`, e.g. ["BTCUSDT", "ETHUSDT"]: the spread is y − α − β·x.
 * @throws RangeError / TypeError (E_PARAM) for bad symbols or parameters, before anything starts.
 * @example
 * const pair = await openPair(["BTCUSDT", "ETHUSDT"], { timeframe: "1s", hedgeWindow: 300, zWindow: 120, entry: 2, exit: 0.5 });
 * pair.show("zscore");
 */
export async function openPair(symbols: readonly [string, string], options: OpenPairOptions = {}): Promise<Pair> {
  assertPairSymbols(WHAT, symbols);
  if (options === null || typeof options !== "object") throw parameterTypeError(WHAT, "options", "an object of pair parameters", options);
  const { source, waitMs, ingestion: ingestionOptions, use, writer, quotes, warmStart, ...rest } = options;
  const accepted = ["source", "waitMs", "ingestion", "use", "writer", "quotes", "warmStart", ...TUNABLE_PARAMS];
  if (quotes !== undefined && typeof quotes !== "boolean") throw parameterTypeError(WHAT, "quotes", "true or false", quotes);
  for (const key of Object.keys(rest)) {
    if (!(TUNABLE_PARAMS as readonly string[]).includes(key)) {
      throw parameterRangeError(WHAT, key, `a known option name (one of ${accepted.join(", ")}); this name is unknown`, (rest as Record<string, unknown>)[key]);
    }
  }
  const params: PairParams = { ...rest, symbols: [symbols[0].trim().toUpperCase(), symbols[1].trim().toUpperCase()], timeframe: rest.timeframe ?? "1s", simulated: false };
  resolvePairParams(WHAT, params); // every parameter is checked before anything starts
  const wait = waitMs ?? 60_000;
  if (typeof wait !== "number" || !(wait >= 0) || !Number.isFinite(wait)) throw parameterTypeError(WHAT, "waitMs", "a finite number of ms >= 0", wait);
  const ingestion = use ?? startIngestion({ ...ingestionOptions, ...(quotes === undefined ? {} : { quotes }), symbols: [...params.symbols], source });
  if (warmStart !== undefined && typeof warmStart !== "boolean" && (warmStart === null || typeof warmStart !== "object")) throw parameterTypeError(WHAT, "warmStart", "true, false or { hours, archive }", warmStart);
  if (wait > 0) await waitUntilCaughtUp(ingestion, { timeoutMs: wait, maxLagMs: 5000 });
  // With book tickers: also until both legs' quotes are caught up (≤ 5 s behind the clock — on a replay, behind the
  // replay's clock, capped at the leg's last recorded quote; a leg without recorded quotes has nothing to wait for),
  // within the same wait.
  const store = ingestion.quotes;
  if (wait > 0 && store !== undefined) {
    const deadline = Date.now() + Math.min(wait, 30_000);
    // Only a replay needs its clock: read from the worker once per poll, and not at all for a live source.
    const replaying = ingestion.stats().replay !== undefined;
    const fresh = (s: string, replay: ReplayClockStats | undefined): boolean => {
      const symbol = s.toLowerCase();
      const due = replay === undefined ? Date.now() : Math.min(replay.clock, replay.lastQuote[symbol] ?? NaN);
      if (replay !== undefined && !Number.isFinite(due)) return true;
      return (store.latest(symbol)?.time ?? 0) >= due - 5000;
    };
    for (;;) {
      const replay = replaying ? ingestion.stats().replay : undefined;
      if (Date.now() >= deadline || (fresh(params.symbols[0], replay) && fresh(params.symbols[1], replay))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const warm = warmStart === false || typeof params.timeframe !== "string" ? null : await pairWarmStart(ingestion, params.symbols, params.timeframe, warmStart === true || warmStart === undefined ? { archive: ingestionOptions?.archive } : { archive: ingestionOptions?.archive, ...warmStart }, writer);
  return new Pair({ ingestion, params, writer, warm });
}
