import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { hasArchiveTables, type Archive, type ArchiveTables, type QuoteBatch } from "../../src/archive";
import { POSTGRES_MIGRATIONS } from "../../src/archive/postgres-archive";
import { SQLITE_MIGRATIONS } from "../../src/archive/sqlite-schema";
import { postgresBackend, sqliteBackend, useBackend } from "../archive/backends";

// Quotes and the alert log in the archive (SQLite schema version 2, PostgreSQL 3), on both real backends (PostgreSQL is a real
// server: `node scripts/postgres.mjs -- npx vitest run test/quotes`, or one started by the helper).
// All values are exact (the tables store float64 / int64 as given): tolerance 0.

const T0 = Date.UTC(2026, 11, 6, 23, 59, 59, 990);

function quotes(symbol: string, ids: number[], extra: Partial<QuoteBatch> = {}): QuoteBatch {
  return {
    symbol,
    updateId: ids,
    time: ids.map((u) => T0 + u),
    bid: ids.map((u) => 100 + u / 8),
    bidQty: ids.map((u) => 1 + u / 4),
    ask: ids.map((u) => 100.25 + u / 8),
    askQty: ids.map((u) => 2 + u / 4),
    source: "demo",
    simulated: true,
    ...extra,
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
type Tables = Archive & ArchiveTables;

for (const make of [sqliteBackend, postgresBackend]) {
  const name = make === sqliteBackend ? "sqlite" : "postgres";
  describe(`quote and alert-log tables on ${name}`, () => {
    const suite = useBackend(make);
    const fresh = async (): Promise<Tables> => {
      const a = await suite.fresh();
      if (!hasArchiveTables(a)) throw new Error("no quote tables");
      return a;
    };

    it("writeQuotes(batch) stores each (symbol, u) once and readQuotes reads them back in time order", async () => {
      const a = await fresh();
      expect(await a.writeQuotes(quotes("btcusdt", range(1, 6)))).toBe(5);
      expect(await a.writeQuotes(quotes("btcusdt", range(3, 9)))).toBe(3); // 3..5 already stored
      expect(await a.writeQuotes(quotes("btcusdt", range(1, 9)))).toBe(0);
      expect(await a.writeQuotes(quotes("ethusdt", [4]))).toBe(1); // same u, other symbol: another key
      const q = await a.readQuotes("btcusdt");
      expect(Array.from(q.updateId)).toEqual(range(1, 9));
      expect(Array.from(q.time)).toEqual(range(1, 9).map((u) => T0 + u));
      expect(Array.from(q.bid)).toEqual(range(1, 9).map((u) => 100 + u / 8));
      expect(Array.from(q.bidQty)).toEqual(range(1, 9).map((u) => 1 + u / 4));
      expect(Array.from(q.ask)).toEqual(range(1, 9).map((u) => 100.25 + u / 8));
      expect(Array.from(q.askQty)).toEqual(range(1, 9).map((u) => 2 + u / 4));
      expect(Array.from(q.simulated)).toEqual(range(1, 9).map(() => 1));
      expect(q.bid).toBeInstanceOf(Float64Array);
      expect((await a.readQuotes("ethusdt")).updateId.length).toBe(1);
    });

    it("readQuotes(symbol, { from, to }) keeps from ≤ time < to across a UTC day boundary", async () => {
      const a = await fresh();
      await a.writeQuotes(quotes("btcusdt", range(1, 21), { source: "binance", simulated: false }));
      const q = await a.readQuotes("btcusdt", { from: T0 + 5, to: T0 + 15 });
      expect(Array.from(q.updateId)).toEqual(range(5, 15));
      expect(Array.from(q.simulated)).toEqual(range(5, 15).map(() => 0));
      expect((await a.readQuotes("nosuch")).time.length).toBe(0);
    });

    it("readQuotes orders by time even when update ids disagree with time (two sources), within a range", async () => {
      const a = await fresh();
      // u ascending but time descending across the two batches: the read must follow time
      await a.writeQuotes(quotes("btcusdt", [1, 2, 3], { time: [T0 + 30, T0 + 40, T0 + 50] }));
      await a.writeQuotes(quotes("btcusdt", [4, 5, 6], { time: [T0 + 5, T0 + 10, T0 + 35], source: "rest", simulated: false }));
      const q = await a.readQuotes("btcusdt");
      expect(Array.from(q.time)).toEqual([T0 + 5, T0 + 10, T0 + 30, T0 + 35, T0 + 40, T0 + 50]);
      expect(Array.from(q.updateId)).toEqual([4, 5, 1, 6, 2, 3]);
      expect(Array.from(q.simulated)).toEqual([0, 0, 1, 0, 1, 1]);
      const r = await a.readQuotes("btcusdt", { from: T0 + 10, to: T0 + 40 });
      expect(Array.from(r.updateId)).toEqual([5, 1, 6]);
    });

    it("writeQuotes with a repeated u in one batch keeps the last occurrence (the conflated slot's final state)", async () => {
      const a = await fresh();
      const b = quotes("btcusdt", [7, 7]);
      (b.bidQty as number[])[1] = 42;
      expect(await a.writeQuotes(b)).toBe(1);
      expect((await a.readQuotes("btcusdt")).bidQty[0]).toBe(42);
    });

    it("writeQuotes(crossed or non-positive quote) throws RangeError naming the field and stores nothing", async () => {
      const a = await fresh();
      const crossed = quotes("btcusdt", [1, 2]);
      (crossed.bid as number[])[1] = 1000;
      await expect(a.writeQuotes(crossed)).rejects.toThrow(/batch\.bid\[1\]/);
      const zero = quotes("btcusdt", [1]);
      (zero.askQty as number[])[0] = 0;
      await expect(a.writeQuotes(zero)).rejects.toThrow(RangeError);
      await expect(a.writeQuotes(quotes("BTC-USDT", [1]))).rejects.toThrow(/symbol/);
      await expect(a.writeQuotes(quotes("btcusdt", [1.5]))).rejects.toThrow(/updateId\[0\]/);
      expect((await a.readQuotes("btcusdt")).time.length).toBe(0);
    });

    it("a second connection sees committed quotes and re-sending them stores nothing", async () => {
      const a = await fresh();
      await a.writeQuotes(quotes("btcusdt", range(1, 101)));
      const b = await suite.backend().reopen(a);
      suite.keep(b);
      if (!hasArchiveTables(b)) throw new Error("no quote tables");
      expect(await b.writeQuotes(quotes("btcusdt", range(50, 151)))).toBe(50);
      expect((await a.readQuotes("btcusdt")).updateId.length).toBe(150);
    });

    it("appendAlertLog(entries) is append-only and keyed by alert id: a re-send never duplicates", async () => {
      const a = await fresh();
      const entry = (id: string, t: number) => ({ id, firedAt: t, ruleId: id.split(":")[0], simulated: true, json: JSON.stringify({ id, firedAt: t }) });
      expect(await a.appendAlertLog([entry("z:1:enter", 1000), entry("z:2:exit", 2000)])).toBe(2);
      expect(await a.appendAlertLog([entry("z:2:exit", 2000), entry("c:3:below", 3000)])).toBe(1);
      const log = await a.readAlertLog();
      expect(log.map((e) => e.id)).toEqual(["z:1:enter", "z:2:exit", "c:3:below"]);
      expect(log[2]).toEqual(entry("c:3:below", 3000));
      expect((await a.readAlertLog({ from: 2000 })).map((e) => e.id)).toEqual(["z:2:exit", "c:3:below"]);
      await expect(a.appendAlertLog([{ ...entry("x", 1), firedAt: NaN }])).rejects.toThrow(/entries\[0\]\.firedAt/);
    });

    it("the alert log refuses UPDATE and DELETE (append-only trigger)", async () => {
      const a = await fresh();
      await a.appendAlertLog([{ id: "r:1:k", firedAt: 1, ruleId: "r", simulated: false, json: "{}" }]);
      if (name === "sqlite") {
        const db = new Database(a.location);
        try {
          expect(() => db.prepare("DELETE FROM alert_log").run()).toThrow(/append-only/);
          expect(() => db.prepare("UPDATE alert_log SET body = 'x'").run()).toThrow(/append-only/);
        } finally {
          db.close();
        }
      } else {
        const c = new pg.Client(a.location);
        await c.connect();
        try {
          await expect(c.query("DELETE FROM pairlab_alert_log")).rejects.toThrow(/append-only/);
          await expect(c.query("UPDATE pairlab_alert_log SET body = 'x'")).rejects.toThrow(/append-only/);
        } finally {
          await c.end();
        }
      }
      expect((await a.readAlertLog()).length).toBe(1);
    });

    it("an archive at schema version 1 is migrated to the latest version on open (SQLite 2, PostgreSQL 3: blocks, then quote tables), its trades kept", async () => {
      const v1 =
        name === "sqlite"
          ? `PRAGMA application_id = ${0x706c6162}; ${SQLITE_MIGRATIONS[0]}; PRAGMA user_version = 1;`
          : "CREATE TABLE pairlab_meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO pairlab_meta VALUES ('application', 'pairlab-archive'), ('schema_version', '1'), ('layout', 'partitioned'); " +
            POSTGRES_MIGRATIONS[0].replace("{{TRADES_LAYOUT}}", "PARTITION BY RANGE (time)");
      const a = await (await suite.backend().raw(v1))();
      suite.keep(a);
      await a.writeTrades({ symbol: "btcusdt", id: [1], time: [T0], price: [100], qty: [1], source: "demo", simulated: true });
      if (!hasArchiveTables(a)) throw new Error("no quote tables");
      expect(await a.writeQuotes(quotes("btcusdt", [1, 2]))).toBe(2);
      const again = await suite.backend().reopen(a); // a second open finds the latest version: no migration, data intact
      suite.keep(again);
      expect((await again.readTrades("btcusdt")).id.length).toBe(1);
      if (name === "sqlite") {
        const db = new Database(a.location, { readonly: true });
        expect(db.pragma("user_version", { simple: true })).toBe(2);
        db.close();
      } else {
        const c = new pg.Client(a.location);
        await c.connect();
        expect((await c.query("SELECT value FROM pairlab_meta WHERE key = 'schema_version'")).rows[0].value).toBe("3");
        await c.end();
      }
    });
  });
}
