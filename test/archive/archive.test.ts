import { describe, expect, it } from "vitest";
import { ArchiveError, ArchiveWriter, type TradeBatch } from "../../src/archive";
import { postgresBackend, sqliteBackend, useBackend } from "./backends";

// One suite, two real backends (PostgreSQL is a real server started by scripts/postgres.mjs).
const T0 = Date.UTC(2026, 11, 6, 23, 59, 0); // crosses a UTC day boundary (two daily partitions in PostgreSQL)

function trades(symbol: string, ids: number[], extra: Partial<TradeBatch> = {}): TradeBatch {
  return {
    symbol,
    id: ids,
    time: ids.map((i) => T0 + i * 1000),
    price: ids.map((i) => 100 + i / 8),
    qty: ids.map((i) => 0.001 * i),
    maker: ids.map((i) => i % 2),
    source: "demo",
    simulated: true,
    ...extra,
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

for (const make of [sqliteBackend, postgresBackend]) {
  describe(`archive backend ${make === sqliteBackend ? "sqlite" : "postgres"}`, () => {
    const suite = useBackend(make);
    const fresh = suite.fresh;

    it("writeTrades(batch) stores each (symbol, id) exactly once and returns the new count", async () => {
      const a = await fresh();
      expect(await a.writeTrades(trades("btcusdt", range(1, 101)))).toBe(100);
      expect(await a.writeTrades(trades("btcusdt", range(51, 151)))).toBe(50); // 51..100 already stored
      expect(await a.writeTrades(trades("btcusdt", [3, 3, 160, 160]))).toBe(1); // in-batch duplicates too
      expect(await a.writeTrades(trades("ethusdt", range(1, 11)))).toBe(10); // same ids, other symbol
      const t = await a.readTrades("btcusdt");
      expect(Array.from(t.id)).toEqual([...range(1, 151), 160]);
      expect(t.time).toBeInstanceOf(Float64Array);
      expect(t.price[0]).toBe(100.125); // exact round trip (tolerance 0)
      expect(t.qty[149]).toBe(0.15);
      expect(Array.from(t.maker.subarray(0, 4))).toEqual([1, 0, 1, 0]);
      expect((await a.readTrades("ethusdt")).id.length).toBe(10);
    });

    it("readTrades(symbol, range) returns [from, to) in (time, id) order after a mid-range repair", async () => {
      const a = await fresh();
      await a.writeTrades(trades("btcusdt", [...range(1, 40), ...range(60, 100)]));
      await a.writeTrades(trades("btcusdt", range(40, 60), { source: "rest", simulated: false })); // the gap, later
      const all = await a.readTrades("btcusdt");
      expect(Array.from(all.id)).toEqual(range(1, 100));
      for (let i = 1; i < all.time.length; i++) expect(all.time[i]).toBeGreaterThan(all.time[i - 1]);
      expect(all.simulated[38]).toBe(1);
      expect(all.simulated[39]).toBe(0); // id 40 came from "rest", not simulated
      const w = await a.readTrades("btcusdt", { from: T0 + 30_000, to: T0 + 70_000 });
      expect(Array.from(w.id)).toEqual(range(30, 70));
      expect((await a.readTrades("nosuch")).id.length).toBe(0);
    });

    it("readTrades(symbol) orders trades by time even when ids are not in time order", async () => {
      const a = await fresh();
      await a.writeTrades({ symbol: "xusdt", id: [1, 2, 3], time: [T0 + 30, T0 + 10, T0 + 10], price: [1, 2, 3], qty: [1, 1, 1], source: "demo", simulated: true });
      const t = await a.readTrades("xusdt");
      expect(Array.from(t.id)).toEqual([2, 3, 1]);
      expect(Array.from(t.price)).toEqual([2, 3, 1]);
    });

    it("summary() lists symbols with counts, time and id bounds, sources and the simulated flag", async () => {
      const a = await fresh();
      await a.writeTrades(trades("btcusdt", range(1, 11)));
      await a.writeTrades(trades("btcusdt", range(11, 21), { source: "binance", simulated: false }));
      await a.writeTrades(trades("ethusdt", range(5, 8), { source: "binance", simulated: false }));
      expect(await a.summary()).toEqual([
        { symbol: "btcusdt", trades: 20, firstTime: T0 + 1000, lastTime: T0 + 20_000, firstId: 1, lastId: 20, simulated: true, sources: ["binance", "demo"] },
        { symbol: "ethusdt", trades: 3, firstTime: T0 + 5000, lastTime: T0 + 7000, firstId: 5, lastId: 7, simulated: false, sources: ["binance"] },
      ]);
    });

    it("hasTradeIds(symbol, ids) flags the stored ids", async () => {
      const a = await fresh();
      await a.writeTrades(trades("btcusdt", [1, 2, 5]));
      expect(Array.from(await a.hasTradeIds("btcusdt", [0, 1, 3, 5, 9]))).toEqual([0, 1, 0, 1, 0]);
      expect(Array.from(await a.hasTradeIds("ethusdt", [1]))).toEqual([0]);
    });

    it("writeBars(batch) replaces bars with the same key and readBars keeps each bar's source", async () => {
      const a = await fresh();
      const bars = (closes: number[], source: string) => ({
        symbol: "btcusdt", intervalMs: 60_000, time: closes.map((_, i) => 60_000 * (1000 + i)),
        open: closes, high: closes.map((c) => c + 1), low: closes.map((c) => c - 1), close: closes,
        volume: closes.map(() => 2), quoteVolume: closes.map((c) => 2 * c), count: closes.map(() => 7), source, simulated: false,
      });
      expect(await a.writeBars(bars([10, 11, 12], "klines"))).toBe(3);
      await a.writeBars({ ...bars([20], "klines-final"), time: [60_000 * 1002] });
      const b = await a.readBars("btcusdt", 60_000);
      expect(Array.from(b.close)).toEqual([10, 11, 20]);
      expect(b.source).toEqual(["klines", "klines", "klines-final"]);
      expect(Array.from(b.count)).toEqual([7, 7, 7]);
      expect((await a.readBars("btcusdt", 60_000, { from: 60_000 * 1001 })).time.length).toBe(2);
      expect((await a.readBars("btcusdt", 1000)).time.length).toBe(0);
    });

    it("writeTrades(bad batch) rejects with RangeError naming the field, before writing anything", async () => {
      const a = await fresh();
      await expect(a.writeTrades(trades("BTC-USDT", [1]))).rejects.toThrow(/'symbol' must be a lower-case symbol/);
      await expect(a.writeTrades({ ...trades("btcusdt", [1, 2]), price: [1, NaN] })).rejects.toThrow(/'batch.price\[1\]' must be a finite price, got NaN/);
      await expect(a.writeTrades({ ...trades("btcusdt", [1, 2]), qty: [1] })).rejects.toThrow(RangeError);
      await expect(a.writeTrades({ ...trades("btcusdt", [1.5]) })).rejects.toThrow(/'batch.id\[0\]' must be a safe integer >= 0, got 1.5/);
      expect((await a.readTrades("btcusdt")).id.length).toBe(0);
    });

    it("a second connection sees what the first committed (two readers, one writer)", async () => {
      const a = await fresh();
      const r1 = await suite.backend().reopen(a);
      const r2 = await suite.backend().reopen(a);
      suite.keep(r1, r2);
      for (let k = 0; k < 5; k++) {
        await a.writeTrades(trades("btcusdt", range(1 + k * 100, 101 + k * 100)));
        const [x, y] = await Promise.all([r1.readTrades("btcusdt"), r2.readTrades("btcusdt")]);
        expect(x.id.length).toBe((k + 1) * 100);
        expect(y.id.length).toBe((k + 1) * 100);
      }
    });

    it("ArchiveWriter(archive).append() commits within commitMs and counts new trades only", async () => {
      const a = await fresh();
      const w = new ArchiveWriter(a, { commitMs: 50 });
      w.append(trades("btcusdt", range(1, 501)));
      w.append(trades("btcusdt", range(400, 601)));
      await new Promise((r) => setTimeout(r, 400));
      expect((await a.readTrades("btcusdt")).id.length).toBe(600);
      expect(w.status()).toMatchObject({ state: "ok", written: 600, pending: 0 });
      await w.close();
      expect(() => w.append(trades("btcusdt", [1]))).toThrow(ArchiveError);
    });

    it("a database that is not a pairlab archive fails with E_ARCHIVE_FOREIGN naming the location", async () => {
      const opener = await suite.backend().raw(suite.backend().name === "sqlite" ? "CREATE TABLE customers (id INTEGER)" : "CREATE TABLE pairlab_trades (x int)");
      const err = await opener().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ArchiveError);
      expect((err as ArchiveError).code).toBe("E_ARCHIVE_FOREIGN");
      expect((err as ArchiveError).message).toContain((err as ArchiveError).location);
    });

    it("an archive of a newer schema version fails with E_ARCHIVE_VERSION", async () => {
      const sql = suite.backend().name === "sqlite"
        ? `PRAGMA application_id = ${0x706c6162}; PRAGMA user_version = 99;`
        : "CREATE TABLE pairlab_meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO pairlab_meta VALUES ('application', 'pairlab-archive'), ('schema_version', '99')";
      const err = await (await suite.backend().raw(sql))().then(() => null, (e: unknown) => e);
      expect((err as ArchiveError).code).toBe("E_ARCHIVE_VERSION");
    });

    it("close() is idempotent and later calls reject with E_ARCHIVE_CLOSED", async () => {
      const a = await suite.backend().fresh();
      await a.close();
      await a.close();
      await expect(a.readTrades("btcusdt")).rejects.toMatchObject({ code: "E_ARCHIVE_CLOSED" });
    });
  });
}
