import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AlertEngine, AlertLog, type AlertRuleSpec } from "../../src/alerts";
import { createManualClock } from "../../src/ingestion/clock";
import { closedBars, pairSeries } from "./helpers";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "pairlab-alerts-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const rules: AlertRuleSpec[] = [
  { kind: "zscore", id: "z", y: "y", x: "x", hedgeWindow: 50, zWindow: 30, entry: 1.8, exit: 0.3 },
  { kind: "price-move", id: "move", symbol: "y", window: 5, percent: 0.8, frequency: "once-per-bar" },
  { kind: "correlation", id: "corr", a: "y", b: "x", window: 30, below: 0.5 },
  { kind: "price-move", id: "first", symbol: "x", window: 3, percent: 0.5, frequency: "once" },
];

describe("restart with persisted state: no alert fires twice", () => {
  const { y, x } = pairSeries(2000, 99);
  const bars = closedBars(y, x);

  it("AlertEngine restarted mid-stream (source replays all history) fires exactly the alerts of an uninterrupted run, none twice", async () => {
    const reference = new AlertEngine({ rules, interval: 1000, liveFrom: 0 });
    const expected = bars.flatMap((b) => reference.process(b)).map((a) => a.id);
    expect(expected.length).toBeGreaterThan(10);

    const dir = tempDir();
    const fired: string[] = [];
    const first = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    for (const b of bars.slice(0, 1200)) fired.push(...first.process(b).map((a) => a.id));
    await first.stop(); // a clean stop persists the last bar time
    // A restarted kernel: the new ingestion replays history from the start.
    const second = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    for (const b of bars) fired.push(...second.process(b).map((a) => a.id));
    await second.stop();
    expect(fired).toEqual(expected);
    expect(new Set(fired).size).toBe(fired.length);
    const logged = AlertLog.read(join(dir, "alerts.jsonl")).alerts.map((a) => a.id);
    expect(logged).toEqual(expected);
    expect(second.status().rules.find((r) => r.id === "first")!.status).toBe("done");
  });

  it("AlertEngine after a crash (no stop: only the state written at each firing survives) never re-fires a logged alert", async () => {
    const dir = tempDir();
    const fired: string[] = [];
    // a manual clock that never advances: the debounced write never happens
    const first = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir, clock: createManualClock(0) });
    for (const b of bars.slice(0, 1500)) fired.push(...first.process(b).map((a) => a.id));
    await first.settled(); // the fired alerts' commits completed; then the crash: no stop(), no debounced flush
    const second = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    for (const b of bars) fired.push(...second.process(b).map((a) => a.id));
    await second.stop();
    expect(new Set(fired).size).toBe(fired.length);
    const logged = AlertLog.read(join(dir, "alerts.jsonl")).alerts.map((a) => a.id);
    expect(logged).toEqual(fired);
  });

  it("AlertEngine whose state file was lost still never re-fires an id already in the log (counted as duplicates)", async () => {
    const dir = tempDir();
    const first = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    const a = bars.slice(0, 800).flatMap((b) => first.process(b)).map((e) => e.id);
    await first.stop();
    rmSync(join(dir, "alert-state.json"));
    const second = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    const b = bars.slice(0, 800).flatMap((bar) => second.process(bar)).map((e) => e.id);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual([]);
    expect(second.status().duplicates).toBe(a.length);
    await second.stop();
  });

  it("an edited rule starts from fresh state; unchanged rules keep theirs", async () => {
    const dir = tempDir();
    const once: AlertRuleSpec = { kind: "price-move", id: "first", symbol: "x", window: 3, percent: 0.5, frequency: "once" };
    const e1 = new AlertEngine({ rules: [once], interval: 1000, liveFrom: 0, dir });
    expect(bars.slice(0, 1000).flatMap((b) => e1.process(b)).length).toBe(1);
    await e1.stop();
    const e2 = new AlertEngine({ rules: [once], interval: 1000, liveFrom: 0, dir });
    expect(bars.flatMap((b) => e2.process(b)).length).toBe(0); // done, stays done
    await e2.stop();
    const e3 = new AlertEngine({ rules: [{ ...once, percent: 0.4 }], interval: 1000, liveFrom: 0, dir });
    expect(e3.status().rules[0].status).not.toBe("done");
    await e3.stop();
  });

  it("AlertLog.read skips a torn last line; the state file is written atomically (no temp files left)", async () => {
    const dir = tempDir();
    const e = new AlertEngine({ rules, interval: 1000, liveFrom: 0, dir });
    const n = bars.slice(0, 600).flatMap((b) => e.process(b)).length;
    await e.stop();
    const log = join(dir, "alerts.jsonl");
    writeFileSync(log, readFileSync(log, "utf8") + '{"id":"torn', { flag: "w" });
    const r = AlertLog.read(log);
    expect([r.alerts.length, r.corrupt]).toEqual([n, 1]);
    expect(existsSync(join(dir, "alert-state.json"))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "alert-state.json"), "utf8")).version).toBe(1);
  });
});
