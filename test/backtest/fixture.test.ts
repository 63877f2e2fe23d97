// backtestPair against the committed fixture from the Python reference implementation of the rules
// (scripts/fixtures/backtest.py → bench/backtest_reference.py, hedge from statsmodels RollingOLS).
// Tolerances: trades exact in side, times, exit reason and bars held; every number (prices, β, quantities,
// PnL, fees, funding, equity, positions, metrics) within 1e-9 relative; z and β within 1e-9 relative + 1e-9 absolute.
import { describe, expect, it } from "vitest";
import { backtestPair, type BacktestOptions, type FundingRates, type Trade } from "../../src/backtest";
import { close, expectSeriesClose, f64, loadFixture, ok } from "./helpers";

interface FixtureCase {
  name: string;
  bars: Record<"time" | "openY" | "closeY" | "openX" | "closeX", number[]>;
  options: Record<string, number>;
  funding: { time: number[]; y: number[]; x: number[] } | null;
  expected: {
    trades: Record<string, number | string | null>[];
    equity: number[];
    positionY: number[];
    positionX: number[];
    zscore: (number | null)[];
    beta: (number | null)[];
    metrics: Record<string, number | null>;
  };
}

const fixture = loadFixture<{ cases: FixtureCase[] }>("backtest");
const REL = 1e-9;
const EXACT_FIELDS = ["side", "exitReason", "barsHeld", "entrySignalTime", "entryTime", "exitSignalTime", "exitTime"] as const;
const NUMERIC_FIELDS = ["entryPriceY", "entryPriceX", "exitPriceY", "exitPriceX", "beta", "qtyY", "qtyX", "grossPnl", "fees", "funding", "netPnl"] as const;

describe("backtestPair fixture (Python reference of the rules)", () => {
  it("fixture has the planned cases (4), with stops, open trades, funding and negative beta", () => {
    expect(fixture.cases.map((c) => c.name)).toHaveLength(4);
    const all = fixture.cases.flatMap((c) => c.expected.trades);
    expect(all.some((t) => t.exitReason === "stop")).toBe(true);
    expect(all.some((t) => t.exitReason === "open")).toBe(true);
    expect(all.some((t) => typeof t.beta === "number" && t.beta < 0)).toBe(true);
    expect(fixture.cases.some((c) => c.expected.metrics.fundingPaid !== 0)).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`backtestPair(${c.name}) equals the reference: trades exact, equity and metrics within 1e-9 relative`, () => {
      const y = { time: f64(c.bars.time), open: f64(c.bars.openY), close: f64(c.bars.closeY) };
      const x = { time: f64(c.bars.time), open: f64(c.bars.openX), close: f64(c.bars.closeX) };
      const funding: FundingRates | undefined = c.funding === null ? undefined : { time: c.funding.time, y: c.funding.y, x: c.funding.x };
      const run = ok(backtestPair(y, x, { ...(c.options as unknown as BacktestOptions), funding }));
      expectSeriesClose(run.beta, f64(c.expected.beta), REL, 1e-9);
      expectSeriesClose(run.zscore, f64(c.expected.zscore), REL, 1e-9);
      expect(run.trades).toHaveLength(c.expected.trades.length);
      run.trades.forEach((t: Trade, k: number) => {
        const e = c.expected.trades[k];
        for (const f of EXACT_FIELDS) {
          const want = e[f] === null ? NaN : e[f];
          expect(t[f], `trade ${k} ${f}`).toEqual(want);
        }
        for (const f of NUMERIC_FIELDS) {
          if (!close(t[f], e[f] as number, REL)) expect.fail(`trade ${k} ${f}: expected ${e[f]}, got ${t[f]}`);
        }
      });
      expectSeriesClose(run.equity, f64(c.expected.equity), REL);
      expectSeriesClose(run.positionY, f64(c.expected.positionY), REL);
      expectSeriesClose(run.positionX, f64(c.expected.positionX), REL);
      for (const [key, want] of Object.entries(c.expected.metrics)) {
        const got = run.metrics[key as keyof typeof run.metrics];
        if (!close(got, want === null ? NaN : want, REL)) expect.fail(`metric ${key}: expected ${want}, got ${got}`);
      }
    });
  }
});
