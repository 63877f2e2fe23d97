// The shared decision rule, and the alert options that make the live alerts follow the backtest's rule.
import { describe, expect, it } from "vitest";
import { ENTER_LONG, ENTER_SHORT, EXIT, FLAT, LONG, NONE, SHORT, STOP, spreadDecision } from "../../src/analytics/spread-decision";
import { zScoreAlerts, zScoreAlertsBatch } from "../../src/analytics";

describe("spreadDecision", () => {
  it("spreadDecision(position, z, entry 2, exit 0.5, stop 3) follows the rules table, boundaries inclusive", () => {
    const d = (p: number, z: number, stop = 3) => spreadDecision(p, z, 2, 0.5, stop);
    expect([d(FLAT, -2), d(FLAT, 2), d(FLAT, 1.999), d(FLAT, -1.999), d(FLAT, NaN)]).toEqual([ENTER_LONG, ENTER_SHORT, NONE, NONE, NONE]);
    expect([d(LONG, -3), d(LONG, -2.9), d(LONG, -0.5), d(LONG, -0.51), d(LONG, 5), d(LONG, NaN)]).toEqual([STOP, NONE, EXIT, NONE, EXIT, NONE]);
    expect([d(SHORT, 3), d(SHORT, 2.9), d(SHORT, 0.5), d(SHORT, 0.51), d(SHORT, -5), d(SHORT, NaN)]).toEqual([STOP, NONE, EXIT, NONE, EXIT, NONE]);
    expect([d(LONG, -10, Infinity), d(SHORT, 10, Infinity)]).toEqual([NONE, NONE]); // no stop
  });

  it("zScoreAlerts({ stop }) exits with reason 'stop'; { reentry: 'next-bar' } never enters on the exit's point", () => {
    const a = zScoreAlerts({ threshold: 2, exit: 0.5, stop: 3 });
    a.feed(1, 2.5);
    expect(a.feed(2, 3.2)).toEqual([{ time: 2, kind: "exit", side: "short-spread", z: 3.2, reason: "stop" }]);
    // Default "same-bar": an exit through the band re-enters on the other side at once; "next-bar" does not.
    expect(zScoreAlertsBatch([1, 2, 3], [2.5, -2.5, -2.5], { threshold: 2 }).map((e) => `${e.kind}@${e.time}`)).toEqual(["enter@1", "exit@2", "enter@2"]);
    expect(zScoreAlertsBatch([1, 2, 3], [2.5, -2.5, -2.5], { threshold: 2, reentry: "next-bar" }).map((e) => `${e.kind}@${e.time}`)).toEqual(["enter@1", "exit@2", "enter@3"]);
    expect(() => zScoreAlerts({ threshold: 2, stop: 2 })).toThrow(/'stop' must be a finite number > threshold = 2/);
    expect(() => zScoreAlerts({ threshold: 2, reentry: "never" as never })).toThrow(/'reentry' must be "same-bar" or "next-bar"/);
  });
});
