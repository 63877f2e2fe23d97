import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { parameterRangeError } from "../errors";
import { KLINE_INTERVALS, SIMULATED_REST_HEADER, klinesWeight, type KlineInterval } from "./rest-client";
import type { SourceTrades, TradeSource } from "./trade-source";
import { WeightBudget } from "./weight-budget";

/** Options of {@link createDemoRestHandler}. */
export interface DemoRestOptions {
  /** The tape to serve (e.g. {@link simulatedTradeSource} with the demo exchange's seed/rate/start). */
  source: TradeSource;
  /** IP weight per minute before 429 (default 2400, like Binance). */
  weightPerMinute?: number;
  /** A request arriving while throttled is answered 418 (ban) instead of 429 after this many 429s (default Infinity: never ban). */
  banAfter429?: number;
  /** Clock (default Date.now). */
  now?: () => number;
  /** Tells clients the data are simulated (`x-pairlab-simulated: 1`; default true). */
  simulated?: boolean;
}

/** A request handler: answers and returns true for the REST paths it serves, false otherwise. */
export type DemoRestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const FUNDING_EVERY_MS = 8 * 3_600_000;

/**
 * A Binance-compatible REST handler over a {@link TradeSource}, for the demo exchange's HTTP server (the lead
 * mounts it there) and tests: `GET /fapi/v1/klines` (every interval incl. 1s, limit ≤ 1500, bars built from the
 * tape exactly like pairlab's resample(): quote volume = Σ p·q in trade order), `/fapi/v1/aggTrades` (one trade
 * per aggregate, `f = l = a = trade id`; by fromId or a window < 1 h; limit ≤ 1000), `/fapi/v1/fundingRate`
 * (every 8 h at 00/08/16 UTC, a rate from a hash of symbol and time, markPrice = last price before), and
 * `/fapi/v1/time`. It keeps a 1-minute weight budget with Binance's weights, sends `X-MBX-USED-WEIGHT-1M`,
 * answers 429 with `Retry-After` when over budget (418 after `banAfter429` of them), and Binance-style
 * `{code, msg}` 400s for bad parameters. Every answer carries `x-pairlab-simulated: 1`.
 *
 * Complexity: klines O(trades in range), aggTrades O(limit + log n).
 *
 * @example
 * const handler = createDemoRestHandler({ source: simulatedTradeSource({ symbols: ["btcusdt", "ethusdt"], startTime: t0 }) });
 * http.createServer((req, res) => { if (!handler(req, res)) res.writeHead(404).end(); }).listen(0, "127.0.0.1");
 */
export function createDemoRestHandler(options: DemoRestOptions): DemoRestHandler {
  const source = options.source;
  if (!source || typeof source.trades !== "function") throw parameterRangeError("createDemoRestHandler", "source", "a TradeSource", source);
  const now = options.now ?? Date.now;
  const budget = new WeightBudget(options.weightPerMinute ?? 2400, 60_000);
  const banAfter = options.banAfter429 ?? Infinity;
  const simulated = options.simulated ?? true;
  let throttledCount = 0;

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    if (!path.startsWith("/fapi/v1/")) return false;
    const q = url.searchParams;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (simulated) headers[SIMULATED_REST_HEADER] = "1";
    const send = (status: number, body: unknown) => {
      headers["x-mbx-used-weight-1m"] = String(budget.usedAt(now()));
      res.writeHead(status, headers).end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const bad = (code: number, msg: string) => send(400, { code, msg });
    const weight = path === "/fapi/v1/klines" ? klinesWeight(Number(q.get("limit") ?? 500)) : path === "/fapi/v1/aggTrades" ? 20 : 1;
    const t = now();
    const wait = budget.delayFor(weight, t);
    if (wait > 0) {
      throttledCount++;
      headers["retry-after"] = String(Math.ceil(wait / 1000));
      send(throttledCount > banAfter ? 418 : 429, { code: -1003, msg: "Too many requests; current limit is exceeded." });
      return true;
    }
    budget.spend(weight, t);
    if (path === "/fapi/v1/time") {
      send(200, { serverTime: t });
      return true;
    }
    const symbol = (q.get("symbol") ?? "").toLowerCase();
    if (!symbol) return bad(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."), true;
    const num = (name: string): number | undefined => {
      const v = q.get(name);
      return v === null ? undefined : Number(v);
    };
    const decimals = source.decimals(symbol);
    if (path === "/fapi/v1/klines") {
      const interval = q.get("interval") as KlineInterval;
      const I = KLINE_INTERVALS[interval];
      if (I === undefined) return bad(-1120, "Invalid interval."), true;
      const limit = num("limit") ?? 500;
      if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= 1500)) return bad(-1130, "Invalid limit: must be in [1, 1500]."), true;
      const end = Math.min(num("endTime") ?? t, t);
      const start = num("startTime") ?? Math.floor(end / I) * I - (limit - 1) * I;
      const from = Math.floor(start / I) * I;
      const to = Math.min(end, from + limit * I - 1);
      const trades = source.trades(symbol, from, to);
      if (!trades) return bad(-1121, "Invalid symbol."), true;
      send(200, klineRows(trades, from, to, I, decimals));
      return true;
    }
    if (path === "/fapi/v1/aggTrades") {
      const limit = num("limit") ?? 500;
      if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= 1000)) return bad(-1130, "Invalid limit: must be in [1, 1000]."), true;
      const fromId = num("fromId");
      const startTime = num("startTime");
      const endTime = num("endTime");
      let trades: SourceTrades | null;
      if (fromId !== undefined) {
        if (startTime !== undefined || endTime !== undefined) return bad(-1128, "Send fromId or startTime/endTime, not both."), true;
        trades = source.tradesFromId(symbol, fromId, limit);
      } else {
        const s = startTime ?? (endTime ?? t) - 3_600_000 + 1;
        const e = endTime ?? s + 3_600_000 - 1;
        if (!(e >= s && e - s < 3_600_000)) return bad(-1127, "More than 1 hours between startTime and endTime."), true;
        trades = source.trades(symbol, s, e);
      }
      if (!trades) return bad(-1121, "Invalid symbol."), true;
      const n = Math.min(limit, trades.id.length);
      let body = "[";
      for (let i = 0; i < n; i++) {
        const id = trades.id[i];
        body += `${i ? "," : ""}{"a":${id},"p":"${trades.price[i].toFixed(decimals)}","q":"${trades.qty[i].toFixed(3)}","f":${id},"l":${id},"T":${trades.time[i]},"m":${trades.maker[i] === 1}}`;
      }
      send(200, body + "]");
      return true;
    }
    if (path === "/fapi/v1/fundingRate") {
      const limit = num("limit") ?? 100;
      if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= 1000)) return bad(-1130, "Invalid limit: must be in [1, 1000]."), true;
      if (!source.trades(symbol, t, t)) return bad(-1121, "Invalid symbol."), true;
      const end = Math.min(num("endTime") ?? t, t);
      const start = num("startTime") ?? end - 200 * FUNDING_EVERY_MS;
      const out: { symbol: string; fundingTime: number; fundingRate: string; markPrice: string }[] = [];
      for (let f = Math.ceil(start / FUNDING_EVERY_MS) * FUNDING_EVERY_MS; f <= end && out.length < limit; f += FUNDING_EVERY_MS) {
        const before = source.trades(symbol, f - 3_600_000, f);
        if (!before || before.id.length === 0) continue; // before the tape starts
        const rate = (((hash(`${symbol}:${f}`) % 2001) - 1000) / 1000) * 0.0003; // ±0.03 %
        out.push({ symbol: symbol.toUpperCase(), fundingTime: f, fundingRate: rate.toFixed(8), markPrice: before.price[before.id.length - 1].toFixed(decimals) });
      }
      send(200, out);
      return true;
    }
    send(404, { code: -1000, msg: `Unknown path ${path}` });
    return true;
  };
}

/**
 * Binance kline rows for the trades in [from, to]: every interval from the first trade's bin to `to`'s bin
 * (an empty bin after a trade repeats the last close with volume 0, as Binance does). Numbers are written in
 * round-trip form so volume and quote volume parse back to exactly Σq and Σp·q (trade order). O(n + bins).
 */
function klineRows(t: SourceTrades, from: number, to: number, I: number, decimals: number): unknown[] {
  const rows: unknown[] = [];
  const n = t.id.length;
  if (n === 0) return rows;
  const last = Math.floor(to / I) * I;
  let i = 0;
  let prevClose = NaN;
  for (let open = Math.floor(t.time[0] / I) * I; open <= last; open += I) {
    if (open < from) continue;
    let o = NaN, h = -Infinity, l = Infinity, c = prevClose, v = 0, qv = 0, cnt = 0, tb = 0, tbq = 0;
    while (i < n && t.time[i] < open + I) {
      const p = t.price[i];
      const q = t.qty[i];
      if (cnt === 0) o = p;
      if (p > h) h = p;
      if (p < l) l = p;
      c = p;
      v += q;
      qv += p * q;
      cnt++;
      if (t.maker[i] === 0) {
        tb += q;
        tbq += p * q;
      }
      i++;
    }
    if (cnt === 0) {
      if (Number.isNaN(prevClose)) continue;
      o = h = l = c = prevClose;
    }
    prevClose = c;
    rows.push([open, o.toFixed(decimals), h.toFixed(decimals), l.toFixed(decimals), c.toFixed(decimals), String(v), open + I - 1, String(qv), cnt, String(tb), String(tbq), "0"]);
  }
  return rows;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A running standalone demo REST server. */
export interface DemoRestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Closes the server and every open socket. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts {@link createDemoRestHandler} on its own HTTP server on 127.0.0.1 (`port` 0 = any free port).
 * For tests, benches and notebooks until the handler is mounted on the demo exchange's server.
 *
 * @example
 * const rest = await startDemoRest({ source }); const client = new BinanceRestClient({ baseUrl: rest.url }); … await rest.close();
 */
export async function startDemoRest(options: DemoRestOptions & { port?: number }): Promise<DemoRestServer> {
  const handler = createDemoRestHandler(options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  return { url: `http://127.0.0.1:${port}`, port, close, [Symbol.asyncDispose]: close };
}
