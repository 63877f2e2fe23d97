import { parameterRangeError } from "../errors";
import { TradeSimulator, hashString } from "../ingestion/trade-simulator";

/** One symbol's trades in a time window, columnar, oldest first (ids contiguous per symbol in the demo). */
export interface SourceTrades {
  id: Float64Array;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  /** 1 when the buyer was the maker. */
  maker: Uint8Array;
}

/**
 * Where the demo REST server gets its trades: a seeded tape that the demo exchange's WebSocket streams too.
 * `trades(symbol, from, to)` returns the trades with time in [from, to] (inclusive, like Binance windows) that
 * exist by now; `null` for an unknown symbol.
 */
export interface TradeSource {
  symbols(): string[];
  trades(symbol: string, fromMs: number, toMs: number): SourceTrades | null;
  /** Trades whose id is in [fromId, fromId + limit), for `aggTrades?fromId=`. */
  tradesFromId(symbol: string, fromId: number, limit: number): SourceTrades | null;
  /** Decimal places of the symbol's price tick (for formatting prices as strings). */
  decimals(symbol: string): number;
}

/** Options of {@link simulatedTradeSource}: the demo exchange's own (same values → the same trades). */
export interface SimulatedTradeSourceOptions {
  symbols: string[];
  seed?: number;
  rate?: number;
  /** Epoch ms of the first simulated instant (the demo exchange uses start − historyMs). */
  startTime: number;
  /** Clock (default Date.now): trades are generated up to `now()` only, never in the future. */
  now?: () => number;
  /** Ids are idBase + 1, 2, … per symbol (default 0; the demo exchange passes `demoTradeIdBase(startTime)`). */
  idBase?: number;
}

interface Column {
  id: Float64Array;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  maker: Uint8Array;
  n: number;
}

/**
 * A {@link TradeSource} over the demo exchange's generator: the same {@link TradeSimulator} grouping as
 * `startDemoFeed` (the first two symbols one cointegrated pair seeded with `seed`, every other symbol its own
 * simulator seeded `seed ^ hash(symbol)`), the same ids (idBase + 1, 2, … per symbol, one trade per aggregate), so with
 * the demo's seed, rate, start and id base the REST answers match its WebSocket trades (without spent ids).
 * Trades are generated lazily up to `now()` and kept (≈ 33 bytes per trade). O(trades) once, then O(log n)
 * per window lookup.
 *
 * @throws RangeError (E_PARAM) for bad options (from TradeSimulator).
 * @example
 * const src = simulatedTradeSource({ symbols: ["btcusdt", "ethusdt"], seed: 1, rate: 10, startTime: Date.now() - 3_600_000 });
 * src.trades("btcusdt", Date.now() - 60_000, Date.now())!.id.length; // ≈ 600
 */
export function simulatedTradeSource(options: SimulatedTradeSourceOptions): TradeSource {
  if (!Array.isArray(options.symbols) || options.symbols.length === 0) throw parameterRangeError("simulatedTradeSource", "symbols", "a non-empty array of lower-case symbols", options.symbols);
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const groups: { sim: TradeSimulator; symbols: string[] }[] = [];
  groups.push({ sim: new TradeSimulator({ symbols: options.symbols.slice(0, 2), seed, rate: options.rate, startTime: options.startTime, pair: true, idBase: options.idBase }), symbols: options.symbols.slice(0, 2) });
  for (const s of options.symbols.slice(2)) {
    groups.push({ sim: new TradeSimulator({ symbols: [s], seed: (seed ^ hashString(s)) >>> 0, rate: options.rate, startTime: options.startTime, pair: false, idBase: options.idBase }), symbols: [s] });
  }
  const columns = new Map<string, Column>();
  const decimals = new Map<string, number>();
  for (const g of groups) {
    g.symbols.forEach((s, i) => {
      columns.set(s, { id: new Float64Array(1024), time: new Float64Array(1024), price: new Float64Array(1024), qty: new Float64Array(1024), maker: new Uint8Array(1024), n: 0 });
      decimals.set(s, g.sim.decimals(i));
    });
  }
  let generatedTo = -Infinity;
  const advance = () => {
    const t = now();
    if (t <= generatedTo) return;
    for (const g of groups) {
      const cols = g.symbols.map((s) => columns.get(s)!);
      g.sim.advanceTo(t, (i, id, time, price, qty, maker) => {
        const c = cols[i];
        if (c.n === c.id.length) grow(c);
        c.id[c.n] = id;
        c.time[c.n] = time;
        c.price[c.n] = price;
        c.qty[c.n] = qty;
        c.maker[c.n] = maker ? 1 : 0;
        c.n++;
      });
    }
    generatedTo = t;
  };
  const slice = (c: Column, a: number, b: number): SourceTrades => ({
    id: c.id.subarray(a, b), time: c.time.subarray(a, b), price: c.price.subarray(a, b), qty: c.qty.subarray(a, b), maker: c.maker.subarray(a, b),
  });
  return {
    symbols: () => [...columns.keys()],
    decimals: (s) => decimals.get(s) ?? 2,
    trades(symbol, fromMs, toMs) {
      const c = columns.get(symbol);
      if (!c) return null;
      advance();
      return slice(c, bound(c.time, c.n, fromMs, false), bound(c.time, c.n, toMs, true));
    },
    tradesFromId(symbol, fromId, limit) {
      const c = columns.get(symbol);
      if (!c) return null;
      advance();
      const a = bound(c.id, c.n, fromId, false);
      return slice(c, a, Math.min(c.n, a + limit));
    },
  };
}

/** First index with a[i] >= x (or > x when `after`), within the first n elements. */
function bound(a: Float64Array, n: number, x: number, after: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x || (after && a[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function grow(c: Column): void {
  const cap = c.id.length * 2;
  const f = (a: Float64Array) => {
    const b = new Float64Array(cap);
    b.set(a);
    return b;
  };
  c.id = f(c.id);
  c.time = f(c.time);
  c.price = f(c.price);
  c.qty = f(c.qty);
  const m = new Uint8Array(cap);
  m.set(c.maker);
  c.maker = m;
}
