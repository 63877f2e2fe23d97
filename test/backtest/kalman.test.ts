// backtestPair / sweepBacktest / walkForward with hedge "kalman": the Python reference fixture (NumPy recursion of
// Chan's filter + the rules, bench/backtest_reference.py via scripts/fixtures/backtest.py), hand-computed bars,
// validation, insufficient data, sweep equality and the no-look-ahead property (seeded).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backtestPair, sweepBacktest, walkForward, type BacktestBars, type BacktestOptions, type Trade } from "../../src/backtest";
import { kalmanSignal, resolveKalmanSettings } from "../../src/backtest/kalman-signal";
import { kalmanHedge } from "../../src/universe/kalman-hedge";
import { mulberry32 } from "../../src/ingestion/trade-simulator";
import { bars, close, expectSeriesClose, f64, loadFixture, ok } from "./helpers";

interface FixtureCase {
  name: string;
  bars: Record<"time" | "openY" | "closeY" | "openX" | "closeX", number[]>;
  options: BacktestOptions;
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

const fixture = loadFixture<{ kalmanCases: FixtureCase[] }>("backtest");
// β and z come from a 2×2 recursion over up to 1,500 bars (NumPy's matrix products vs scalar code): 1e-9 relative
// (+ 1e-9 absolute for z near 0); PnL, equity and metrics inherit β's rounding: 1e-9 relative.
const REL = 1e-9;
const EXACT_FIELDS = ["side", "exitReason", "barsHeld", "entrySignalTime", "entryTime", "exitSignalTime", "exitTime"] as const;
const NUMERIC_FIELDS = ["entryPriceY", "entryPriceX", "exitPriceY", "exitPriceX", "beta", "qtyY", "qtyX", "grossPnl", "fees", "funding", "netPnl"] as const;

describe("backtestPair(hedge: \"kalman\") against the Python reference fixture", () => {
  it("fixture has 2 Kalman cases with trades, a stop, an open trade and funding", () => {
    expect(fixture.kalmanCases).toHaveLength(2);
    const all = fixture.kalmanCases.flatMap((c) => c.expected.trades);
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((t) => t.exitReason === "stop")).toBe(true);
    expect(all.some((t) => t.exitReason === "open")).toBe(true);
    expect(fixture.kalmanCases.some((c) => c.expected.metrics.fundingPaid !== 0)).toBe(true);
  });

  for (const c of fixture.kalmanCases) {
    it(`backtestPair(${c.name}) equals the reference: trades exact, numbers within 1e-9 relative`, () => {
      const y = { time: f64(c.bars.time), open: f64(c.bars.openY), close: f64(c.bars.closeY) };
      const x = { time: f64(c.bars.time), open: f64(c.bars.openX), close: f64(c.bars.closeX) };
      const funding = c.funding === null ? undefined : { time: c.funding.time, y: c.funding.y, x: c.funding.x };
      const run = ok(backtestPair(y, x, { ...c.options, funding }));
      expectSeriesClose(run.beta, f64(c.expected.beta), REL, 1e-9);
      expectSeriesClose(run.zscore, f64(c.expected.zscore), REL, 1e-9);
      expect(run.trades).toHaveLength(c.expected.trades.length);
      run.trades.forEach((t: Trade, k: number) => {
        const e = c.expected.trades[k];
        for (const f of EXACT_FIELDS) expect(t[f], `trade ${k} ${f}`).toEqual(e[f] === null ? NaN : e[f]);
        for (const f of NUMERIC_FIELDS) if (!close(t[f], e[f] as number, REL)) expect.fail(`trade ${k} ${f}: expected ${e[f]}, got ${t[f]}`);
      });
      expectSeriesClose(run.equity, f64(c.expected.equity), REL);
      expectSeriesClose(run.positionX, f64(c.expected.positionX), REL);
      for (const [key, want] of Object.entries(c.expected.metrics)) {
        const got = run.metrics[key as keyof typeof run.metrics];
        if (!close(got, want === null ? NaN : want, REL)) expect.fail(`metric ${key}: expected ${want}, got ${got}`);
      }
    });
  }
});

describe("backtestPair(hedge: \"kalman\") by hand", () => {
  // y = [2, 4, 6.1, 8, 9], x = [1, 2, 3, 4, 5], δ = 0.01, Ve = 0.01, scale "none", warmup 1. By hand (θ₀ = 0, P₀ = 0):
  // bar 0: R = 0, Q = Ve = 0.01, e = 2, K = 0 → θ stays 0 (masked by warmup 1).
  // bar 1: Vw = δ/(1−δ) = 1/99, R = Vw·I, F = [2, 1]: Q = 5·Vw + Ve, e = 4, β₁ = 2·Vw·e/Q = 8·Vw/Q, z₁ = 4/√Q.
  const vw = 1 / 99;
  const q1 = 5 * vw + 0.01;
  const beta1 = (8 * vw) / q1; // 1.33556…
  const z1 = 4 / Math.sqrt(q1); // 16.26…
  const y = bars([2, 4, 6, 8, 9], [2, 4, 6.1, 8, 9]);
  const x = bars([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
  const options: BacktestOptions = { hedge: "kalman", kalman: { delta: 0.01, ve: 0.01, scale: "none", warmup: 1 }, hedgeWindow: 3, zWindow: 2, entry: 10, exit: 0.5, notional: 600, feeBps: 0 };

  it("backtestPair(kalman, warmup 1) has β₁ = 8·Vw/Q₁ and z₁ = 4/√Q₁ (1e-12 relative), NaN at bar 0", () => {
    const run = ok(backtestPair(y, x, options));
    expect(run.beta[0]).toBeNaN();
    expect(run.zscore[0]).toBeNaN();
    expect(close(run.beta[1], beta1, 1e-12)).toBe(true);
    expect(close(run.zscore[1], z1, 1e-12)).toBe(true);
    expect(close(beta1, 1.33556, 1e-5)).toBe(true); // kalmanHedge's JSDoc example value
  });

  it("backtestPair(kalman) shorts the spread at z₁ ≥ entry, fills at bar 2's open with qtyX = β₁·qtyY (β after bar 1's update)", () => {
    const run = ok(backtestPair(y, x, options));
    const t = run.trades[0];
    expect(t.side).toBe("short");
    expect(t.entrySignalTime).toBe(y.time[1]);
    expect(t.entryTime).toBe(y.time[2]);
    expect(t.qtyY).toBe(600 / 6);
    expect(close(t.beta, beta1, 1e-12)).toBe(true);
    expect(close(t.qtyX, beta1 * 100, 1e-12)).toBe(true);
    expect(run.positionY[2]).toBe(-100);
    expect(close(run.positionX[2], beta1 * 100, 1e-12)).toBe(true);
  });

  it("backtestPair(kalman) series equal kalmanHedge's β and z, masked for bars < warmup (tolerance 0)", () => {
    const k = kalmanHedge(y.close, x.close, { delta: 0.01, ve: 0.01, scale: "none" });
    const run = ok(backtestPair(y, x, { ...options, kalman: { ...options.kalman, warmup: 2 } }));
    expect(Array.from(run.beta)).toEqual([NaN, NaN, ...Array.from(k.beta).slice(2)]);
    expect(Array.from(run.zscore)).toEqual([NaN, NaN, ...Array.from(k.z).slice(2)]);
  });

  it("backtestPair(kalman) with fewer than warmup + 2 bars is insufficient-data naming the Kalman warmup", () => {
    const run = backtestPair(y, x, { ...options, kalman: { warmup: 4 } });
    expect(run.status).toBe("insufficient-data");
    if (run.status === "insufficient-data") {
      expect(run.needed).toBe(6);
      expect(run.message).toMatch(/needs 6 bars \(Kalman warmup 4 \+ 2/);
    }
    expect(backtestPair(y, x, { ...options, kalman: { warmup: 3 } }).status).toBe("ok");
  });
});

describe("hedge option validation", () => {
  const y = bars([1, 2, 3], [1, 2, 3]);
  const base: BacktestOptions = { hedgeWindow: 3, zWindow: 2, entry: 2, exit: 0.5, notional: 100 };
  it("backtestPair({ hedge: 'kalmn' }) throws RangeError naming hedge and its accepted values", () => {
    expect(() => backtestPair(y, y, { ...base, hedge: "kalmn" as never })).toThrow(/'hedge' must be one of "ols", "kalman", got "?kalmn/);
  });
  it("backtestPair({ kalman: { delta: 1 } }) names kalman.delta; ve, scale, warmup and unknown keys likewise", () => {
    const k = (kalman: object) => () => backtestPair(y, y, { ...base, hedge: "kalman", kalman: kalman as never });
    expect(k({ delta: 1 })).toThrow(/'kalman\.delta' must be a number in \(0, 1\), got 1/);
    expect(k({ ve: 0 })).toThrow(/'kalman\.ve' must be a finite number > 0/);
    expect(k({ scale: "last" })).toThrow(/'kalman\.scale' must be one of "none", "first"/);
    expect(k({ warmup: 0 })).toThrow(/'kalman\.warmup' must be an integer >= 1/);
    expect(k({ Delta: 1e-5 })).toThrow(/'kalman' must be keys among delta, ve, scale, warmup/);
    expect(() => backtestPair(y, y, { ...base, hedge: "kalman", kalman: 5 as never })).toThrow(TypeError);
  });
  it("backtestPair({ kalman: {...} }) without hedge 'kalman' throws (the settings would be ignored)", () => {
    expect(() => backtestPair(y, y, { ...base, kalman: { delta: 1e-5 } })).toThrow(/'kalman' must be undefined unless hedge is "kalman"/);
  });
  it("resolveKalmanSettings(undefined) gives the documented defaults", () => {
    expect(resolveKalmanSettings("t", undefined)).toEqual({ delta: 1e-7, ve: 1e-5, scale: "first", warmup: 100 });
  });
});

/** A seeded cointegrated pair of 1-minute bars (y ≈ 300 + 3·x + AR(1) noise). */
function pair(seed: number, n: number): { y: BacktestBars; x: BacktestBars } {
  const u = mulberry32(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const time = new Float64Array(n), oy = new Float64Array(n), cy = new Float64Array(n), ox = new Float64Array(n), cx = new Float64Array(n);
  let px = 50, noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + i * 60_000;
    ox[i] = px + 0.02 * g();
    px = Math.max(5, px + 0.3 * g());
    cx[i] = px;
    noise = 0.9 * noise + 0.8 * g();
    cy[i] = 300 + 3 * (px - 50) + noise;
    oy[i] = (i > 0 ? cy[i - 1] : cy[i]) + 0.05 * g();
  }
  return { y: { time, open: oy, close: cy, interval: 60_000 }, x: { time, open: ox, close: cx, interval: 60_000 } };
}

// Relative noise ≈ 0.8/√(1−0.81)/300 ≈ 0.6 % → Ve ≈ 4e-5 with scale "first".
const KBASE: BacktestOptions = { hedge: "kalman", kalman: { delta: 1e-6, ve: 4e-5, warmup: 40 }, hedgeWindow: 30, zWindow: 15, entry: 1.5, exit: 0.3, notional: 1000, slippageBps: 1 };

describe("Kalman backtest properties (seeded)", () => {
  it("sweepBacktest(kalman, { entry, exit }) rows equal backtestPair with the same levels (bit-identical metrics)", () => {
    const { y, x } = pair(42, 500);
    const grid = { entry: [1, 1.5, 2], exit: [0, 0.5] };
    const sweep = sweepBacktest(y, x, KBASE, grid);
    expect(sweep.rows).toHaveLength(6);
    expect(sweep.rows.some((r) => r.trades > 0)).toBe(true);
    for (const { hedgeWindow, zWindow, entry, exit, ...metrics } of sweep.rows) {
      expect(metrics).toEqual(ok(backtestPair(y, x, { ...KBASE, hedgeWindow, zWindow, entry, exit })).metrics);
    }
  });

  it("sweepBacktest(kalman, { hedgeWindow: [...] }) throws RangeError naming grid.hedgeWindow; grid.zWindow likewise", () => {
    const { y, x } = pair(1, 100);
    expect(() => sweepBacktest(y, x, KBASE, { hedgeWindow: [20, 30] })).toThrow(/'grid\.hedgeWindow' must be undefined with hedge "kalman"/);
    expect(() => sweepBacktest(y, x, KBASE, { zWindow: [20] })).toThrow(/'grid\.zWindow' must be undefined with hedge "kalman"/);
    expect(() => walkForward(y, x, KBASE, { hedgeWindow: [20] })).toThrow(/'grid\.hedgeWindow' must be undefined/);
  });

  it("walkForward(kalman) runs: the out-of-sample z is the full-history filter's z from the split (state carried)", () => {
    const { y, x } = pair(7, 600);
    const wf = walkForward(y, x, KBASE, { entry: [1, 1.5], exit: [0, 0.3] }, { split: 0.5 });
    expect(wf.status).toBe("ok");
    if (wf.status !== "ok") return;
    const full = ok(backtestPair(y, x, { ...KBASE, entry: wf.best.entry, exit: wf.best.exit }));
    expect(Array.from(wf.outOfSample.zscore)).toEqual(Array.from(full.zscore).slice(wf.splitIndex));
  });

  it("backtestPair(kalman) has no look-ahead: changing any bar after i never changes a β, z, decision, position or equity at or before i", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 45, max: 290 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom<"first" | "none">("first", "none"), (seed, i, seed2, scale) => {
        const { y, x } = pair(seed, 300);
        const options = { ...KBASE, kalman: { ...KBASE.kalman, scale }, stop: 2.8 };
        const a = ok(backtestPair(y, x, options));
        const other = pair(seed2, 300);
        const y2 = { ...y, open: Float64Array.from(y.open), close: Float64Array.from(y.close) };
        const x2 = { ...x, open: Float64Array.from(x.open), close: Float64Array.from(x.close) };
        for (let j = i + 1; j < 300; j++) {
          (y2.open as Float64Array)[j] = other.y.open[j];
          (y2.close as Float64Array)[j] = other.y.close[j];
          (x2.open as Float64Array)[j] = other.x.open[j];
          (x2.close as Float64Array)[j] = other.x.close[j];
        }
        const b = ok(backtestPair(y2, x2, options));
        expect(Array.from(b.beta.subarray(0, i + 1))).toEqual(Array.from(a.beta.subarray(0, i + 1)));
        expect(Array.from(b.zscore.subarray(0, i + 1))).toEqual(Array.from(a.zscore.subarray(0, i + 1)));
        // Fills at bars <= i use opens <= i (unchanged): positions and equity through bar i are identical.
        expect(Array.from(b.positionY.subarray(0, i + 1))).toEqual(Array.from(a.positionY.subarray(0, i + 1)));
        expect(Array.from(b.equity.subarray(0, i + 1))).toEqual(Array.from(a.equity.subarray(0, i + 1)));
        const before = (r: typeof a) => r.trades.filter((t) => t.entrySignalTime <= y.time[i]).map((t) => `${t.side}@${t.entrySignalTime}:${t.beta}`);
        expect(before(b)).toEqual(before(a));
      }),
      { seed: 1208, numRuns: 20 },
    );
  });

  it("kalmanSignal(y, x, settings) is causal on a prefix: the first m values equal those of the full run (tolerance 0)", () => {
    const { y, x } = pair(3, 400);
    const k = resolveKalmanSettings("t", KBASE.kalman);
    const full = kalmanSignal(y.close, x.close, k);
    const part = kalmanSignal(Array.from(y.close).slice(0, 250), Array.from(x.close).slice(0, 250), k);
    expect(Array.from(part.z)).toEqual(Array.from(full.z).slice(0, 250));
    expect(Array.from(part.spread)).toEqual(Array.from(full.spread).slice(0, 250));
  });
});
