import { describe, expect, it } from "vitest";
import * as pairlab from "../../src/index";
import * as internal from "../../src/internal";

describe("analytics public API (names are a contract, issue 4)", () => {
  it("src/index exports the analytics building blocks (internal adds zScoreAlertsBatch, intervalMs)", () => {
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
    ]) {
      expect(typeof (pairlab as Record<string, unknown>)[name], name).toBe("function");
    }
    for (const name of ["zScoreAlertsBatch", "intervalMs"]) expect(typeof (internal as Record<string, unknown>)[name], name).toBe("function");
  });

  it("intervalMs('1s' | '1m' | '5m' | ms) converts to milliseconds and rejects the rest", () => {
    expect(internal.intervalMs("x", "1s")).toBe(1_000);
    expect(internal.intervalMs("x", "1m")).toBe(60_000);
    expect(internal.intervalMs("x", "5m")).toBe(300_000);
    expect(internal.intervalMs("x", 250)).toBe(250);
    expect(() => internal.intervalMs("x", "1h" as never)).toThrow(RangeError);
    expect(() => internal.intervalMs("x", -1)).toThrow(RangeError);
  });
});
