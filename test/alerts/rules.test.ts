import { describe, expect, it } from "vitest";
import { AlertEngine, type AlertBar, type AlertRuleSpec } from "../../src/alerts";
import { rollingOls, rollingZScore, spread, zScoreAlertsBatch, rollingCorrelation } from "../../src/analytics";
import { adfTest } from "../../src/stationarity";
import { closedBars, pairSeries } from "./helpers";

const engineFor = (rules: AlertRuleSpec[]) => new AlertEngine({ rules, interval: 1000, liveFrom: 0 });
const runAll = (engine: AlertEngine, bars: AlertBar[]) => bars.flatMap((b) => engine.process(b));

describe("zscore rule: the dashboard's z and zScoreAlerts semantics", () => {
  it("AlertEngine(zscore rule) on closed bars fires exactly zScoreAlertsBatch's events on the rolling-hedge z (seed 11, 3,000 bars)", () => {
    const { y, x } = pairSeries(3000, 11);
    const rw = 60, zw = 30;
    const ols = rollingOls(y, x, rw);
    const z = rollingZScore(spread(y, x, ols.beta, ols.alpha), zw);
    const time = Float64Array.from({ length: y.length }, (_, i) => 1000 + i * 1000);
    const expected = zScoreAlertsBatch(time, z, { threshold: 2, exit: 0.5, cooldownMs: 20_000 });
    expect(expected.length).toBeGreaterThan(10);
    const engine = engineFor([{ kind: "zscore", id: "z", y: "y", x: "x", hedgeWindow: rw, zWindow: zw, entry: 2, exit: 0.5, cooldownMs: 20_000 }]);
    const fired = runAll(engine, closedBars(y, x));
    expect(fired.map((a) => [a.barTime, a.key])).toEqual(expected.map((e) => [e.time, `${e.kind} ${e.side}`]));
    for (let k = 0; k < fired.length; k++) expect(fired[k].value).toBeCloseTo(expected[k].z, 9);
  });
});

describe("level rules fire on crossing, with hysteresis", () => {
  it("correlation rule fires when the rolling return correlation drops below the level, once until it recovers by the hysteresis", () => {
    const { y, x } = pairSeries(1200, 5);
    // break the relation in the middle: y becomes independent noise for 200 bars
    const yb = Float64Array.from(y);
    for (let i = 500; i < 700; i++) yb[i] = yb[i - 1] * (1 + (((i * 7919) % 13) - 6) * 1e-3);
    for (let i = 700; i < yb.length; i++) yb[i] = y[i] - y[700] + yb[699];
    const engine = engineFor([{ kind: "correlation", id: "c", a: "y", b: "x", window: 50, below: 0.3, hysteresis: 0.1 }]);
    const fired = runAll(engine, closedBars(yb, x));
    const corr = rollingCorrelation(yb, x, 50, { on: "returns" });
    // reference implementation of the rule: edge trigger with re-arm at >= 0.4
    const expected: number[] = [];
    let armed = true;
    for (let i = 50; i < corr.length; i++) {
      const r = corr[i];
      if (!Number.isFinite(r)) continue;
      if (armed && r < 0.3) {
        expected.push(1000 + i * 1000);
        armed = false;
      } else if (!armed && r >= 0.4) armed = true;
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(fired.map((a) => a.barTime)).toEqual(expected);
  });

  it("hedge-drift rule fires when β moves more than k % over the lookback", () => {
    const n = 400;
    const x = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 7) * 5 + i * 0.01);
    const y = Float64Array.from({ length: n }, (_, i) => (i < 250 ? 0.5 : 0.8) * x[i] + Math.cos(i / 3) * 0.01);
    const engine = engineFor([{ kind: "hedge-drift", id: "h", y: "y", x: "x", window: 40, lookback: 20, percent: 25 }]);
    const fired = runAll(engine, closedBars(y, x));
    // reference implementation of the written rule: drift % = |β_i − β_{i−20}| / |β_{i−20}| · 100 with β from
    // rollingOls(window 40); fire on drift > 25 while armed; re-arm at drift <= 25 − 5 (default hysteresis = percent / 5)
    const beta = rollingOls(y, x, 40).beta;
    const expected: [number, number][] = [];
    let armed = true;
    for (let i = 59; i < n; i++) {
      const d = (Math.abs(beta[i] - beta[i - 20]) / Math.abs(beta[i - 20])) * 100;
      if (!Number.isFinite(d)) continue;
      if (armed && d > 25) {
        expected.push([1000 + i * 1000, d]);
        armed = false;
      } else if (!armed && d <= 20) armed = true;
    }
    expect(expected.length).toBeGreaterThanOrEqual(1);
    expect(fired.map((a) => a.barTime)).toEqual(expected.map((e) => e[0]));
    for (let k = 0; k < fired.length; k++) expect(fired[k].value).toBeCloseTo(expected[k][1], 9);
  });

  it("adf rule re-tests only every N closed bars and fires when the p-value crosses below the level", () => {
    const { y, x } = pairSeries(400, 21);
    const engine = engineFor([{ kind: "adf", id: "a", y: "y", x: "x", window: 100, every: 25, level: 0.05 }]);
    const values: number[] = [];
    const bars = closedBars(y, x);
    let fired = 0;
    for (const b of bars) {
      fired += engine.process(b).length;
      values.push(engine.status().rules[0].value);
    }
    // The value changes only at bars 99, 124, 149, … (first full window, then every 25 closed bars).
    const changes: number[] = [];
    for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1] && !(Number.isNaN(values[i]) && Number.isNaN(values[i - 1]))) changes.push(i);
    expect(changes[0]).toBe(99);
    for (const c of changes) expect((c - 99) % 25).toBe(0);
    // The p-value at bar 99 equals adfTest on the static-hedge residual of bars 0..99.
    const ys = y.subarray(0, 100), xs = x.subarray(0, 100);
    const beta = rollingOls(ys, xs, 100);
    const resid = spread(ys, xs, beta.beta[99], beta.alpha[99]);
    expect(values[99]).toBeCloseTo(adfTest(resid).pValue, 10);
    expect(fired).toBe(1); // a cointegrated pair: p < 0.05 at the first test, then stays below (no re-arm)
  });

  it("price-move rule: +2 % over 3 bars fires once (direction up), re-arms below percent − hysteresis", () => {
    const closes = [100, 100, 100, 100, 101, 102.5, 103, 103, 103, 103, 103, 103, 106];
    const engine = new AlertEngine({ rules: [{ kind: "price-move", id: "p", symbol: "y", window: 3, percent: 2, direction: "up" }], interval: 1000, liveFrom: 0 });
    const fired = closes.flatMap((c, i) => engine.process({ time: 1000 * i, closed: true, close: { y: c } }));
    expect(fired.map((a) => a.barTime)).toEqual([5000, 12000]);
    expect(fired[0].value).toBeCloseTo(2.5, 12);
    expect(fired[0].message).toMatch(/y moved \+2\.50 % over 3 bars/);
  });

  it("quote-cost rule uses roundTripCost at the touch and needs quotes for both legs", () => {
    const engine = engineFor([{ kind: "quote-cost", id: "q", y: "y", x: "x", aboveBps: 5, beta: 2 }]);
    const touch = (spreadY: number) => ({ y: { bid: 100, ask: 100 + spreadY, bidQty: 1, askQty: 1, time: 0 }, x: { bid: 10, ask: 10.01, bidQty: 1, askQty: 1, time: 0 } });
    expect(engine.process({ time: 0, closed: true, close: { y: 100, x: 10 } })).toEqual([]); // no quotes
    expect(engine.process({ time: 1000, closed: true, close: { y: 100, x: 10 }, touch: touch(0.02) })).toEqual([]); // (0.02+0.02)/120 ≈ 3.3 bps
    const fired = engine.process({ time: 2000, closed: true, close: { y: 100, x: 10 }, touch: touch(0.1) });
    expect(fired.length).toBe(1);
    expect(fired[0].value).toBeCloseTo((0.12 / (100.05 + 2 * 10.005)) * 1e4, 9);
  });
});

describe("frequencies and cooldown (TradingView semantics)", () => {
  const spec = (frequency: "once" | "once-per-bar" | "once-per-bar-close", cooldownMs = 0): AlertRuleSpec => ({ kind: "price-move", id: "p", symbol: "y", window: 1, percent: 1, hysteresis: 0, frequency, cooldownMs });
  // bar 1 crosses +1 % intra-bar then closes at +0.5 %; bar 2 closes at +3 % vs bar 1
  const updates: AlertBar[] = [
    { time: 0, closed: true, close: { y: 100 } },
    { time: 1000, closed: false, close: { y: 101.5 } },
    { time: 1000, closed: false, close: { y: 99 } },
    { time: 1000, closed: false, close: { y: 101.2 } },
    { time: 1000, closed: true, close: { y: 100.5 } },
    { time: 2000, closed: false, close: { y: 103.6 } },
    { time: 2000, closed: true, close: { y: 103.6 } },
    { time: 3000, closed: true, close: { y: 103.6 } },
    { time: 4000, closed: true, close: { y: 110 } },
  ];
  const run = (s: AlertRuleSpec) => {
    const engine = new AlertEngine({ rules: [s], interval: 1000, liveFrom: 0 });
    return updates.flatMap((u) => engine.process(u).map((a) => [a.barTime, a.barClosed]));
  };
  it("frequency 'once-per-bar-close' evaluates closed bars only: the intra-bar spike of bar 1 never fires", () => {
    expect(run(spec("once-per-bar-close"))).toEqual([[2000, true], [4000, true]]);
  });
  it("frequency 'once-per-bar' fires intra-bar as soon as the condition holds, at most once per bar", () => {
    expect(run(spec("once-per-bar"))).toEqual([[1000, false], [2000, false], [4000, true]]);
  });
  it("frequency 'once' fires the first time only", () => {
    expect(run(spec("once"))).toEqual([[1000, false]]);
  });
  it("cooldownMs suppresses (does not postpone) alerts within the cooldown, counted in status", () => {
    const engine = new AlertEngine({ rules: [spec("once-per-bar", 2500)], interval: 1000, liveFrom: 0 });
    const fired = updates.flatMap((u) => engine.process(u).map((a) => a.barTime));
    expect(fired).toEqual([1000, 4000]);
    expect(engine.status().rules[0].suppressed).toBe(1);
  });
  it("bars that closed before liveFrom are warm-up: evaluated, never fired", () => {
    const engine = new AlertEngine({ rules: [spec("once-per-bar-close")], interval: 1000, liveFrom: 3000 });
    const fired = updates.flatMap((u) => engine.process(u).map((a) => a.barTime));
    expect(fired).toEqual([4000]);
    expect(engine.status().rules[0].warmup).toBe(1);
  });
  it("AlertEngine.attach after stop() throws E_STOPPED; process after stop fires nothing", async () => {
    const engine = new AlertEngine({ rules: [spec("once-per-bar")], interval: 1000, liveFrom: 0 });
    await engine.stop();
    expect(() => engine.attach({ interval: 1000, simulated: false, subscribe: () => () => undefined })).toThrow(expect.objectContaining({ code: "E_STOPPED" }));
    expect(engine.process({ time: 0, closed: true, close: { y: 1 } })).toEqual([]);
  });
  it("out-of-order and after-close updates are ignored and counted", () => {
    const engine = new AlertEngine({ rules: [spec("once-per-bar")], interval: 1000, liveFrom: 0 });
    engine.process({ time: 2000, closed: true, close: { y: 1 } });
    expect(engine.process({ time: 1000, closed: true, close: { y: 5 } })).toEqual([]);
    expect(engine.process({ time: 2000, closed: false, close: { y: 5 } })).toEqual([]);
    expect(engine.status().ignored).toBe(2);
  });
});

describe("rule specs: bad input throws naming the rule and the field", () => {
  const cases: [string, unknown, RegExp][] = [
    ["unknown kind", { kind: "rsi", id: "r" }, /'kind' must be "zscore", "correlation"/],
    ["bad id", { kind: "price-move", id: "has space", symbol: "y", window: 1, percent: 1 }, /'id' must be 1–64 characters/],
    ["bad frequency", { kind: "price-move", id: "p", symbol: "y", window: 1, percent: 1, frequency: "always" }, /alert rule "p" \(price-move\): 'frequency' must be "once", "once-per-bar", "once-per-bar-close", got "always"/],
    ["negative cooldown", { kind: "price-move", id: "p", symbol: "y", window: 1, percent: 1, cooldownMs: -1 }, /'cooldownMs'/],
    ["zscore exit >= entry", { kind: "zscore", id: "z", y: "a", x: "b", hedgeWindow: 10, zWindow: 10, entry: 2, exit: 2 }, /'exit' must be a number in \[0, entry = 2\), got 2/],
    ["zscore same symbols", { kind: "zscore", id: "z", y: "a", x: "A", hedgeWindow: 10, zWindow: 10, entry: 2 }, /'x' must be a symbol other than y/],
    ["correlation level > 1", { kind: "correlation", id: "c", a: "a", b: "b", window: 10, below: 1.5 }, /'below' must be a number in \[-1, 1\], got 1.5/],
    ["adf window < 20", { kind: "adf", id: "a", y: "a", x: "b", window: 10 }, /'window' must be an integer in \[20, 1000000\]/],
    ["adf level 0", { kind: "adf", id: "a", y: "a", x: "b", window: 50, level: 0 }, /'level' must be a number in \(0, 1\)/],
    ["price move percent 0", { kind: "price-move", id: "p", symbol: "y", window: 1, percent: 0 }, /'percent' must be a number in \(0, 1000000\)/],
    ["quote cost no level", { kind: "quote-cost", id: "q", y: "a", x: "b" }, /'aboveBps'/],
    ["hedge drift lookback 0", { kind: "hedge-drift", id: "h", y: "a", x: "b", window: 10, lookback: 0, percent: 5 }, /'lookback'/],
  ];
  for (const [name, s, re] of cases) {
    it(`new AlertEngine(${name}) throws RangeError`, () => {
      expect(() => new AlertEngine({ rules: [s as AlertRuleSpec], interval: 1000 })).toThrow(re);
    });
  }
  it("new AlertEngine(duplicate ids) throws RangeError", () => {
    const p: AlertRuleSpec = { kind: "price-move", id: "p", symbol: "y", window: 1, percent: 1 };
    expect(() => new AlertEngine({ rules: [p, p], interval: 1000 })).toThrow(/unique ids/);
  });
});
