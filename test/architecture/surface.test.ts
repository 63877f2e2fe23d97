import { describe, expect, it } from "vitest";
import * as pairlab from "../../src/index";
import * as internal from "../../src/internal";

describe("public surface (src/index.ts)", () => {
  const names = Object.keys(pairlab);

  it("src/index exports a small user API (≤ 75 runtime names: about 50 for the pair workflow plus the backtest, universe, history and alerts entry points), each defined", () => {
    expect(names.length).toBeLessThanOrEqual(75);
    for (const name of names) expect((pairlab as Record<string, unknown>)[name], name).toBeDefined();
  });

  it("src/index exports the notebook object and the low-level building blocks", () => {
    for (const name of ["openPair", "Pair", "pairAnalytics", "resample", "rollingOls", "rollingZScore", "adfTest", "engleGranger", "exportCsv", "show", "startIngestion"]) {
      expect(names, name).toContain(name);
    }
  });

  it("src/index hides transport internals, decoders, clocks and HTML helpers (they stay in src/internal)", () => {
    for (const name of ["StreamConnection", "Backoff", "decodeFrame", "createDecodedTrade", "systemClock", "createManualClock", "SilenceWatchdog", "TradeSequence", "escapeHtml", "jsonForScript", "TickStore"]) {
      expect(names, name).not.toContain(name);
      expect(Object.keys(internal), name).toContain(name);
    }
  });

  it("src/internal re-exports everything src/index does, unchanged", () => {
    for (const name of names) expect((internal as Record<string, unknown>)[name], name).toBe((pairlab as Record<string, unknown>)[name]);
  });
});
