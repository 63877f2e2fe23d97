import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AlertEngine, type AlertBar, type AlertRuleSpec } from "../../src/alerts";
import { zScoreAlertsBatch } from "../../src/analytics";
import { backtestPair } from "../../src/backtest";
import { kalmanSignal, resolveKalmanSettings } from "../../src/backtest/kalman-signal";
import { closedBars, pairSeries } from "./helpers";

// The background z-score rule with hedge "kalman" against the pair's Kalman alerts (kalmanSignal's z fed to
// zScoreAlertsBatch with reentry "next-bar", as pairAnalytics does) and against backtestPair(hedge "kalman")'s entry
// decisions, on the same seeded bars. Bars, sides and times are compared exactly; z values to 1e-12 (the filter
// runs the same operations in the same order: they are in fact bit-identical).
const KALMAN = { delta: 1e-6, ve: 2e-4, scale: "first" as const, warmup: 60 };
const N = 3000;
const { y, x } = pairSeries(N, 21);
const bars = closedBars(y, x);
const time = Float64Array.from(bars, (b) => b.time);
const spec: AlertRuleSpec = { kind: "zscore", id: "kz", y: "y", x: "x", hedge: "kalman", kalman: KALMAN, entry: 1.5, exit: 0.3, reentry: "next-bar" };
const runAll = (engine: AlertEngine, list: AlertBar[]) => list.flatMap((b) => engine.process(b));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("zscore rule with hedge \"kalman\" (background alerts)", () => {
  const z = kalmanSignal(y, x, resolveKalmanSettings("test", KALMAN)).z;
  const pairAlerts = zScoreAlertsBatch(time, z, { threshold: 1.5, exit: 0.3, cooldownMs: 0, reentry: "next-bar" });

  it("AlertEngine(zscore kalman rule) on closed bars fires exactly the pair's Kalman alerts (seed 21, 3,000 bars)", () => {
    expect(pairAlerts.filter((e) => e.kind === "enter").length).toBeGreaterThan(10);
    const fired = runAll(new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0 }), bars);
    expect(fired.map((a) => [a.barTime, a.key])).toEqual(pairAlerts.map((e) => [e.time, `${e.kind} ${e.side}`]));
    for (let k = 0; k < fired.length; k++) expect(Math.abs(fired[k].value - pairAlerts[k].z)).toBeLessThanOrEqual(1e-12 * Math.abs(pairAlerts[k].z));
  });

  it("AlertEngine(zscore kalman rule) entries equal backtestPair(hedge \"kalman\")'s entry decisions on the same bars", () => {
    const fired = runAll(new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0 }), bars);
    const entries = fired.filter((a) => a.key.startsWith("enter")).map((a) => [a.barTime, a.key === "enter long-spread" ? "long" : "short"]);
    const run = backtestPair({ time, open: y, close: y, interval: 1000 }, { time, open: x, close: x, interval: 1000 }, {
      hedge: "kalman", kalman: KALMAN, hedgeWindow: 3, zWindow: 2, entry: 1.5, exit: 0.3, notional: 1000, feeBps: 0,
    });
    if (run.status !== "ok") throw new Error(run.message);
    const trades = run.trades.map((t) => [t.entrySignalTime, t.side]);
    // The backtest does not fill a decision at the last bar; no alert fell there in this sample.
    expect(entries.length).toBeGreaterThan(10);
    expect(entries).toEqual(trades);
  });

  it("AlertEngine(zscore kalman rule) restarted mid-stream continues the same filter (persisted θ, P, scale): same alerts, none twice", async () => {
    const expected = runAll(new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0 }), bars).map((a) => a.id);
    const dir = mkdtempSync(join(tmpdir(), "pairlab-kalman-rule-"));
    dirs.push(dir);
    const first = new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0, dir });
    const fired = runAll(first, bars.slice(0, 1700)).map((a) => a.id);
    await first.stop();
    const second = new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0, dir });
    fired.push(...runAll(second, bars).map((a) => a.id));
    await second.stop();
    expect(fired).toEqual(expected);
  });

  it("zscore kalman rule: a forming bar reads the filter's forecast without advancing it (closed-bar alerts unchanged)", () => {
    const withForming: AlertBar[] = bars.flatMap((b) => [{ ...b, closed: false, close: { y: b.close.y * 1.001, x: b.close.x } }, b]);
    const closedOnly = runAll(new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0 }), bars);
    const mixed = runAll(new AlertEngine({ rules: [spec], interval: 1000, liveFrom: 0 }), withForming);
    // frequency "once-per-bar-close" (default): forming updates are not evaluated, the filter sees closed bars only.
    expect(mixed.map((a) => a.id)).toEqual(closedOnly.map((a) => a.id));
    const every = runAll(new AlertEngine({ rules: [{ ...spec, frequency: "once-per-bar" } as AlertRuleSpec], interval: 1000, liveFrom: 0 }), withForming);
    // Evaluated on forming bars too: alerts may fire earlier, but the filter's closed-bar z stay the pair's.
    const closedFired = every.filter((a) => a.barClosed);
    expect(closedFired.length).toBeGreaterThan(0);
    expect(every.length).toBeGreaterThan(closedFired.length);
    for (const a of closedFired) {
      const i = (a.barTime - 1000) / 1000;
      expect(Math.abs(a.value - z[i])).toBeLessThanOrEqual(1e-12 * Math.abs(z[i]));
    }
  });

  it("zscore rule options: kalman settings are checked like the pair's, and refused with hedge \"ols\"", () => {
    const make = (extra: object) => () => new AlertEngine({ rules: [{ ...spec, ...extra } as AlertRuleSpec], interval: 1000, liveFrom: 0 });
    expect(make({ kalman: { delta: 2 } })).toThrow(/'kalman\.delta' must be a number in \(0, 1\), got 2/);
    expect(make({ kalman: { ve: 0 } })).toThrow(/'kalman\.ve'/);
    expect(make({ kalman: { warmup: 0 } })).toThrow(/'kalman\.warmup'/);
    expect(make({ kalman: { sigma: 1 } })).toThrow(/keys among delta, ve, scale, warmup, got "unknown key \\"sigma\\""/);
    expect(make({ hedge: "lasso" })).toThrow(/'hedge' must be "ols" or "kalman", got "lasso"/);
    expect(make({ hedge: "ols", hedgeWindow: 30, zWindow: 20 })).toThrow(/'kalman' must be undefined unless hedge is "kalman"/);
    expect(make({ hedge: "ols", kalman: undefined })).toThrow(/'hedgeWindow' must be an integer/);
    expect(make({ hedgeWindow: 1 })).toThrow(/'hedgeWindow'/);
  });
});
