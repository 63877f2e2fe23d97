import { describe, expect, it } from "vitest";
import { heatmapFigure, hedgeComparisonFigure, screenTableBundle } from "../../src/charts";
import { screenPairs } from "../../src/universe";
import { fixture } from "./fixture";

const result = screenPairs(fixture.screenInput);

describe("universe charts", () => {
  it("heatmapFigure(symbols, correlation) is an N×N heatmap on [−1, 1] with the SIMULATED label", () => {
    const fig = heatmapFigure(result.symbols, result.correlation, { simulated: true });
    const t = fig.data[0] as unknown as { type: string; z: (number | null)[][]; zmin: number; zmax: number };
    expect(t.type).toBe("heatmap");
    expect(t.z.length).toBe(6);
    expect(t.z[0][0]).toBe(1);
    expect([t.zmin, t.zmax]).toEqual([-1, 1]);
    expect(JSON.stringify(fig.layout)).toContain("SIMULATED");
  });
  it("heatmapFigure(symbols, pValues, { kind: 'pValue' }) blanks the NaN diagonal", () => {
    const t = heatmapFigure(result.symbols, result.pValues, { kind: "pValue" }).data[0] as unknown as { z: (number | null)[][]; zmax: number };
    expect(t.z[2][2]).toBeNull();
    expect(t.zmax).toBe(0.1);
  });
  it("heatmapFigure(symbols, wrong size) throws RangeError", () => expect(() => heatmapFigure(["a", "b"], [1, 2, 3])).toThrow(RangeError));
  it("screenTableBundle(rows, { top: 5, truth }) shows 5 rows, marks the true pairs and the label", () => {
    const b = screenTableBundle(result.rows, { top: 5, simulated: true, truth: ["btcusdt/ethusdt"] });
    expect((String(b["text/html"]).match(/<tr style/g) ?? []).length).toBe(5);
    expect(String(b["text/html"])).toContain("✱");
    expect(b["text/plain"]).toContain("SIMULATED");
  });
  it("hedgeComparisonFigure(time, 2 series) draws two traces", () => {
    const t = Float64Array.from({ length: 10 }, (_, i) => i * 60_000);
    expect(hedgeComparisonFigure(t, { ols: new Float64Array(10).fill(1), kalman: new Float64Array(10).fill(2) }).data.length).toBe(2);
  });
  it("hedgeComparisonFigure(time, mismatched) throws RangeError", () => expect(() => hedgeComparisonFigure([1, 2], { a: [1] })).toThrow(RangeError));
});
