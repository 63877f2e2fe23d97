import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zScoreAlerts, zScoreAlertsBatch, type ZScoreAlertEvent } from "../../src/internal";

describe("zScoreAlerts", () => {
  it("zScoreAlerts({ threshold: 2, exit: 0.5 }) enters short-spread at z >= 2 and exits at z <= 0.5 (hysteresis)", () => {
    const alerts = zScoreAlerts({ threshold: 2, exit: 0.5 });
    expect(alerts.feed(1000, 2.3)).toEqual([{ time: 1000, kind: "enter", side: "short-spread", z: 2.3 }]);
    expect(alerts.position).toBe("short-spread");
    expect(alerts.feed(2000, 1.0)).toEqual([]);
    expect(alerts.feed(2500, 2.5)).toEqual([]); // already in: no second entry
    expect(alerts.feed(3000, 0.4)).toEqual([{ time: 3000, kind: "exit", side: "short-spread", z: 0.4 }]);
    expect(alerts.position).toBe(null);
  });

  it("zScoreAlerts enters long-spread at z <= -threshold, exits at z >= -exit", () => {
    const alerts = zScoreAlerts({ threshold: 2, exit: 0.5 });
    expect(alerts.feed(1, -2)).toEqual([{ time: 1, kind: "enter", side: "long-spread", z: -2 }]);
    expect(alerts.feed(2, -0.6)).toEqual([]);
    expect(alerts.feed(3, -0.5)).toEqual([{ time: 3, kind: "exit", side: "long-spread", z: -0.5 }]);
  });

  it("zScoreAlerts flips through the band in one point: exit then enter the other side", () => {
    const events = zScoreAlertsBatch([1, 2, 3], [2.5, -0.1, -2.2], { threshold: 2 });
    expect(events).toEqual([
      { time: 1, kind: "enter", side: "short-spread", z: 2.5 },
      { time: 2, kind: "exit", side: "short-spread", z: -0.1 },
      { time: 3, kind: "enter", side: "long-spread", z: -2.2 },
    ]);
    const alerts = zScoreAlerts({ threshold: 2 });
    alerts.feed(1, 3);
    expect(alerts.feed(2, -3).map((e) => `${e.kind} ${e.side}`)).toEqual(["exit short-spread", "enter long-spread"]);
  });

  it("zScoreAlerts({ cooldownMs }) suppresses a same-side re-entry until the cooldown since the last entry elapsed", () => {
    const alerts = zScoreAlerts({ threshold: 2, exit: 0.5, cooldownMs: 10_000 });
    expect(alerts.feed(0, 2.1)).toHaveLength(1);
    expect(alerts.feed(1000, 0)).toHaveLength(1); // exit
    expect(alerts.feed(2000, 2.2)).toEqual([]); // short side cooling down
    expect(alerts.feed(3000, -2.2)).toEqual([{ time: 3000, kind: "enter", side: "long-spread", z: -2.2 }]); // other side is free
    expect(alerts.feed(4000, 0)).toHaveLength(1);
    expect(alerts.feed(9999, 2.5)).toEqual([]);
    expect(alerts.feed(10_000, 2.5)).toEqual([{ time: 10_000, kind: "enter", side: "short-spread", z: 2.5 }]);
  });

  it("zScoreAlerts ignores NaN z (warm-up) without changing state", () => {
    const alerts = zScoreAlerts({ threshold: 1 });
    expect(alerts.feed(1, NaN)).toEqual([]);
    expect(alerts.feed(2, 1.5)).toHaveLength(1);
    expect(alerts.feed(3, NaN)).toEqual([]);
    expect(alerts.position).toBe("short-spread");
  });

  it("zScoreAlerts live (feed one by one) == batch (zScoreAlertsBatch / run in chunks) (property, seeded)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), fc.constant(NaN))), { maxLength: 300 }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, threshold, exitFrac, cooldownMs, chunk) => {
          const options = { threshold, exit: exitFrac * threshold, cooldownMs };
          let t = 0;
          const time = rows.map(([dt]) => (t += dt));
          const z = rows.map(([, v]) => v);
          const live = zScoreAlerts(options);
          const liveEvents: ZScoreAlertEvent[] = [];
          for (let i = 0; i < time.length; i++) liveEvents.push(...live.feed(time[i], z[i]));
          expect(zScoreAlertsBatch(time, z, options)).toEqual(liveEvents);
          const chunked = zScoreAlerts(options);
          const chunkEvents: ZScoreAlertEvent[] = [];
          for (let i = 0; i < time.length; i += chunk) chunkEvents.push(...chunked.run(time.slice(i, i + chunk), z.slice(i, i + chunk)));
          expect(chunkEvents).toEqual(liveEvents);
          // invariants: events alternate enter/exit, an exit closes the side last entered
          let open: string | null = null;
          for (const e of liveEvents) {
            if (e.kind === "enter") {
              expect(open).toBe(null);
              expect(Math.abs(e.z)).toBeGreaterThanOrEqual(threshold);
              open = e.side;
            } else {
              expect(e.side).toBe(open);
              open = null;
            }
          }
        },
      ),
      { seed: 777, numRuns: 300 },
    );
  });

  it("zScoreAlerts({ threshold: NaN }) throws RangeError naming 'threshold'", () => {
    expect(() => zScoreAlerts({ threshold: NaN })).toThrow(/'threshold' must be a finite number > 0, got NaN/);
    expect(() => zScoreAlerts({ threshold: 0 })).toThrow(RangeError);
    expect(() => zScoreAlerts({ threshold: 2, exit: 2 })).toThrow(/'exit'/);
    expect(() => zScoreAlerts({ threshold: 2, exit: -1 })).toThrow(/'exit'/);
    expect(() => zScoreAlerts({ threshold: 2, cooldownMs: -5 })).toThrow(/'cooldownMs'/);
  });

  it("zScoreAlerts.feed(time going backwards) throws RangeError naming 'time'; ±Infinity z throws", () => {
    const alerts = zScoreAlerts({ threshold: 2 });
    alerts.feed(10, 0);
    expect(() => alerts.feed(5, 0)).toThrow(/'time'/);
    expect(() => alerts.feed(11, Infinity)).toThrow(/'z'/);
    expect(() => zScoreAlertsBatch([1, 2], [1], { threshold: 2 })).toThrow(RangeError);
  });
});
