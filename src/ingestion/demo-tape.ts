import type { TradeStream } from "./routes";

/**
 * The demo exchange's record of one symbol's trades: bounded columns (ids, times, prices, quantities,
 * maker flags, aggregate ids) from which every subscription replays and streams. Trade k (0-based, in
 * generation order) sits at `k % capacity` while retained; `first` is the oldest retained k. O(1) per trade.
 */
export class Tape {
  ids: Float64Array;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  maker: Uint8Array;
  /** Total trades ever appended; trade k (0-based) sits at k % capacity while retained. */
  total = 0;
  aggIds: Float64Array;
  aggTotal = 0;
  lastTradeId = 0;
  /** Id before the first trade (the session base, see demoTradeIdBase); 0 = ids from 1. */
  idBase = 0;
  constructor(
    readonly symbol: string,
    readonly upper: string,
    readonly decimals: number,
    readonly capacity: number,
  ) {
    this.ids = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.maker = new Uint8Array(capacity);
    this.aggIds = new Float64Array(capacity);
  }
  /** Oldest retained trade index. */
  get first(): number {
    return Math.max(0, this.total - this.capacity);
  }
}

/**
 * Binance-format text of trade `k` of `tape`: an `@trade` payload (`X: "MARKET"`), an `@aggTrade` payload
 * (one trade per aggregate: `f = l = t`), or — when `spentId >= 0` — a spent-id `@trade` frame
 * (`p: "0"`, `q: "0"`, `X: "NA"`); wrapped as `{"stream":…,"data":…}` when `combined`. Prices use the
 * symbol's tick decimals, quantities 3 decimals (strings, as Binance sends them). O(1).
 *
 * @example
 * encodeTapeFrame(tape, 0, "trade", true, -1);
 * // '{"stream":"btcusdt@trade","data":{"e":"trade","E":…,"T":…,"s":"BTCUSDT","t":1,"p":"100000.0","q":"0.050","X":"MARKET","m":false}}'
 */
export function encodeTapeFrame(tape: Tape, k: number, stream: TradeStream, combined: boolean, spentId: number): string {
  const m = tape.maker[k] === 1;
  const t = tape.time[k];
  let body: string;
  if (spentId >= 0) {
    body = `{"e":"trade","E":${t},"T":${t},"s":"${tape.upper}","t":${spentId},"p":"0","q":"0","X":"NA","m":false}`;
  } else if (stream === "trade") {
    body =
      `{"e":"trade","E":${t},"T":${t},"s":"${tape.upper}","t":${tape.ids[k]},` +
      `"p":"${tape.price[k].toFixed(tape.decimals)}","q":"${tape.qty[k].toFixed(3)}","X":"MARKET","m":${m}}`;
  } else {
    body =
      `{"e":"aggTrade","E":${t},"a":${tape.aggIds[k]},"s":"${tape.upper}","p":"${tape.price[k].toFixed(tape.decimals)}",` +
      `"q":"${tape.qty[k].toFixed(3)}","f":${tape.ids[k]},"l":${tape.ids[k]},"T":${t},"m":${m}}`;
  }
  return combined ? `{"stream":"${tape.symbol}@${stream}","data":${body}}` : body;
}
