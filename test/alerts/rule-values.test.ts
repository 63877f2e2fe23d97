import { describe, expect, it } from "vitest";
import { AlertEngine } from "../../src/alerts";
import { rollingCorrelation, rollingOls } from "../../src/analytics";
import { closedBars, pairSeries } from "./helpers";

// The allocation-free correlation and hedge-drift rules report the values of the dashboard's rolling functions
// (rollingCorrelation on returns, rollingOls β) on every bar. Tolerance 1e-10 absolute (correlation) and 1e-9
// relative (drift %): different summation order only.
describe("rule values equal the rolling functions", () => {
  const { y, x } = pairSeries(900, 21);
  const bars = closedBars(y, x);

  it("correlation rule value at each bar = rollingCorrelation(y, x, window, { on: 'returns' }) at that bar", () => {
    const engine = new AlertEngine({ rules: [{ kind: "correlation", id: "c", a: "y", b: "x", window: 60, below: -1 }], interval: 1000, liveFrom: 0 });
    const ref = rollingCorrelation(y, x, 60, { on: "returns" });
    let checked = 0;
    bars.forEach((b, i) => {
      engine.process(b);
      const v = engine.status().rules[0].value;
      if (i < 60) return expect(Number.isNaN(v)).toBe(true);
      expect(Math.abs(v - ref[i])).toBeLessThan(1e-10);
      checked++;
    });
    expect(checked).toBe(900 - 60);
  });

  it("hedge-drift rule value at each bar = |β_now − β_then| / |β_then| · 100 from rollingOls", () => {
    const engine = new AlertEngine({ rules: [{ kind: "hedge-drift", id: "h", y: "y", x: "x", window: 80, lookback: 30, percent: 999_999 }], interval: 1000, liveFrom: 0 });
    const beta = rollingOls(y, x, 80).beta;
    let checked = 0;
    bars.forEach((b, i) => {
      engine.process(b);
      if (i < 80 + 30 - 1) return;
      const want = (Math.abs(beta[i] - beta[i - 30]) / Math.abs(beta[i - 30])) * 100;
      expect(Math.abs(engine.status().rules[0].value - want)).toBeLessThan(1e-9 * Math.max(1, want));
      checked++;
    });
    expect(checked).toBe(900 - 109);
  });

  it("correlation rule on a price <= 0 marks the rule as error (rollingCorrelation throws the same)", () => {
    const engine = new AlertEngine({ rules: [{ kind: "correlation", id: "c", a: "y", b: "x", window: 5, below: 0 }], interval: 1000, liveFrom: 0 });
    const yy = Float64Array.from(y.subarray(0, 10));
    yy[8] = -1;
    closedBars(yy, x.subarray(0, 10)).forEach((b) => engine.process(b));
    expect(engine.status().rules[0].status).toBe("error");
    expect(engine.status().rules[0].lastError).toMatch(/'a' must be > 0/);
  });
});
