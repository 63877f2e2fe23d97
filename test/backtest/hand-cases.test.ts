// Hand-computed small cases of the rules. The decision/fill/accounting loop (`simulate`, shared by backtestPair,
// sweepBacktest and walkForward) is driven with a hand-written z path and β so every expected number below is
// computed by hand (in the comments). Tolerance: 1e-12 relative (hand arithmetic in decimals vs binary floats).
import { describe, expect, it } from "vitest";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { barFunding, prepareBars, resolveOptions } from "../../src/backtest/prepare";
import { runWithSeries } from "../../src/backtest/simulate";
import type { BacktestOptions, FundingRates } from "../../src/backtest";
import { bars, close } from "./helpers";

const T0 = 1_764_000_000_000;
const t = (i: number) => T0 + i * 60_000;
// y: opens/closes; x: opens/closes (9 one-minute bars).
const Y = bars([10, 10, 10, 11, 12, 12, 12, 11, 10], [10, 10, 10.5, 11.5, 12, 12, 11.5, 10.5, 10], T0);
const X = bars([5, 5, 5, 5.2, 5.5, 5.5, 5.5, 5.3, 5], [5, 5, 5.1, 5.4, 5.5, 5.5, 5.4, 5.1, 5], T0);
const BASE: BacktestOptions = { hedgeWindow: 3, zWindow: 2, entry: 2, exit: 0.5, notional: 100, feeBps: 10 };

function run(z: number[], beta: number, options: Partial<BacktestOptions> = {}, funding?: FundingRates) {
  const o = { ...BASE, ...options };
  const b = prepareBars("test", Y, X);
  return runWithSeries(b, barFunding("test", b.time, funding), Float64Array.from(z, () => beta), Float64Array.from(z), resolveOptions("test", o), 0, z.length);
}

function expectClose(actual: number, expected: number, label: string): void {
  if (!close(actual, expected, 1e-12, 1e-12)) expect.fail(`${label}: expected ${expected}, got ${actual}`);
}

describe("backtest rules, hand-computed", () => {
  it("simulate(one long and one short round trip) fills at the next open, pays fees per leg, marks at closes", () => {
    // bar1 z=-2.5 → long (fill bar2 open); bar3 z=0.1 >= -0.5 → exit (fill bar4); bar5 z=2.2 → short (fill bar6); bar7 z=-0.2 → exit (fill bar8).
    const r = run([NaN, -2.5, -1, 0.1, 0, 2.2, 1, -0.2, NaN], 2);
    // Long: qtyY = 100/10 = 10, qtyX = 20; holds +10 y, −20 x at 10 and 5; entry fee 0.001·(100 + 100) = 0.2.
    // Exit at 12 / 5.5: gross 10·2 − 20·0.5 = 10; exit fee 0.001·(120 + 110) = 0.23; net 10 − 0.43 = 9.57.
    // Short: qtyY = 100/12, qtyX = 200/12; entry fee 0.001·(100 + 91.6̅) = 0.191̅6̅; exit at 10 / 5: gross (100/12)·2 − (200/12)·0.5 = 8.3̅;
    // exit fee 0.001·(83.3̅ + 83.3̅) = 0.16̅; net 8.3̅ − 0.358̅3̅ = 7.975.
    expect(r.trades.map((x) => [x.side, x.entrySignalTime, x.entryTime, x.exitSignalTime, x.exitTime, x.exitReason, x.barsHeld])).toEqual([
      ["long", t(1), t(2), t(3), t(4), "exit", 2],
      ["short", t(5), t(6), t(7), t(8), "exit", 2],
    ]);
    const [long, short] = r.trades;
    expectClose(long.qtyY, 10, "long qtyY");
    expectClose(long.qtyX, 20, "long qtyX");
    expectClose(long.grossPnl, 10, "long gross");
    expectClose(long.fees, 0.43, "long fees");
    expectClose(long.netPnl, 9.57, "long net");
    expectClose(short.qtyY, 100 / 12, "short qtyY");
    expectClose(short.grossPnl, 100 / 12, "short gross");
    expectClose(short.fees, 0.19166666666666667 + 0.16666666666666667, "short fees");
    expectClose(short.netPnl, 7.975, "short net");
    const expectedEquity = [200, 200, 202.8, 206.8, 209.57, 209.57, 211.8783333333333, 215.2116666666667, 217.545];
    expectedEquity.forEach((e, i) => expectClose(r.equity[i], e, `equity[${i}]`));
    expect(Array.from(r.positionY).map((v) => Math.sign(v))).toEqual([0, 0, 1, 1, 0, 0, -1, -1, 0]);
    expectClose(r.metrics.totalReturn, 17.545 / 200, "totalReturn");
    expect(r.metrics.trades).toBe(2);
    expect(r.metrics.winRate).toBe(1);
    expect(r.metrics.maxDrawdown).toBe(0);
    expectClose(r.metrics.exposure, 4 / 9, "exposure");
    expectClose(r.metrics.feesPaid, 0.43 + 0.3583333333333333, "feesPaid");
    // Sharpe: simple-statistics as the oracle, 365-day year of 60 s bars.
    const ret = expectedEquity.slice(1).map((e, i) => e / expectedEquity[i] - 1);
    expectClose(r.metrics.sharpe, (mean(ret) / sampleStandardDeviation(ret)) * Math.sqrt((365 * 86400) / 60), "sharpe");
  });

  it("simulate(stop 3) exits a short at z >= 3 with reason 'stop'; without stop the same z keeps the position", () => {
    const z = [NaN, 2.5, 3.1, 1, 1, 0.2, NaN, NaN, NaN];
    const stopped = run(z, 2, { stop: 3 });
    expect(stopped.trades.map((x) => [x.side, x.exitSignalTime, x.exitTime, x.exitReason, x.barsHeld])).toEqual([["short", t(2), t(3), "stop", 1]]);
    // Short 10 y at 10, long 20 x at 5; stop fills at bar3 open 11 / 5.2: gross −10·1 + 20·0.2 = −6.
    expectClose(stopped.trades[0].grossPnl, -6, "stop gross");
    const held = run(z, 2);
    expect(held.trades.map((x) => [x.exitSignalTime, x.exitReason])).toEqual([[t(5), "exit"]]);
    // Exit and entry never at the same bar: z crossing from +3 to −3 in one bar exits only.
    const flip = run([NaN, 2.5, -3, -3, 0, NaN, NaN, NaN, NaN], 2);
    expect(flip.trades.map((x) => [x.side, x.entrySignalTime, x.exitSignalTime])).toEqual([
      ["short", t(1), t(2)],
      ["long", t(3), t(4)],
    ]);
  });

  it("simulate(trade open at the end) reports reason 'open', marked at the last close, no exit fee, net = final equity − capital", () => {
    const r = run([NaN, -2.5, -1, -1, -1, -1, -1, -1, 0], 2); // the exit decided at the last bar is not filled
    expect(r.trades).toHaveLength(1);
    const open = r.trades[0];
    expect([open.exitReason, open.exitSignalTime, open.exitTime, open.barsHeld]).toEqual(["open", NaN, NaN, 7]);
    expect([open.exitPriceY, open.exitPriceX]).toEqual([10, 5]);
    // +10 y at 10 → close 10; −20 x at 5 → close 5: gross 0; entry fee only, 0.2.
    expectClose(open.grossPnl, 0, "gross");
    expectClose(open.fees, 0.2, "fees (entry only)");
    expectClose(open.netPnl, r.equity[8] - 200, "net = contribution to final equity");
    expect(r.metrics.trades).toBe(0);
    expect(r.metrics.winRate).toBeNaN();
    expectClose(r.metrics.feesPaid, 0.2, "feesPaid includes the open trade's entry fee");
  });

  it("simulate(funding at a bar boundary) charges T at the first bar with time >= T, on the position held before that bar's fills", () => {
    // Long from bar2's open (+10 y, −20 x). Funding at: t(2) (entry bar: flat before the fill → 0), t(3) exactly (bar3),
    // t(3)+1 ms (→ bar4, where the exit fills: the position before the fill pays), t(5) (flat → 0).
    const funding = { time: [t(2), t(3), t(3) + 1, t(5)], y: [0.01, 0.001, 0.002, 0.05], x: [0.01, 0.002, -0.001, 0.05] };
    const r = run([NaN, -2.5, -1, 0.1, 0, NaN, NaN, NaN, NaN], 2, {}, funding);
    // bar3: 10·11·0.001 + (−20)·5.2·0.002 = 0.11 − 0.208 = −0.098; bar4: 10·12·0.002 + (−20)·5.5·(−0.001) = 0.24 + 0.11 = 0.35.
    expectClose(r.trades[0].funding, -0.098 + 0.35, "trade funding");
    expectClose(r.metrics.fundingPaid, 0.252, "fundingPaid");
    expectClose(r.trades[0].netPnl, 10 - 0.43 - 0.252, "net after funding");
    expectClose(r.equity[3], 206.8 + 0.098, "equity at bar3 includes the funding received");
    expectClose(r.equity[8], 200 + 10 - 0.43 - 0.252, "final equity");
  });

  it("simulate(negative β) buys both legs of a long spread; slippage by each leg's own trade direction", () => {
    // β = −2: long spread holds +10 y and −(−2·10) = +20 x: both bought at open·(1 + 0.001), both sold at open·(1 − 0.001).
    const r = run([NaN, -2.5, -1, 0.1, NaN, NaN, NaN, NaN, NaN], -2, { slippageBps: 10 });
    const tr = r.trades[0];
    expectClose(tr.qtyX, -20, "qtyX = β·qtyY");
    expectClose(r.positionX[2], 20, "x units held");
    expectClose(tr.entryPriceY, 10 * 1.001, "entry y bought");
    expectClose(tr.entryPriceX, 5 * 1.001, "entry x bought");
    expectClose(tr.exitPriceY, 12 * 0.999, "exit y sold");
    expectClose(tr.exitPriceX, 5.5 * 0.999, "exit x sold");
    // gross = 10·(11.988 − 10.01) + 20·(5.4945 − 5.005) = 19.78 + 9.79 = 29.57
    expectClose(tr.grossPnl, 29.57, "gross");
    // fees = 0.001·(10·10.01 + 20·5.005) + 0.001·(10·11.988 + 20·5.4945) = 0.2002 + 0.22977
    expectClose(tr.fees, 0.2002 + 0.22977, "fees");
    // and a short spread with β < 0 sells both legs: entry at open·(1 − s)
    const s = run([NaN, 2.5, 1, 0.1, NaN, NaN, NaN, NaN, NaN], -2, { slippageBps: 10 });
    expectClose(s.trades[0].entryPriceY, 10 * 0.999, "short entry y sold");
    expectClose(s.trades[0].entryPriceX, 5 * 0.999, "short entry x sold");
    expectClose(s.positionX[2], -20, "short x units");
  });
});
