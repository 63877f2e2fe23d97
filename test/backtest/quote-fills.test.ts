// fills: "quotes" (issue 14): a buy fills at the ask, a sell at the bid of the first quote at or after the fill time.
// Reference: scripts/fixtures/backtest.py (pandas merge_asof(direction="forward") for the quote lookup, then the same
// rules implementation, bench/backtest_reference.py, with those fill prices) → test/fixtures/backtest-quotes.json.
// Tolerances: trades exact in side, times, exit reason and bars held; prices, PnL, fees, equity, metrics within 1e-9 relative.
import { describe, expect, it } from "vitest";
import { backtestPair, sweepBacktest, type BacktestOptions, type Trade } from "../../src/backtest";
import { quoteFillPrices } from "../../src/backtest/quote-fill-prices";
import { bars, close, expectSeriesClose, f64, loadFixture, ok } from "./helpers";

interface QuoteFixture {
  bars: Record<"time" | "openY" | "closeY" | "openX" | "closeX", number[]>;
  quotes: Record<"y" | "x", Record<"time" | "bid" | "ask" | "bidQty" | "askQty", number[]>>;
  options: Record<string, number | string>;
  expected: { trades: Record<string, number | string | null>[]; equity: number[]; metrics: Record<string, number | null> };
}

const fx = loadFixture<QuoteFixture>("backtest-quotes");
const REL = 1e-9;
const EXACT = ["side", "exitReason", "barsHeld", "entrySignalTime", "entryTime", "exitSignalTime", "exitTime"] as const;
const NUMERIC = ["entryPriceY", "entryPriceX", "exitPriceY", "exitPriceX", "beta", "qtyY", "qtyX", "grossPnl", "fees", "netPnl"] as const;

describe("backtestPair fills: \"quotes\"", () => {
  it("quoteFillPrices(bar times, quotes) takes the ask / bid of the first quote at or after each open (hand-computed)", () => {
    const q = { time: [999, 1000, 1500, 2500], bid: [9, 10, 11, 12], ask: [9.5, 10.5, 11.5, 12.5], bidQty: [1, 1, 1, 1], askQty: [1, 1, 1, 1] };
    const p = quoteFillPrices("backtest", new Float64Array([1000, 2000]), { hedgeWindow: 3, zWindow: 2, entry: 1, exit: 0, notional: 1, fills: "quotes", quotes: { y: q, x: q } })!;
    expect(Array.from(p.buyY)).toEqual([10.5, 12.5]); // at 1000 exactly; the first after 2000 is at 2500
    expect(Array.from(p.sellY)).toEqual([10, 12]);
    expect(() => quoteFillPrices("backtest", new Float64Array([3000]), { hedgeWindow: 3, zWindow: 2, entry: 1, exit: 0, notional: 1, fills: "quotes", quotes: { y: q, x: q } })).toThrow(
      /quotes\.y.*1970-01-01T00:00:03\.000Z/,
    );
    expect(() => quoteFillPrices("backtest", new Float64Array([1000]), { hedgeWindow: 3, zWindow: 2, entry: 1, exit: 0, notional: 1, fills: "quotes" })).toThrow(TypeError);
    expect(() => quoteFillPrices("backtest", new Float64Array([1000]), { hedgeWindow: 3, zWindow: 2, entry: 1, exit: 0, notional: 1, fills: "mid" as "quotes" })).toThrow(RangeError);
    expect(() => quoteFillPrices("backtest", new Float64Array([1000]), { hedgeWindow: 3, zWindow: 2, entry: 1, exit: 0, notional: 1, quotes: { y: q, x: q } })).toThrow(/fills/);
  });

  it("backtestPair(fixture, { fills: \"quotes\" }) equals the pandas reference: trades exact, numbers within 1e-9 relative", () => {
    const y = { time: f64(fx.bars.time), open: f64(fx.bars.openY), close: f64(fx.bars.closeY) };
    const x = { time: f64(fx.bars.time), open: f64(fx.bars.openX), close: f64(fx.bars.closeX) };
    const run = ok(backtestPair(y, x, { ...(fx.options as unknown as BacktestOptions), quotes: fx.quotes }));
    expect(run.trades.length).toBe(fx.expected.trades.length);
    expect(run.trades.length).toBeGreaterThan(10);
    run.trades.forEach((t: Trade, k: number) => {
      const e = fx.expected.trades[k];
      for (const f of EXACT) expect(t[f], `trade ${k} ${f}`).toEqual(e[f] === null ? NaN : e[f]);
      for (const f of NUMERIC) if (!close(t[f], e[f] as number, REL)) expect.fail(`trade ${k} ${f}: expected ${e[f]}, got ${t[f]}`);
    });
    expectSeriesClose(run.equity, f64(fx.expected.equity), REL);
    for (const [key, want] of Object.entries(fx.expected.metrics)) {
      const got = run.metrics[key as keyof typeof run.metrics];
      if (!close(got, want === null ? NaN : want, REL)) expect.fail(`metric ${key}: expected ${want}, got ${got}`);
    }
    // Every entry of a long buys y at an ask and sells x at a bid (and the reverse for a short): never the bar open.
    const sweep = sweepBacktest(y, x, { ...(fx.options as unknown as BacktestOptions), quotes: fx.quotes }, { entry: [2] });
    expect(sweep.rows[0].totalReturn).toBe(run.metrics.totalReturn);
  });

  it("backtestPair with quotes at open·(1 ± s) at every bar open equals fills at the open with slippage s (bit-identical)", () => {
    const n = 400;
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const cx: number[] = [], cy: number[] = [];
    let px = 100, noise = 0;
    for (let i = 0; i < n; i++) {
      px += rand();
      noise = 0.9 * noise + rand() * 2;
      cx.push(px);
      cy.push(50 + 2 * px + noise);
    }
    const oy = [cy[0], ...cy.slice(0, -1)], ox = [cx[0], ...cx.slice(0, -1)];
    const Y = bars(oy, cy), X = bars(ox, cx);
    const s = 3 / 1e4;
    const quotes = (open: number[]) => ({ time: Array.from(Y.time), bid: open.map((o) => o * (1 - s)), ask: open.map((o) => o * (1 + s)), bidQty: open.map(() => 1), askQty: open.map(() => 1) });
    const base = { hedgeWindow: 30, zWindow: 20, entry: 1.5, exit: 0.3, notional: 1000 };
    const withSlip = ok(backtestPair(Y, X, { ...base, slippageBps: 3 }));
    const withQuotes = ok(backtestPair(Y, X, { ...base, fills: "quotes", quotes: { y: quotes(oy), x: quotes(ox) } }));
    expect(withSlip.trades.length).toBeGreaterThan(3);
    expect(Array.from(withQuotes.equity)).toEqual(Array.from(withSlip.equity));
    expect(withQuotes.trades).toEqual(withSlip.trades);
  });
});
