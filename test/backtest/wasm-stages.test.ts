// The WebAssembly stages (src/backtest/wasm-stages.ts) against the JS kernels they replace. Tolerance 0 everywhere:
// every output must be bit-identical (Object.is per slot: equal bits for numbers, NaN where the JS kernel gives NaN).
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { rollingZScore } from "../../src/analytics";
import { RECOMPUTE } from "../../src/analytics/rolling-kernel";
import { backtestPair, sweepBacktest, walkForward, type BacktestOptions, type BacktestRun } from "../../src/backtest";
import { BACKTEST_KERNELS_RECOMPUTE } from "../../src/backtest/backtest-kernels-wasm";
import { hedgeSpreadKernel } from "../../src/backtest/hedge-spread";
import { WASM_STAGES_CACHE_BYTES, setWasmStages, wasmBarsValid, wasmHedgeSignal, wasmHedgeSpread, wasmStagesAvailable, wasmStagesMemoryBytes, wasmZScore } from "../../src/backtest/wasm-stages";
import { prepareBars } from "../../src/backtest/prepare";
import { NonFiniteInputError } from "../../src/errors";
import { normalFrom, seededRandom } from "../../bench/harness";
import { f64, loadFixture, ok } from "./helpers";

afterEach(() => {
  setWasmStages(true);
});

/** The first slot where a and b differ (Object.is), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectIdentical(got: Float64Array, want: Float64Array, what: string): void {
  const i = firstDifference(got, want);
  if (i >= 0) expect.fail(`${what}: slot ${i}: got ${got[i]}, want ${want[i]} (lengths ${got.length}, ${want.length})`);
}

function jsHedge(y: Float64Array, x: Float64Array, w: number): { beta: Float64Array; spread: Float64Array } {
  const beta = new Float64Array(y.length), spread = new Float64Array(y.length);
  hedgeSpreadKernel(y, x, w, beta, spread);
  return { beta, spread };
}

/** A seeded cointegrated pair: x a random walk near `level`, y = 14·x plus AR(1) noise, both rounded to ticks; with trends. */
function walkPair(seed: number, n: number, level: number): { y: Float64Array; x: Float64Array } {
  const g = normalFrom(seededRandom(seed));
  const x = new Float64Array(n), y = new Float64Array(n);
  let lx = Math.log(level), e = 0;
  for (let i = 0; i < n; i++) {
    lx += 3e-4 * g() + 2e-6;
    x[i] = Math.round(Math.exp(lx) * 100) / 100;
    e = 0.99 * e + 0.002 * level * g();
    y[i] = Math.round((14 * x[i] + e) * 10) / 10;
  }
  return { y, x };
}

describe("backtest WebAssembly stages", () => {
  it("src/backtest/backtest-kernels{.wat,-wasm.ts} are exactly what scripts/backtest-kernels-wasm.mjs generates (wabt from devDependencies)", () => {
    const run = spawnSync(process.execPath, ["scripts/backtest-kernels-wasm.mjs", "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("the generated kernels re-anchor every RECOMPUTE windows, the JS kernels' constant", () => {
    expect(BACKTEST_KERNELS_RECOMPUTE).toBe(RECOMPUTE);
  });

  it("wasmStagesAvailable() is true on this Node (WebAssembly SIMD), so the tests below exercise the kernels", () => {
    expect(wasmStagesAvailable()).toBe(true);
  });

  it("wasmHedgeSpread(y, x, w) is bit-identical to hedgeSpreadKernel on seeded random walks at price level 1e5 (and 2e3), windows 3 … 5,000", () => {
    for (const [seed, level] of [[1, 1e5], [2, 1e5], [3, 2e3]] as const) {
      const { y, x } = walkPair(seed, 30_001, level);
      for (const w of [3, 4, 17, 300, 600, 5_000]) {
        const want = jsHedge(y, x, w);
        const got = wasmHedgeSpread(y, x, w)!;
        expectIdentical(got.beta, want.beta, `seed ${seed} w ${w} beta`);
        expectIdentical(got.spread, want.spread, `seed ${seed} w ${w} spread`);
      }
    }
  });

  it("wasmHedgeSpread with constant-x runs (degenerate windows) and fewer bars than the window matches the JS kernel (NaN there)", () => {
    const x = Float64Array.from([1, 2, 3, 3, 3, 3, 3, 4, 5, 5, 6, 7]);
    const y = Float64Array.from([2, 4, 7, 6, 6, 5, 6, 9, 10, 11, 12, 15]);
    for (const w of [3, 4, 5, 12, 13]) {
      const want = jsHedge(y, x, w), got = wasmHedgeSpread(y, x, w)!;
      expectIdentical(got.beta, want.beta, `w ${w} beta`);
      expectIdentical(got.spread, want.spread, `w ${w} spread`);
    }
    expect(Number.isNaN(wasmHedgeSpread(y, x, 3)!.beta[5])).toBe(true);
    expect(wasmHedgeSpread(new Float64Array(0), new Float64Array(0), 3)!.beta).toHaveLength(0);
  });

  it("wasmZScore(s, w) is bit-identical to rollingZScore on the spreads of seeded walks at 1e5, and on raw prices at 1e5 (odd and even lengths)", () => {
    for (const seed of [4, 5]) {
      const { y, x } = walkPair(seed, 20_000 + seed, 1e5);
      const s = jsHedge(y, x, 600).spread;
      for (const w of [2, 3, 120, 300, 1_000]) {
        expectIdentical(wasmZScore(s, w)!, rollingZScore(s, w), `seed ${seed} spread w ${w}`);
        expectIdentical(wasmZScore(y, w)!, rollingZScore(y, w), `seed ${seed} price w ${w}`);
      }
    }
  });

  it("wasmZScore with missing points (NaN runs, an all-NaN window that re-anchors at the next valid point), constant runs and short input matches rollingZScore", () => {
    const g = normalFrom(seededRandom(6));
    const s = new Float64Array(5_000);
    for (let i = 0; i < s.length; i++) s[i] = 1e5 + 10 * g();
    s.fill(NaN, 0, 40); // warm-up
    s[700] = NaN; // single gap
    s.fill(NaN, 1_000, 1_200); // longer than every window below: windows of only NaN
    s.fill(123.5, 2_000, 2_100); // constant run
    for (const w of [2, 5, 50, 150]) expectIdentical(wasmZScore(s, w)!, rollingZScore(s, w), `w ${w}`);
    const short = Float64Array.from([1, NaN, 3]);
    expectIdentical(wasmZScore(short, 5)!, rollingZScore(short, 5), "short");
    expectIdentical(wasmZScore(new Float64Array(0), 2)!, rollingZScore(new Float64Array(0), 2), "empty");
  });

  it("wasmZScore(s with ±Infinity) throws rollingZScore's NonFiniteInputError (same index, also before a full window)", () => {
    const s = Float64Array.from([1, 2, 3, 4, Infinity, 5, 6]);
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(NonFiniteInputError);
        return (error as Error).message;
      }
      return "no throw";
    };
    expect(message(() => wasmZScore(s, 3))).toBe(message(() => rollingZScore(s, 3)));
    expect(message(() => wasmZScore(s, 10))).toBe(message(() => rollingZScore(s, 10)));
    expect(message(() => wasmZScore(Float64Array.from([NaN, -Infinity, 1]), 2))).toBe(message(() => rollingZScore(Float64Array.from([NaN, -Infinity, 1]), 2)));
    expect(message(() => wasmZScore(s, 3))).not.toBe("no throw");
  });

  it("wasmHedgeSignal(y, x, hw, zw) equals hedgeSpreadKernel then rollingZScore bit for bit, and reuses one memory across sizes (small after large)", () => {
    for (const n of [50_000, 1_000, 86_400]) {
      const { y, x } = walkPair(7, n, 1e5);
      const h = jsHedge(y, x, 600);
      const got = wasmHedgeSignal(y, x, 600, 300)!;
      expectIdentical(got.beta, h.beta, `n ${n} beta`);
      expectIdentical(got.z, rollingZScore(h.spread, 300), `n ${n} z`);
    }
  });

  it("the module memory is reused: repeated and smaller calls never grow it; a call beyond the cache limit gets its own instance (the cached memory unchanged)", () => {
    const { y, x } = walkPair(10, 40_000, 1e5);
    wasmHedgeSignal(y, x, 600, 300);
    const bytes = wasmStagesMemoryBytes();
    expect(bytes).toBeGreaterThanOrEqual(5 * 8 * 40_000);
    for (let k = 0; k < 3; k++) {
      wasmHedgeSignal(y, x, 600, 300);
      wasmZScore(y.subarray(0, 1_000), 50);
      wasmHedgeSpread(y, x, 30);
    }
    expect(wasmStagesMemoryBytes()).toBe(bytes);
    const big = Math.ceil(WASM_STAGES_CACHE_BYTES / 8 / 2) + 1; // 2 series in wasmZScore: just over the limit
    const s = new Float64Array(big).fill(1e5);
    for (let i = 0; i < big; i += 3) s[i] += 1;
    expectIdentical(wasmZScore(s, 100)!, rollingZScore(s, 100), "beyond the cache limit");
    expect(wasmStagesMemoryBytes()).toBe(bytes);
  });

  it("setWasmStages(false) makes the stages return null (the JS kernels run) and returns the previous setting", () => {
    const { y, x } = walkPair(8, 1_000, 1e5);
    expect(setWasmStages(false)).toBe(true);
    expect(wasmHedgeSpread(y, x, 10)).toBeNull();
    expect(wasmZScore(y, 10)).toBeNull();
    expect(wasmHedgeSignal(y, x, 10, 10)).toBeNull();
    expect(wasmStagesAvailable()).toBe(false);
    expect(setWasmStages(true)).toBe(false);
  });

  it("backtestPair on the fixture cases gives bit-identical runs with and without the WebAssembly stages", () => {
    const fixture = loadFixture<{ cases: { name: string; bars: Record<string, number[]>; options: Record<string, number>; funding: { time: number[]; y: number[]; x: number[] } | null }[] }>("backtest");
    for (const c of fixture.cases) {
      const y = { time: f64(c.bars.time), open: f64(c.bars.openY), close: f64(c.bars.closeY) };
      const x = { time: f64(c.bars.time), open: f64(c.bars.openX), close: f64(c.bars.closeX) };
      const options = { ...(c.options as unknown as BacktestOptions), funding: c.funding ?? undefined };
      setWasmStages(false);
      const js = ok(backtestPair(y, x, options));
      setWasmStages(true);
      const wasm = ok(backtestPair(y, x, options));
      expectRunsIdentical(wasm, js, c.name);
    }
  });

  it("backtestPair, sweepBacktest and walkForward on 20,000 seeded bars at 1e5 are bit-identical with and without the WebAssembly stages", () => {
    const { y: cy, x: cx } = walkPair(9, 20_000, 1e5);
    const time = new Float64Array(cy.length).map((_, i) => 1_764_000_000_000 + 60_000 * i);
    const y = { time, open: cy, close: cy }, x = { time, open: cx, close: cx };
    const base: BacktestOptions = { hedgeWindow: 300, zWindow: 120, entry: 2, exit: 0.5, stop: 4, notional: 10_000, slippageBps: 1 };
    const grid = { entry: [1.5, 2], zWindow: [60, 120], hedgeWindow: [200, 300] };
    setWasmStages(false);
    const js = { run: ok(backtestPair(y, x, base)), sweep: sweepBacktest(y, x, base, grid), wf: walkForward(y, x, base, grid) };
    setWasmStages(true);
    const wasm = { run: ok(backtestPair(y, x, base)), sweep: sweepBacktest(y, x, base, grid), wf: walkForward(y, x, base, grid) };
    expect(js.run.trades.length).toBeGreaterThan(10);
    expectRunsIdentical(wasm.run, js.run, "backtestPair");
    expect(JSON.stringify(wasm.sweep)).toBe(JSON.stringify(js.sweep));
    expect(JSON.stringify(wasm.wf)).toBe(JSON.stringify(js.wf));
  });
});

describe("wasmBarsValid (the all-clear of prepareBars' per-bar checks)", () => {
  const bars = (n: number): Float64Array[] => {
    const time = Float64Array.from({ length: n }, (_, i) => 1_764_000_000_000 + 1000 * i);
    const price = (level: number): Float64Array => Float64Array.from({ length: n }, (_, i) => level + (i % 7));
    return [time, price(37_000), price(37_001), price(2_000), price(2_001)];
  };

  it("wasmBarsValid(valid bars of 0, 1, 2, 3 and 1,001 bars, with x's times the same array or an equal copy) is true", () => {
    for (const n of [0, 1, 2, 3, 1_001]) {
      const [time, oy, cy, ox, cx] = bars(n);
      expect(wasmBarsValid(time, time, oy, cy, ox, cx)).toBe(true);
      expect(wasmBarsValid(time, time.slice(), oy, cy, ox, cx)).toBe(true);
    }
  });

  it("wasmBarsValid is false for one bad value at the first, an even, an odd or the last bar, in every column (NaN, ±Infinity, 0, < 0, equal or earlier time, x's time differing)", () => {
    const n = 9;
    const bad: [number, number][] = [];
    for (const col of [0, 1, 2, 3, 4, 5]) for (const v of [NaN, Infinity, -Infinity, 0, -1]) bad.push([col, v]);
    for (const at of [0, 4, 5, 8]) {
      for (const [col, v] of bad) {
        const [time, oy, cy, ox, cx] = bars(n);
        const timeX = time.slice();
        [time, oy, cy, ox, cx, timeX][col][at] = v;
        expect(wasmBarsValid(time, timeX, oy, cy, ox, cx), `column ${col} bar ${at} = ${v}`).toBe(false);
        // and prepareBars, which falls back to its JS checks, throws for each (the precise error)
        expect(() => prepareBars("backtest", { time, open: oy, close: cy }, { time: timeX, open: ox, close: cx }), `column ${col} bar ${at} = ${v}`).toThrow();
      }
      for (const shift of [0, -1]) {
        if (at === 0) continue;
        const [time, oy, cy, ox, cx] = bars(n);
        time[at] = time[at - 1] + shift; // equal, then earlier
        expect(wasmBarsValid(time, time, oy, cy, ox, cx), `time bar ${at} shift ${shift}`).toBe(false);
      }
    }
  });

  it("prepareBars(seeded random bars with one corrupted value) throws exactly when the JS checks alone throw, with the same message (1,000 cases)", () => {
    const u = seededRandom(11);
    const values = [NaN, Infinity, -Infinity, 0, -5, 1e308, 1e-300];
    for (let k = 0; k < 1_000; k++) {
      const n = 1 + Math.floor(u() * 40);
      const [time, oy, cy, ox, cx] = bars(n);
      const timeX = u() < 0.5 ? time : time.slice();
      const cols = [time, oy, cy, ox, cx, timeX];
      const col = Math.floor(u() * 6), at = Math.floor(u() * n);
      cols[col][at] = u() < 0.2 && at > 0 ? cols[col][at - 1] : values[Math.floor(u() * values.length)];
      const message = (): string => {
        try {
          prepareBars("backtest", { time, open: oy, close: cy }, { time: timeX, open: ox, close: cx });
          return "ok";
        } catch (error) {
          return (error as Error).message;
        }
      };
      const withWasm = message();
      setWasmStages(false);
      const jsOnly = message();
      setWasmStages(true);
      expect(withWasm, `case ${k}`).toBe(jsOnly);
    }
  });
});

function expectRunsIdentical(got: BacktestRun, want: BacktestRun, name: string): void {
  for (const key of ["beta", "zscore", "equity", "positionY", "positionX"] as const) expectIdentical(got[key], want[key], `${name} ${key}`);
  expect(JSON.stringify(got.trades)).toBe(JSON.stringify(want.trades));
  expect(JSON.stringify(got.metrics)).toBe(JSON.stringify(want.metrics));
}
