import { describe, expect, it } from "vitest";
import * as pairlab from "../../src/index";

describe("analytics public API (names are a contract, issue 4)", () => {
  it("src/index exports every analytics function", () => {
    for (const name of [
      "resample",
      "createResampler",
      "alignBars",
      "ols",
      "rollingOls",
      "rollingCorrelation",
      "rollingZScore",
      "spread",
      "halfLife",
      "zScoreAlerts",
      "zScoreAlertsBatch",
      "intervalMs",
    ]) {
      expect(typeof (pairlab as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("intervalMs('1s' | '1m' | '5m' | ms) converts to milliseconds and rejects the rest", () => {
    expect(pairlab.intervalMs("x", "1s")).toBe(1_000);
    expect(pairlab.intervalMs("x", "1m")).toBe(60_000);
    expect(pairlab.intervalMs("x", "5m")).toBe(300_000);
    expect(pairlab.intervalMs("x", 250)).toBe(250);
    expect(() => pairlab.intervalMs("x", "1h" as never)).toThrow(RangeError);
    expect(() => pairlab.intervalMs("x", -1)).toThrow(RangeError);
  });
});
