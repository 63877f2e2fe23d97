import { createDemoRestHandler, type DemoRestHandler } from "./demo-rest";
import { demoTradeIdBase } from "../ingestion/trade-simulator";
import { simulatedTradeSource } from "./trade-source";

/**
 * The demo exchange's REST endpoints (`/fapi/v1/klines`, `/aggTrades`, `/fundingRate`, `/time`) from its own
 * seeded tape: loaded by the demo exchange's worker through its `restModule` seam, with the exchange's symbols,
 * seed, rate and first simulated instant (start − historyMs), and the same session-unique ids
 * (`demoTradeIdBase(startTime)` + 1, 2, …), so REST trades (aggTrades `a`, `f`, `l`) equal its WebSocket trades. O(1)
 * to create; each request generates the tape up to now once (O(new trades)).
 *
 * @example
 * const handler = createDemoExchangeRest({ symbols: ["btcusdt", "ethusdt"], seed: 1, rate: 10, startTime: Date.now() - 3_600_000 });
 */
export function createDemoExchangeRest(options: { symbols: string[]; seed: number; rate: number; startTime: number }): DemoRestHandler {
  return createDemoRestHandler({ source: simulatedTradeSource({ symbols: options.symbols, seed: options.seed, rate: options.rate, startTime: options.startTime, idBase: demoTradeIdBase(options.startTime) }) });
}
