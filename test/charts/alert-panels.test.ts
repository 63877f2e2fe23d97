import { describe, expect, it } from "vitest";
import { alertLogBundle, alertPanelBundle, zScoreCostFigure } from "../../src/charts";
import { fakeAlert } from "../alerts/helpers";

describe("alertPanelBundle / alertLogBundle", () => {
  const alerts = [fakeAlert(1), { ...fakeAlert(2), message: "<script>alert(1)</script>", barClosed: false }];
  it("alertPanelBundle(alerts, rules, deliveries) shows SIMULATED, newest first, escapes every value", () => {
    const b = alertPanelBundle({
      alerts,
      rules: [{ id: "r<1>", kind: "zscore", frequency: "once-per-bar-close", status: "active", value: 1.23456, fired: 2, suppressed: 0 }],
      deliveries: [{ id: alerts[0].id, target: "local", outcome: "delivered", attempts: 4, latencyMs: 12.3, error: "" }],
      delivery: { delivered: 1, failed: 0, pending: 1, retries: 3, latencyP99Ms: 12.3 },
      targets: ["local"],
      simulated: true,
      updatedAt: 0,
    });
    const html = b["text/html"] as string;
    expect(html).toContain("SIMULATED");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("r&lt;1&gt;");
    expect(html.indexOf("rule 2")).toBeLessThan(html.indexOf("rule 1")); // newest first
    expect(html).toContain("(intra-bar)");
    expect(b["text/plain"]).toMatch(/^pairlab alerts — SIMULATED — 1970-01-01 00:00:00Z — delivered 1, pending 1, failed 0/);
  });
  it("alertPanelBundle(no alerts) says so", () => {
    expect(alertPanelBundle({ alerts: [], simulated: false })["text/html"]).toContain("no alert yet");
  });
  it("alertLogBundle(alerts, { maxRows: 1 }) shows only the newest row and the total", () => {
    const b = alertLogBundle(alerts, { maxRows: 1 });
    expect(b["text/plain"]).toContain("alert log — 2 alerts (SIMULATED data)");
    expect(b["text/plain"]).toContain(alerts[1].id);
    expect(b["text/plain"]).not.toContain(alerts[0].id);
  });
});

describe("zScoreCostFigure", () => {
  const t = [0, 1000, 2000, 3000];
  it("zScoreCostFigure(t, z, cost) draws two traces on stacked axes, bands and the cost level, SIMULATED title", () => {
    const f = zScoreCostFigure(t, [0, 1, 2.5, NaN], [0.5, 0.6, NaN, 0.7], { threshold: 2, exit: 0.5, costLevelBps: 1, simulated: true });
    expect(f.data.map((d) => [d.name, d.yaxis])).toEqual([["z-score", "y"], ["round-trip cost (bps)", "y2"]]);
    expect(f.data[1].y).toEqual([0.5, 0.6, null, 0.7]);
    expect((f.layout.shapes as unknown[]).length).toBe(5);
    expect(JSON.stringify(f.layout.title)).toContain("SIMULATED");
  });
  it("zScoreCostFigure(bad input) throws naming the field", () => {
    expect(() => zScoreCostFigure(t, [0], [0, 0, 0, 0], { threshold: 2 })).toThrow(/'z'/);
    expect(() => zScoreCostFigure(t, t, t, { threshold: 0 })).toThrow(/'threshold' must be a number > 0/);
    expect(() => zScoreCostFigure(t, t, t, { threshold: 1, exit: 1 })).toThrow(/'exit'/);
  });
});
