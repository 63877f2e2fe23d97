// The pair object with hedge "kalman": analytics from kalmanSignal, Kalman chart titles and the hedge comparison,
// live alerts equal to the backtest's decisions on the same bars, pair.backtest / sweep respecting the hedge choice.
import { describe, expect, it } from "vitest";
import { backtestPair, kalmanHedge, openPair, PLOTLY_MIME, rollingOls, sweepBacktest, type BacktestRun } from "../../src/internal";
import { expectAlertsOnBacktestDecisions, fakeIngestion, recorder } from "./fake-ingestion";
import { createRule } from "../../src/alerts/create-rule";

// Seeded fake ingestion (seed 7): y ≈ 2·x + 100 + AR(1) (sd ≈ 2.3 on y ≈ 2,100: ≈ 0.11 % relative, so Ve ≈ 1.2e-6
// with scale "first"); one trade per symbol per second.
const kalman = { delta: 1e-8, ve: 1.2e-6, scale: "first", warmup: 60 } as const;
const params = { hedge: "kalman", kalman, hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3 } as const;

async function pairOf(seconds: number, extra: object = {}) {
  const r = recorder();
  const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...params, ...extra, use: fakeIngestion(seconds), waitMs: 0, writer: r.writer });
  return { pair, r };
}

function lastOutput(r: ReturnType<typeof recorder>): Record<string, unknown> {
  return r.outputs[r.outputs.length - 1].data as Record<string, unknown>;
}

describe("pair analytics with hedge: \"kalman\"", () => {
  it("pair.analytics() with hedge 'kalman' has kalmanHedge's β, α, e and z = e/√Q, NaN before kalman.warmup (tolerance 0)", async () => {
    const { pair } = await pairOf(1200);
    const an = pair.analytics();
    const k = kalmanHedge(an.a.close, an.b.close, { delta: kalman.delta, ve: kalman.ve, scale: kalman.scale });
    const masked = (v: Float64Array) => Array.from(v, (value, i) => (i < kalman.warmup ? NaN : value));
    expect(Array.from(an.hedgeRatio)).toEqual(masked(k.beta));
    expect(Array.from(an.intercept)).toEqual(masked(k.alpha));
    expect(Array.from(an.spread)).toEqual(masked(k.e));
    expect(Array.from(an.zscore)).toEqual(masked(k.z));
    expect(Array.from(an.olsHedgeRatio)).toEqual(Array.from(rollingOls(an.a.close, an.b.close, 60).beta));
    expect(an.currentHedgeRatio).toBe(k.beta[an.bars - 1]);
    expect(an.barsNeeded).toBe(61);
    // Calibrated Ve: the Kalman z is roughly unit-variance after the warm-up (a sanity check of the test data, ±50 %).
    const z = Array.from(an.zscore).slice(kalman.warmup * 3);
    const sd = Math.sqrt(z.reduce((s, v) => s + v * v, 0) / z.length);
    expect(sd).toBeGreaterThan(0.5);
    expect(sd).toBeLessThan(1.5);
  });

  it("pair.show charts with hedge 'kalman' say Kalman in the titles; 'hedge' draws the Kalman β next to the rolling OLS β", async () => {
    const { pair, r } = await pairOf(600);
    const title = (view: "zscore" | "spread" | "hedge") => {
      r.outputs.length = 0;
      pair.show(view);
      return lastOutput(r)[PLOTLY_MIME] as { layout: { title: { text: string } }; data: { name: string }[] };
    };
    expect(title("zscore").layout.title.text).toMatch(/^Kalman z-score e\/√Q \(Kalman \(delta 1e-8, ve 0\.0000012, scale first, warmup 60\), entry ±2, exit ±0\.5, stop ±3\) — SIMULATED/);
    expect(title("spread").layout.title.text).toMatch(/^Kalman spread e = BTCUSDT − α − β·ETHUSDT \(forecast error; Kalman/);
    const hedge = title("hedge");
    expect(hedge.layout.title.text).toMatch(/^Hedge ratio β: Kalman \(delta .*\) vs rolling OLS \(hedgeWindow 60\)/);
    expect(hedge.data.map((d) => d.name)).toEqual(["Kalman β", "rolling OLS β (hedgeWindow 60)"]);
    r.outputs.length = 0;
    pair.show("metrics");
    expect(String(lastOutput(r)["text/html"])).toContain("Kalman hedge ratio β");
  });

  it("pair.show('zscore') with hedge 'kalman' and too few bars warns with warmup + 1 bars needed", async () => {
    const { pair, r } = await pairOf(40);
    pair.show("zscore");
    expect(String(lastOutput(r)["text/plain"])).toMatch(/needs 61 bars, has \d+/);
  });

  it("openPair({ hedge: 'kalmann' }) and { kalman: { ve: -1 } } throw RangeError naming the parameter and the accepted values", async () => {
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { hedge: "kalmann" as never, use: fakeIngestion(10), waitMs: 0 })).rejects.toThrow(/'hedge' must be one of "ols", "kalman"/);
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { kalman: { ve: -1 }, use: fakeIngestion(10), waitMs: 0 })).rejects.toThrow(/'kalman\.ve' must be a finite number > 0/);
  });

  it("pair.set({ kalman: { ve } }) changes only ve (the other settings stay); set({ hedge: 'ols' }) goes back to the rolling z", async () => {
    const { pair } = await pairOf(600);
    pair.set({ kalman: { ve: 2e-6 } });
    expect(pair.params.kalman).toEqual({ ...kalman, ve: 2e-6 });
    pair.set({ hedge: "ols" });
    const an = pair.analytics();
    expect(an.params.hedge).toBe("ols");
    expect(an.hedgeRatio).toBe(an.olsHedgeRatio);
    expect(() => pair.set({ kalman: { warmup: 0 } })).toThrow(/'kalman\.warmup' must be an integer >= 1/);
  });
});

describe("the Kalman pair's backtest and its link to live alerts", () => {
  it("pair.zscoreRule() of a kalman pair carries hedge 'kalman' and the pair's kalman settings (so pair.alerts() follows the same filter); an OLS pair's has neither", async () => {
    const { pair } = await pairOf(400);
    const rule = pair.zscoreRule();
    expect(rule.hedge).toBe("kalman");
    expect(rule.kalman).toEqual(pair.params.kalman);
    expect(() => createRule(rule)).not.toThrow();
    pair.set({ hedge: "ols" });
    const ols = pair.zscoreRule();
    expect(ols.hedge).toBeUndefined();
    expect(ols.kalman).toBeUndefined();
    expect(() => createRule(ols)).not.toThrow();
  });

  it("pair.backtest() with hedge 'kalman' equals backtestPair(hedge: 'kalman', the pair's kalman settings) (tolerance 0)", async () => {
    const { pair } = await pairOf(2400);
    const an = pair.analytics();
    const run = pair.backtest() as BacktestRun;
    const expected = backtestPair(an.a, an.b, { hedge: "kalman", kalman, hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3, notional: 10_000 });
    expect(run.status).toBe("ok");
    expect(run.trades.length).toBeGreaterThan(3);
    expect(run).toEqual(expected);
    expect(Array.from(run.zscore)).toEqual(Array.from(an.zscore));
    expect(Array.from(run.beta)).toEqual(Array.from(an.hedgeRatio));
    // Overrides: hedge "ols" on a Kalman pair drops the Kalman settings; kalman overrides merge key by key.
    expect(pair.backtest({ hedge: "ols" })).toEqual(backtestPair(an.a, an.b, { hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3, notional: 10_000 }));
    expect(pair.backtest({ kalman: { ve: 2e-6 } })).toEqual(backtestPair(an.a, an.b, { hedge: "kalman", kalman: { ...kalman, ve: 2e-6 }, hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3, notional: 10_000 }));
  });

  it("pair.analytics().alerts (hedge 'kalman') enter and exit on pair.backtest()'s decision bars (next-bar re-entry, same stop)", async () => {
    const { pair } = await pairOf(3600, { stop: 2.6 });
    const an = pair.analytics();
    const run = pair.backtest() as BacktestRun;
    expectAlertsOnBacktestDecisions(an, run);
  });

  it("pair.sweep({ entry, exit }) with hedge 'kalman' equals sweepBacktest; a hedgeWindow grid is refused naming grid.hedgeWindow", async () => {
    const { pair, r } = await pairOf(1800);
    const an = pair.analytics();
    const grid = { entry: [1.5, 2], exit: [0, 0.5] };
    const base = { hedge: "kalman" as const, kalman, hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3, notional: 10_000 };
    expect(pair.sweep(grid)).toEqual(sweepBacktest(an.a, an.b, base, grid));
    expect(() => pair.sweep({ hedgeWindow: [30, 60] })).toThrow(/'grid\.hedgeWindow' must be undefined with hedge "kalman"/);
    r.outputs.length = 0;
    pair.show("backtest");
    expect(String(lastOutput(r)["text/plain"])).toContain("Backtest of BTCUSDT/ETHUSDT (Kalman hedge (delta 1e-8, ve 0.0000012, scale first, warmup 60), entry ±2, exit ±0.5, stop ±3)");
  });

  it("pair.backtest() with hedge 'kalman' and fewer than warmup + 2 bars is insufficient-data (needed 62)", async () => {
    const { pair } = await pairOf(50);
    const run = pair.backtest();
    expect(run.status).toBe("insufficient-data");
    if (run.status === "insufficient-data") expect(run.needed).toBe(62);
  });
});
