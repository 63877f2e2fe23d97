import { parameterRangeError } from "../errors";
import { RestBannedError, RestError } from "./rest-errors";
import { systemRestClock, type RestClock } from "./rest-clock";
import { WeightBudget } from "./weight-budget";

/** Production base URL of Binance USD-M futures REST (never used by tests or the demo). */
export const BINANCE_FUTURES_REST = "https://fapi.binance.com";

/** Response header (lower-case) of the demo REST server, value "1": the data are simulated. */
export const SIMULATED_REST_HEADER = "x-pairlab-simulated";

/** Kline intervals of USD-M futures, with their width in ms. */
export const KLINE_INTERVALS = {
  "1s": 1000, "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000,
  "1h": 3_600_000, "2h": 7_200_000, "4h": 14_400_000, "6h": 21_600_000, "8h": 28_800_000, "12h": 43_200_000, "1d": 86_400_000,
} as const;

/** A kline interval name ("1s", "1m", "5m", …). */
export type KlineInterval = keyof typeof KLINE_INTERVALS;

/** Options of {@link BinanceRestClient}. */
export interface RestClientOptions {
  /** Base URL (default {@link BINANCE_FUTURES_REST}); tests and the demo pass `http://127.0.0.1:<port>`. */
  baseUrl?: string;
  /** IP weight budget per minute (default 2400). */
  weightPerMinute?: number;
  /** Times a 429 is retried after waiting `Retry-After` (default 3). */
  maxRetries?: number;
  /** Per-request timeout, ms (default 10,000). */
  timeoutMs?: number;
  /** Clock/sleeper (tests inject a fake one). */
  clock?: RestClock;
  /** Aborts waits and requests. */
  signal?: AbortSignal;
}

/** Counters of a {@link BinanceRestClient}. */
export interface RestClientStats {
  requests: number;
  /** Total weight spent (our own count). */
  weight: number;
  /** Last `X-MBX-USED-WEIGHT-1M` seen (NaN before any). */
  serverUsedWeight: number;
  /** 429 answers received. */
  throttled: number;
  /** Total ms waited for the budget or `Retry-After`. */
  waitedMs: number;
  /** True after a 418: no request is sent any more. */
  banned: boolean;
  /** True when a server answered with `x-pairlab-simulated: 1` (the demo). */
  simulated: boolean;
}

/** One aggregate trade `{a, p, q, f, l, T, m}` as numbers. */
export interface AggTrade {
  a: number;
  p: number;
  q: number;
  f: number;
  l: number;
  T: number;
  m: boolean;
}

/** Klines as columns (`closeTime` = open + interval − 1). */
export interface KlineColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  closeTime: Float64Array;
  quoteVolume: Float64Array;
  count: Float64Array;
  takerBuyVolume: Float64Array;
  takerBuyQuoteVolume: Float64Array;
}

/** One funding event. */
export interface FundingRate {
  symbol: string;
  fundingRate: number;
  fundingTime: number;
  markPrice: number;
}

/** Request weight of `GET /fapi/v1/klines` for a `limit` (1/2/5/10 for <100 / <500 / ≤1000 / >1000). */
export function klinesWeight(limit: number): number {
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

const WHAT = "BinanceRestClient";

/**
 * A small client for Binance USD-M public REST (no key): klines, aggTrades, fundingRate. It keeps within the
 * IP weight budget (2400/min, weights from Binance's docs; the server's `X-MBX-USED-WEIGHT-1M` is adopted when
 * higher), waits `Retry-After` on 429 (up to `maxRetries`), and on 418 stops for good ({@link RestBannedError}).
 * Requests are sent one at a time, in call order. The base URL is injectable; pairlab's tests and demo only
 * use 127.0.0.1.
 *
 * @throws RangeError (E_PARAM) for bad options or parameters; requests reject with {@link RestError} /
 *   {@link RestBannedError}.
 * @example
 * const client = new BinanceRestClient({ baseUrl: demo.url });
 * const k = await client.klines("btcusdt", "1m", { startTime: t0, limit: 1500 });
 * k.close; // Float64Array of up to 1500 closes
 */
export class BinanceRestClient {
  readonly baseUrl: string;
  private readonly budget: WeightBudget;
  private readonly fundingBudget = new WeightBudget(500, 300_000);
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly clock: RestClock;
  private readonly signal?: AbortSignal;
  private banError: RestBannedError | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly st: RestClientStats = { requests: 0, weight: 0, serverUsedWeight: NaN, throttled: 0, waitedMs: 0, banned: false, simulated: false };

  constructor(options: RestClientOptions = {}) {
    const base = options.baseUrl ?? BINANCE_FUTURES_REST;
    if (typeof base !== "string" || !/^https?:\/\/[^/]+/.test(base)) throw parameterRangeError(WHAT, "baseUrl", "an http(s):// URL", base);
    this.baseUrl = base.replace(/\/+$/, "");
    const perMinute = options.weightPerMinute ?? 2400;
    if (!Number.isSafeInteger(perMinute) || perMinute < 20) throw parameterRangeError(WHAT, "weightPerMinute", "an integer >= 20", perMinute);
    this.budget = new WeightBudget(perMinute, 60_000);
    this.maxRetries = options.maxRetries ?? 3;
    if (!Number.isSafeInteger(this.maxRetries) || this.maxRetries < 0) throw parameterRangeError(WHAT, "maxRetries", "an integer >= 0", this.maxRetries);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs < 1) throw parameterRangeError(WHAT, "timeoutMs", "an integer number of ms >= 1", this.timeoutMs);
    this.clock = options.clock ?? systemRestClock;
    this.signal = options.signal;
  }

  /** A snapshot of the counters. O(1). */
  stats(): RestClientStats {
    return { ...this.st };
  }

  /**
   * `GET /fapi/v1/klines`: up to `limit` (≤ 1500, default 1500) klines from `startTime` (inclusive) to
   * `endTime` (inclusive), oldest first. Weight 1–10 by limit.
   * @throws RangeError (E_PARAM) for an unknown interval or a limit outside [1, 1500].
   */
  async klines(symbol: string, interval: KlineInterval, range: { startTime?: number; endTime?: number; limit?: number } = {}): Promise<KlineColumns> {
    if (!(interval in KLINE_INTERVALS)) throw parameterRangeError(`${WHAT}.klines`, "interval", Object.keys(KLINE_INTERVALS).join(", "), interval);
    const limit = range.limit ?? 1500;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1500) throw parameterRangeError(`${WHAT}.klines`, "limit", "an integer in [1, 1500]", limit);
    const rows = (await this.get("/fapi/v1/klines", { symbol: symbol.toUpperCase(), interval, startTime: range.startTime, endTime: range.endTime, limit }, klinesWeight(limit), this.budget)) as unknown[][];
    const n = rows.length;
    const col = () => new Float64Array(n);
    const out: KlineColumns = { time: col(), open: col(), high: col(), low: col(), close: col(), volume: col(), closeTime: col(), quoteVolume: col(), count: col(), takerBuyVolume: col(), takerBuyQuoteVolume: col() };
    const keys: (keyof KlineColumns)[] = ["time", "open", "high", "low", "close", "volume", "closeTime", "quoteVolume", "count", "takerBuyVolume", "takerBuyQuoteVolume"];
    for (let i = 0; i < n; i++) for (let j = 0; j < keys.length; j++) out[keys[j]][i] = Number(rows[i][j]);
    return out;
  }

  /**
   * `GET /fapi/v1/aggTrades` (weight 20): by `fromId`, or by a `startTime`/`endTime` window shorter than 1 h
   * (not both); up to `limit` (≤ 1000, default 1000) aggregates, oldest first.
   * @throws RangeError (E_PARAM) when both or neither are given, the window is ≥ 1 h, or the limit is out of range.
   */
  async aggTrades(symbol: string, query: { fromId?: number; startTime?: number; endTime?: number; limit?: number }): Promise<AggTrade[]> {
    const what = `${WHAT}.aggTrades`;
    const limit = query.limit ?? 1000;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw parameterRangeError(what, "limit", "an integer in [1, 1000]", limit);
    const byId = query.fromId !== undefined;
    const byTime = query.startTime !== undefined || query.endTime !== undefined;
    if (byId === byTime) throw parameterRangeError(what, "query", "either fromId or startTime/endTime (not both, not neither)", byId ? "both" : "neither");
    if (byTime && query.startTime !== undefined && query.endTime !== undefined && !(query.endTime - query.startTime < 3_600_000 && query.endTime >= query.startTime)) {
      throw parameterRangeError(what, "endTime", "startTime <= endTime < startTime + 1 h", query.endTime);
    }
    const rows = (await this.get("/fapi/v1/aggTrades", { symbol: symbol.toUpperCase(), fromId: query.fromId, startTime: query.startTime, endTime: query.endTime, limit }, 20, this.budget)) as Record<string, unknown>[];
    return rows.map((r) => ({ a: Number(r.a), p: Number(r.p), q: Number(r.q), f: Number(r.f), l: Number(r.l), T: Number(r.T), m: r.m === true }));
  }

  /** `GET /fapi/v1/fundingRate` (its own budget: 500 per 5 min), oldest first, `limit` ≤ 1000 (default 1000). */
  async fundingRate(symbol: string, range: { startTime?: number; endTime?: number; limit?: number } = {}): Promise<FundingRate[]> {
    const limit = range.limit ?? 1000;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw parameterRangeError(`${WHAT}.fundingRate`, "limit", "an integer in [1, 1000]", limit);
    const rows = (await this.get("/fapi/v1/fundingRate", { symbol: symbol.toUpperCase(), startTime: range.startTime, endTime: range.endTime, limit }, 1, this.fundingBudget)) as Record<string, unknown>[];
    return rows.map((r) => ({ symbol: String(r.symbol), fundingRate: Number(r.fundingRate), fundingTime: Number(r.fundingTime), markPrice: Number(r.markPrice) }));
  }

  private get(path: string, params: Record<string, string | number | undefined>, weight: number, budget: WeightBudget): Promise<unknown> {
    const run = this.chain.then(() => this.send(path, params, weight, budget));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.st.waitedMs += ms;
    await this.clock.sleep(ms, this.signal);
  }

  private async send(path: string, params: Record<string, string | number | undefined>, weight: number, budget: WeightBudget): Promise<unknown> {
    const qs = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join("&");
    const url = `${this.baseUrl}${path}?${qs}`;
    for (let attempt = 0; ; attempt++) {
      if (this.banError) throw this.banError;
      await this.wait(budget.delayFor(weight, this.clock.now()));
      budget.spend(weight, this.clock.now());
      this.st.requests++;
      this.st.weight += weight;
      let res: Response;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      try {
        res = await fetch(url, { signal: this.signal ? anySignal(this.signal, timeout) : timeout });
      } catch (error) {
        if (this.signal?.aborted) throw this.signal.reason;
        const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
        throw new RestError(url, 0, [cause?.code, cause?.message || (error as Error).message].filter(Boolean).join(": "));
      }
      const used = Number(res.headers.get("x-mbx-used-weight-1m"));
      if (res.headers.has("x-mbx-used-weight-1m") && Number.isFinite(used)) {
        this.st.serverUsedWeight = used;
        budget.observe(used, this.clock.now());
      }
      if (res.headers.get(SIMULATED_REST_HEADER) === "1") this.st.simulated = true;
      const retryAfterMs = Number(res.headers.get("retry-after")) * 1000;
      if (res.status === 418) {
        await res.body?.cancel();
        this.st.banned = true;
        this.banError = new RestBannedError(url, retryAfterMs);
        throw this.banError;
      }
      if (res.status === 429) {
        await res.body?.cancel();
        this.st.throttled++;
        if (attempt >= this.maxRetries) throw new RestError(url, 429, `still throttled after ${attempt} retries`);
        await this.wait(Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 60_000);
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        let code: number | null = null;
        let msg = text.slice(0, 200);
        try {
          const body = JSON.parse(text) as { code?: number; msg?: string };
          code = typeof body.code === "number" ? body.code : null;
          msg = body.msg ?? msg;
        } catch {
          /* not JSON */
        }
        throw new RestError(url, res.status, msg, code);
      }
      try {
        return JSON.parse(text);
      } catch {
        throw new RestError(url, res.status, "the answer is not JSON");
      }
    }
  }
}

/** A signal aborted when either input aborts (AbortSignal.any, typed for Node 20). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return (AbortSignal as unknown as { any(signals: AbortSignal[]): AbortSignal }).any([a, b]);
}
