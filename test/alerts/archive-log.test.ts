import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AlertEngine, AlertLog, ArchiveAlertLog, startAlerts, type AlertBar, type AlertRuleSpec } from "../../src/alerts";
import type { BarSource } from "../../src/alerts/alert-types";
import { SqliteArchive } from "../../src/archive";
import { postgresBackend, type Backend } from "../archive/backends";
import { closedBars, fakeAlert, pairSeries } from "./helpers";

const root = mkdtempSync(join(tmpdir(), "pairlab-alert-table-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rules: AlertRuleSpec[] = [
  { kind: "zscore", id: "z", y: "y", x: "x", hedgeWindow: 50, zWindow: 30, entry: 1.8, exit: 0.3 },
  { kind: "price-move", id: "move", symbol: "y", window: 5, percent: 0.8, frequency: "once-per-bar" },
];

/** A source driven by hand: `push(bar)` delivers one update to the engine. */
function manualSource(): BarSource & { push(bar: AlertBar): void } {
  const listeners = new Set<(bar: AlertBar) => void>();
  return {
    interval: 1000,
    simulated: true,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    push(bar) {
      for (const l of listeners) l(bar);
    },
  };
}

describe("the alert log as an archive table", () => {
  const { y, x } = pairSeries(1500, 5);
  const bars = closedBars(y, x);

  it("startAlerts({ archive }) appends every fired alert to the table once; a restart without the file log never re-fires them", async () => {
    const archive = `file:${join(root, "a.sqlite")}`;
    const reference = new AlertEngine({ rules, interval: 1000, liveFrom: 0 });
    const expected = bars.flatMap((b) => reference.process(b)).map((a) => a.id);
    expect(expected.length).toBeGreaterThan(5);

    const src1 = manualSource();
    const run1 = await startAlerts({ rules, source: src1, dir: join(root, "run1"), targets: [], archive, liveFrom: 0 });
    for (const b of bars.slice(0, 1000)) src1.push(b);
    await run1.stop();
    const firstIds = AlertLog.read(join(root, "run1", "alerts.jsonl")).alerts.map((a) => a.id);
    // A second run in a new folder (file log and state gone): only the table remembers what fired.
    const src2 = manualSource();
    const run2 = await startAlerts({ rules, source: src2, dir: join(root, "run2"), targets: [], archive, liveFrom: 0 });
    const fired: string[] = [];
    run2.engine.onAlert((a) => fired.push(a.id));
    for (const b of bars) src2.push(b);
    await run2.stop();
    expect([...firstIds, ...fired]).toEqual(expected); // every alert fired once across both runs
    expect(fired.every((id) => !firstIds.includes(id))).toBe(true);
    const table = SqliteArchive.open(join(root, "a.sqlite"));
    expect((await table.readAlertLog()).map((e) => e.id)).toEqual(expected);
    await table.close();
  });

  it("ArchiveAlertLog.append re-sending the same alerts stores nothing new", async () => {
    const log = await ArchiveAlertLog.open(`file:${join(root, "b.sqlite")}`);
    const alerts = [fakeAlert(1, 1000), fakeAlert(2, 2000)];
    expect(await log.append(alerts)).toBe("");
    expect(await log.append(alerts)).toBe("");
    expect(log.written).toBe(2);
    expect((await log.read()).alerts).toEqual(alerts);
    await log.close();
  });

  it("ArchiveAlertLog.append keeps alerts queued while the table fails and stores them on the next append", async () => {
    const real = SqliteArchive.open(join(root, "c.sqlite"));
    let fail = 1;
    const flaky = Object.assign(Object.create(real) as SqliteArchive, {
      appendAlertLog: (e: Parameters<SqliteArchive["appendAlertLog"]>[0]) => (fail-- > 0 ? Promise.reject(new Error("E_ARCHIVE_LOCKED")) : real.appendAlertLog(e)),
    });
    const log = ArchiveAlertLog.on(flaky);
    expect(await log.append([fakeAlert(1, 1000)])).toContain("E_ARCHIVE_LOCKED");
    expect(log.pending).toBe(1);
    expect(await log.append([fakeAlert(2, 2000)])).toBe("");
    expect(log.pending).toBe(0);
    expect((await real.readAlertLog()).map((e) => e.id)).toEqual([fakeAlert(1).id, fakeAlert(2).id]);
    await real.close();
  });

  it("ArchiveAlertLog.open('off') throws RangeError naming archive", async () => {
    await expect(ArchiveAlertLog.open("off")).rejects.toThrow(/archive/);
  });

  describe("on PostgreSQL", () => {
    let backend: Backend;
    afterAll(async () => backend?.stop());
    it("startAlerts({ archive: postgres://… }) logs alerts in pairlab_alert_log, each id once across two runs", async () => {
      backend = await postgresBackend();
      const pgArchive = await backend.fresh();
      const url = pgArchive.location;
      await pgArchive.close();
      const src1 = manualSource();
      const run1 = await startAlerts({ rules, source: src1, dir: join(root, "pg1"), targets: [], archive: url, liveFrom: 0 });
      for (const b of bars.slice(0, 800)) src1.push(b);
      await run1.stop();
      const src2 = manualSource();
      const run2 = await startAlerts({ rules, source: src2, dir: join(root, "pg2"), targets: [], archive: url, liveFrom: 0 });
      for (const b of bars) src2.push(b);
      await run2.stop();
      const reference = new AlertEngine({ rules, interval: 1000, liveFrom: 0 });
      const expected = bars.flatMap((b) => reference.process(b)).map((a) => a.id);
      const log = await ArchiveAlertLog.open(url);
      expect((await log.read()).alerts.map((a) => a.id)).toEqual(expected);
      await log.close();
    }, 60_000);
  });
});

describe("startAlerts({ archive: true })", () => {
  it("startAlerts({ archive: true }) logs into the PAIRLAB_ARCHIVE archive; a bad archive setting throws RangeError naming archive", async () => {
    const file = join(root, "env.sqlite");
    const saved = process.env.PAIRLAB_ARCHIVE;
    process.env.PAIRLAB_ARCHIVE = `file:${file}`;
    try {
      const src = manualSource();
      const run = await startAlerts({ rules, source: src, dir: join(root, "env-run"), targets: [], archive: true, liveFrom: 0 });
      for (const b of closedBars(...Object.values(pairSeries(400, 8)) as [Float64Array, Float64Array])) src.push(b);
      await run.stop();
      const logged = AlertLog.read(join(root, "env-run", "alerts.jsonl")).alerts.map((a) => a.id);
      expect(logged.length).toBeGreaterThan(0);
      const table = SqliteArchive.open(file);
      expect((await table.readAlertLog()).map((e) => e.id)).toEqual(logged);
      await table.close();
      await expect(startAlerts({ rules, source: manualSource(), dir: join(root, "bad"), targets: [], archive: "mysql://x" })).rejects.toThrow(/archive/);
    } finally {
      if (saved === undefined) delete process.env.PAIRLAB_ARCHIVE;
      else process.env.PAIRLAB_ARCHIVE = saved;
    }
  });
});
