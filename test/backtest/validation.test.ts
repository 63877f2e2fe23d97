// Bad input: options, bars on different grids, too few bars — the library-wide rule (RangeError/TypeError naming the
// field before any work; an explicit insufficient-data result for too few bars).
import { describe, expect, it } from "vitest";
import { backtestPair, sweepBacktest, walkForward, type BacktestOptions } from "../../src/backtest";
import { bars, ok } from "./helpers";

const N = 40;
const up = Array.from({ length: N }, (_, i) => 100 + Math.sin(i) * 3 + i * 0.1);
const upX = Array.from({ length: N }, (_, i) => 50 + Math.cos(i * 0.7) * 2 + i * 0.05);
const Y = bars(up, up);
const X = bars(upX, upX);
const BASE: BacktestOptions = { hedgeWindow: 10, zWindow: 5, entry: 2, exit: 0.5, notional: 100 };

describe("backtestPair bad input", () => {
  const table: [string, Partial<Record<keyof BacktestOptions, unknown>>, RegExp][] = [
    ["hedgeWindow 2", { hedgeWindow: 2 }, /'hedgeWindow' must be an integer >= 3, got 2/],
    ["hedgeWindow 10.5", { hedgeWindow: 10.5 }, /'hedgeWindow' must be an integer >= 3, got 10.5/],
    ["zWindow 1", { zWindow: 1 }, /'zWindow' must be an integer >= 2, got 1/],
    ["entry 0", { entry: 0 }, /'entry' must be a finite number > 0, got 0/],
    ["entry NaN", { entry: NaN }, /'entry' must be a finite number > 0, got NaN/],
    ["exit >= entry", { exit: 2 }, /'exit' must be a finite number in \[0, entry = 2\), got 2/],
    ["exit < 0", { exit: -0.1 }, /'exit' must be a finite number in \[0, entry = 2\), got -0.1/],
    ["stop <= entry", { stop: 2 }, /'stop' must be a finite number > entry = 2, or undefined \(no stop\), got 2/],
    ["stop Infinity", { stop: Infinity }, /'stop' must be a finite number > entry = 2/],
    ["notional 0", { notional: 0 }, /'notional' must be a finite number > 0 \(quote currency\), got 0/],
    ["notional '100'", { notional: "100" }, /'notional' must be a finite number > 0 \(quote currency\), got "100"/],
    ["capital -1", { capital: -1 }, /'capital' must be a finite number > 0 \(quote currency\), got -1/],
    ["feeBps -1", { feeBps: -1 }, /'feeBps' must be a finite number >= 0 \(basis points\), got -1/],
    ["slippageBps 10000", { slippageBps: 10_000 }, /'slippageBps' must be a finite number in \[0, 10000\) \(basis points\), got 10000/],
    ["unknown key stopZ", { stopZ: 3 } as never, /'options' must be keys among hedgeWindow, zWindow, entry, exit, stop, notional, capital, feeBps, slippageBps, funding, hedge, kalman, fills, quotes, got "unknown key \\"stopZ\\""/],
    ["funding not an object", { funding: 5 }, /'funding' must be an object \{ time, y, x \}/],
    ["funding lengths", { funding: { time: [1, 2], y: [0.1], x: [0.1, 0.2] } }, /'funding.y' must be one rate per funding time \(2\)/],
    ["funding NaN rate", { funding: { time: [1], y: [NaN], x: [0] } }, /'funding.y' must be finite, got NaN at index 0/],
    ["funding time backwards", { funding: { time: [2, 1], y: [0, 0], x: [0, 0] } }, /'funding.time' must be non-decreasing/],
  ];
  for (const [name, patch, message] of table) {
    it(`backtestPair(${name}) throws naming the option and its accepted range`, () => {
      expect(() => backtestPair(Y, X, { ...BASE, ...patch } as BacktestOptions)).toThrow(message);
      try {
        backtestPair(Y, X, { ...BASE, ...patch } as BacktestOptions);
      } catch (error) {
        expect((error as { code?: string }).code).toMatch(/E_PARAM|E_NON_FINITE/);
      }
    });
  }

  it("backtestPair(bars on different time grids) throws RangeError saying to align them with alignBars", () => {
    const shifted = bars(upX, upX, 1_764_000_000_000 + 60_000);
    expect(() => backtestPair(Y, shifted, BASE)).toThrow(/'x.time' must be bars on the same time grid; align them first with alignBars\(yBars, xBars\).*got "time 1764000060000 at index 0 where y has 1764000000000"/);
    const shorter = bars(upX.slice(1), upX.slice(1));
    expect(() => backtestPair(Y, shorter, BASE)).toThrow(/alignBars.*got "39 bars against 40 for y"/);
  });

  it("backtestPair(bad prices) throws: NaN close (NonFiniteInputError), price <= 0 (RangeError), missing column (TypeError)", () => {
    const nan = bars(up, up.map((v, i) => (i === 7 ? NaN : v)));
    expect(() => backtestPair(nan, X, BASE)).toThrow(/'y.close' must be finite, got NaN at index 7/);
    const zero = bars(up.map((v, i) => (i === 3 ? 0 : v)), up);
    expect(() => backtestPair(zero, X, BASE)).toThrow(/'y.open\[3\]' must be a price > 0, got 0/);
    expect(() => backtestPair({ time: Y.time, close: Y.close } as never, X, BASE)).toThrow(TypeError);
    expect(() => backtestPair(null as never, X, BASE)).toThrow(/'y' must be bars/);
    const dup = { ...Y, time: Float64Array.from(Y.time, (t, i) => (i === 5 ? Y.time[4] : t)) };
    expect(() => backtestPair(dup, { ...X, time: dup.time }, BASE)).toThrow(/'y.time' must be strictly increasing bin open times, got "\d+ after \d+ at index 5"/);
    const inf = bars(upX, upX.map((v, i) => (i === 9 ? Infinity : v)));
    expect(() => backtestPair(Y, inf, BASE)).toThrow(/'x.close' must be finite, got Infinity at index 9/);
  });

  it("backtestPair(too few bars) returns status 'insufficient-data' with needed = hedgeWindow + zWindow and a message", () => {
    const r = backtestPair(Y, X, { ...BASE, hedgeWindow: 30, zWindow: 11 });
    expect(r).toEqual({ status: "insufficient-data", needed: 41, got: 40, message: expect.stringMatching(/needs 41 bars .* has 40/) });
    expect(backtestPair(Y, X, { ...BASE, hedgeWindow: 30, zWindow: 10 }).status).toBe("ok");
    const empty = bars([], []);
    expect(backtestPair(empty, empty, BASE)).toMatchObject({ status: "insufficient-data", got: 0 });
  });
});

describe("sweepBacktest / walkForward bad input", () => {
  it("sweepBacktest(grid with a bad value) throws naming grid.<key>[k]; cross-option breaks and short data are skipped", () => {
    expect(() => sweepBacktest(Y, X, BASE, { entry: [1, NaN] })).toThrow(/'grid.entry\[1\]' must be a finite number > 0, got NaN/);
    expect(() => sweepBacktest(Y, X, BASE, { zWindow: [] })).toThrow(/'grid.zWindow' must be a non-empty array/);
    expect(() => sweepBacktest(Y, X, BASE, { window: [3] } as never)).toThrow(/'grid' must be keys among entry, exit, zWindow, hedgeWindow/);
    expect(() => sweepBacktest(Y, X, BASE, { entry: Array.from({ length: 1000 }, (_, k) => k + 1), exit: Array.from({ length: 101 }, (_, k) => k / 200) })).toThrow(/at most 100000 combinations/);
    const s = sweepBacktest(Y, X, BASE, { entry: [1, 2], exit: [0.5, 1.5], hedgeWindow: [10, 36] });
    expect(s.rows.map((r) => [r.hedgeWindow, r.entry, r.exit])).toEqual([
      [10, 1, 0.5],
      [10, 2, 0.5],
      [10, 2, 1.5],
    ]);
    const exitBreak = expect.stringMatching(/'exit' must be a finite number in \[0, entry = 1\), got 1.5/);
    const short = "insufficient data: needs 41 bars (hedgeWindow + zWindow), has 40";
    expect(s.skipped.map((r) => [r.hedgeWindow, r.entry, r.exit, r.reason])).toEqual([
      [10, 1, 1.5, exitBreak],
      [36, 1, 0.5, short],
      [36, 1, 1.5, exitBreak],
      [36, 2, 0.5, short],
      [36, 2, 1.5, short],
    ]);
  });

  it("walkForward(split 1 / metric 'calmar') throws RangeError naming the option; too few bars gives insufficient-data", () => {
    expect(() => walkForward(Y, X, BASE, {}, { split: 1 })).toThrow(/'split' must be a number in \(0, 1\), got 1/);
    expect(() => walkForward(Y, X, BASE, {}, { metric: "calmar" as never })).toThrow(/'metric' must be "sharpe" or "totalReturn"/);
    expect(() => walkForward(Y, X, BASE, {}, { splitAt: 0.5 } as never)).toThrow(/'options' must be keys among split, metric/);
    expect(walkForward(Y, X, { ...BASE, hedgeWindow: 25 }, {})).toMatchObject({ status: "insufficient-data", message: expect.stringMatching(/No combination could run on the 28 in-sample bars/) });
  });

  it("backtestPair(valid options on 40 bars) runs (the table above fails only on the named option)", () => {
    expect(ok(backtestPair(Y, X, BASE)).equity).toHaveLength(40);
  });
});
