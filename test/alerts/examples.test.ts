import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryDelay } from "../../src/alerts/retry-delay";
import { LevelTrigger } from "../../src/alerts/level-trigger";
import { createRule } from "../../src/alerts/create-rule";
import { alertText } from "../../src/alerts";
import { fakeAlert } from "./helpers";

describe("JSDoc examples of the alerts area", () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 60000, maxRetryAfterMs: 600000 };
  it("retryDelay(3, policy, () => 0.5) is 1500 (d = 2000, equal jitter)", () => {
    expect(retryDelay(3, policy, () => 0.5)).toBe(1500);
  });
  it("retryDelay(1, policy, () => 0, 30000) honours a longer Retry-After; capped at maxRetryAfterMs; delays capped at maxDelayMs", () => {
    expect(retryDelay(1, policy, () => 0, 30000)).toBe(30000);
    expect(retryDelay(1, policy, () => 0, 9e9)).toBe(600000);
    expect(retryDelay(30, policy, () => 1)).toBe(60000);
    expect(() => retryDelay(0, policy, () => 0)).toThrow(/'attempt' must be an integer >= 1, got 0/);
  });
  it("parseRetryAfter(seconds | HTTP date | junk)", () => {
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeNaN();
    expect(parseRetryAfter(undefined, 0)).toBeNaN();
  });
  it("LevelTrigger fires once, re-arms only when told", () => {
    const t = new LevelTrigger();
    expect([t.update(true, false), t.update(true, false), t.update(false, true), t.update(true, false)]).toEqual([true, false, false, true]);
  });
  it("createRule(price-move, window 60).barsNeeded is 61", () => {
    expect(createRule({ kind: "price-move", id: "btc-1pct", symbol: "btcusdt", window: 60, percent: 1 }).barsNeeded).toBe(61);
  });
  it("alertText(alert) puts the SIMULATED label first and the id last", () => {
    expect(alertText({ ...fakeAlert(1), simulated: true })).toBe("[SIMULATED] pairlab alert rule 1: test alert 1 — bar 1970-01-01 00:00:01Z — id rule-1:1000:above");
    expect(alertText({ ...fakeAlert(1), simulated: false, barClosed: false })).toBe("pairlab alert rule 1: test alert 1 — bar 1970-01-01 00:00:01Z (intra-bar) — id rule-1:1000:above");
  });
});
