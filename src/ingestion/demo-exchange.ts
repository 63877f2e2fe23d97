import { parameterRangeError } from "../errors";
import { assertFiniteNumber, assertInteger } from "../validate";
import { SourceError } from "./ingestion-errors";
import { normalizeSymbols } from "./symbols";
import type { TradeStream } from "./routes";
import type { DemoWorkerCall, DemoWorkerData } from "./demo-worker";
import { SyncCaller } from "./sync-call";
import { startWorkerScript } from "./worker-script";
import { defaultDemoRestModule } from "./worker-extension";

/**
 * HTTP header (lower-case) the demo exchange adds to every WebSocket handshake response, value `"1"`:
 * the ingestion labels data from such a server SIMULATED even when it was given as a custom URL.
 */
export const SIMULATED_HEADER = "x-pairlab-simulated";
/** Handshake header of a server replaying recorded trades (history's replay server): data are labelled REPLAY. */
export const REPLAY_HEADER = "x-pairlab-replay";

/** Options of {@link startDemoFeed}. */
export interface DemoFeedOptions {
  /** Symbols generated (default ["btcusdt", "ethusdt"]): first BTC-like, second its cointegrated ETH-like partner, others independent random walks. Other symbols are refused silently, as on Binance. */
  symbols?: string[];
  /** PRNG seed (default 1). */
  seed?: number;
  /** Trades per second per symbol (default 10). */
  rate?: number;
  /** Pre-filled history, ms before start (default 3,600,000 = 1 h; 0 for none). Replayed to every new subscription as a burst. */
  historyMs?: number;
  /** TCP port on 127.0.0.1 (default 0 = any free port). */
  port?: number;
  /** Streams that are accepted but never delivered, emulating a dead route (e.g. ["trade"]). */
  silence?: TradeStream[];
  /** Every n-th `@trade` id is a Binance-style "spent id" frame (price 0, qty 0); 0 = never (default 0). */
  spentIdEvery?: number;
  /** Generation period, ms (default 100). */
  tickMs?: number;
  /** Trades retained per symbol for replay to new subscriptions (default 200,000 ≈ 8 MB per symbol; older ones are not replayed). */
  maxRetained?: number;
  /**
   * A module (absolute path) whose `createDemoExchangeRest({ symbols, seed, rate, startTime })` returns a
   * `node:http` handler mounted on the exchange's HTTP server (returns false for paths it does not serve): the
   * history area's REST endpoints from the same seeded tape. Default: the history area's, when it is loaded;
   * "" for none (HTTP answers 426).
   */
  restModule?: string;
}

/** A running demo exchange. */
export interface DemoFeed {
  /** Base URL, `ws://127.0.0.1:<port>`; clients append `/public/...` or `/market/...` like on Binance. */
  url: string;
  port: number;
  /** Stops generating, terminates every client socket and closes the server. Idempotent. */
  close(): Promise<void>;
  /** Open client sockets. */
  connections(): number;
  /** Terminates every client socket abruptly (fault injection); returns how many were killed. */
  killConnections(): number;
  /** Symbols being generated. */
  symbols(): string[];
  /** Total trades generated for a symbol so far (history included). */
  generated(symbol: string): number;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Validated demo options with defaults applied. */
export interface NormalizedDemoFeedOptions {
  symbols: string[];
  seed: number;
  rate: number;
  historyMs: number;
  port: number;
  spentEvery: number;
  tickMs: number;
  maxRetained: number;
  silence: Set<TradeStream>;
}

/**
 * Validates {@link DemoFeedOptions} and applies the defaults (so `startIngestion` can reject bad demo
 * options at call time). O(symbols).
 *
 * @throws RangeError/TypeError (E_PARAM) naming the offending option.
 * @example
 * normalizeDemoOptions({ rate: 5 }).historyMs; // 3600000
 */
export function normalizeDemoOptions(options: DemoFeedOptions = {}): NormalizedDemoFeedOptions {
  const what = "startDemoFeed";
  const symbols = normalizeSymbols(options.symbols ?? ["btcusdt", "ethusdt"], what);
  const seed = options.seed ?? 1;
  assertInteger(what, "seed", seed, -(2 ** 31), 2 ** 32);
  const rate = options.rate ?? 10;
  assertFiniteNumber(what, "rate", rate);
  if (rate <= 0 || rate > 100_000) throw parameterRangeError(what, "rate", "a number in (0, 100000] trades/s/symbol", rate);
  const historyMs = options.historyMs ?? 3_600_000;
  assertFiniteNumber(what, "historyMs", historyMs);
  if (historyMs < 0 || historyMs > 7 * 86_400_000) throw parameterRangeError(what, "historyMs", "a number of ms in [0, 7 days]", historyMs);
  const port = options.port ?? 0;
  assertInteger(what, "port", port, 0, 65535);
  const spentEvery = options.spentIdEvery ?? 0;
  assertInteger(what, "spentIdEvery", spentEvery, 0);
  const tickMs = options.tickMs ?? 100;
  assertInteger(what, "tickMs", tickMs, 1, 60_000);
  const maxRetained = options.maxRetained ?? 200_000;
  assertInteger(what, "maxRetained", maxRetained, 1);
  const silence = new Set<TradeStream>(options.silence ?? []);
  for (const s of silence) if (s !== "trade" && s !== "aggTrade") throw parameterRangeError(what, "silence", "an array of \"trade\" / \"aggTrade\"", s);
  return { symbols, seed, rate, historyMs, port, spentEvery, tickMs, maxRetained, silence };
}


/**
 * Starts the embedded demo exchange in its own worker thread, so its clock and sending never stall when
 * the calling thread (a notebook kernel) is blocked: a real WebSocket server on 127.0.0.1 that speaks
 * Binance USD-M's market-stream protocol for `trade` and `aggTrade` — raw (`/public/ws/btcusdt@trade`)
 * and combined (`/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`) paths, `SUBSCRIBE` /
 * `UNSUBSCRIBE` / `LIST_SUBSCRIPTIONS` messages with `{"result":…,"id":…}` replies, and Binance's routing:
 * `@trade` only on `/public`, `@aggTrade` only on `/market`; any other route is accepted but silent. More
 * than 10 inbound messages per second closes the socket (code 1008), like Binance. Every handshake
 * response carries {@link SIMULATED_HEADER}`: 1`, so an ingestion given this feed's URL labels its data
 * SIMULATED.
 *
 * History: with `historyMs > 0` the exchange simulates that much past at start and replays the retained
 * trades (with their historical times) to every new subscription, then sends live trades (a demo-only
 * extension; Binance does not replay).
 *
 * Unknown symbols: a subscription to a symbol not in `symbols` is accepted and silently never delivered,
 * as Binance does for an unlisted symbol; it costs no memory.
 *
 * The methods `connections()`, `killConnections()`, `symbols()` and `generated()` ask the worker
 * synchronously (≤ 2 s; they return 0 / [] if it does not answer). The worker is unref'd: a forgotten demo
 * feed never keeps Node alive; `close()` resolves once the thread has exited.
 *
 * @throws RangeError/TypeError (E_PARAM) for invalid options (rejected promise); rejects with SourceError
 *   (E_SOURCE) when it cannot listen (e.g. the port is taken) — the worker is gone by then.
 * @example
 * const feed = await startDemoFeed({ seed: 42, rate: 20, historyMs: 10 * 60_000 });
 * const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url });
 * // … later
 * await ing.stop(); await feed.close();
 */
export async function startDemoFeed(options: DemoFeedOptions = {}): Promise<DemoFeed> {
  const { port } = normalizeDemoOptions(options);
  const calls = new SyncCaller();
  const data: DemoWorkerData = { options: { ...options, restModule: options.restModule ?? defaultDemoRestModule() }, calls: calls.remote };
  const worker = startWorkerScript("demo-worker", { workerData: data, transferList: [data.calls.port], name: "pairlab-demo-exchange" });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  type Reply = { type: "listening"; port: number } | { type: "error"; message: string; code: string } | { type: "closed" };
  const first = await new Promise<Reply | Error>((resolve) => {
    worker.once("message", (m: Reply) => resolve(m));
    worker.once("error", (e: Error) => resolve(e));
    void exited.then(() => resolve(new Error("the demo exchange's worker exited before listening")));
  });
  if (first instanceof Error || first.type !== "listening") {
    await worker.terminate();
    calls.close();
    const message = first instanceof Error ? first.message : first.type === "error" ? first.message : "closed";
    throw new SourceError(`ws://127.0.0.1:${port}`, message.startsWith("Demo exchange") ? message : `Demo exchange cannot start on 127.0.0.1:${port}: ${message}`);
  }
  worker.on("error", () => undefined); // a later crash ends the thread; close() still resolves
  const actualPort = first.port;
  let closing: Promise<void> | undefined;
  const call = <T>(request: DemoWorkerCall, fallback: T): T => (closing ? fallback : calls.call<T>(request, 2_000) ?? fallback);
  const close = (): Promise<void> => {
    if (closing) return closing;
    worker.postMessage({ type: "close" });
    closing = (async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      await worker.terminate();
      calls.close();
    })();
    return closing;
  };
  return {
    url: `ws://127.0.0.1:${actualPort}`,
    port: actualPort,
    close,
    connections: () => call({ what: "connections" }, 0),
    killConnections: () => call({ what: "killConnections" }, 0),
    symbols: () => call<string[]>({ what: "symbols" }, []),
    generated: (symbol: string) => call({ what: "generated", symbol }, 0),
    [Symbol.asyncDispose]: close,
  };
}
