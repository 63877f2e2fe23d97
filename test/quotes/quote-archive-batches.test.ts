import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ArchiveError, SqliteArchive, hasArchiveTables, type Archive, type ArchiveTables, type ArchivedQuotes, type QuoteBatch } from "../../src/archive";
import { mulberry32 } from "../../src/seeded-random";
import { postgresBackend, sqliteBackend, useBackend } from "../archive/backends";

// The quote table's batched write path (multi-row INSERTs of 128/32/8/1 rows on SQLite) and paged read path (keyset
// pages of 1,024 rows; the source column read only when simulated and live sources are mixed), checked against a plain
// model of the documented rules on seeded random batches, on both real backends (PostgreSQL: a real server, see
// quote-archive.test.ts). The model: within a batch the last occurrence of an update id wins; across batches the first
// stored row of a (symbol, u) is kept and re-sends count 0; a read returns from ≤ time < to ordered by (time, u).
// All values are exact (float64 and int64 stored as given): tolerance 0.

const T0 = Date.UTC(2026, 11, 7, 23, 0, 0, 0);

interface Row {
  u: number;
  time: number;
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
  simulated: number;
}

type Tables = Archive & ArchiveTables;
type Sources = "mixed" | "simulated" | "live";

/**
 * Seeded batches for one symbol: sizes 0…300 (every multi-row statement size and remainder), update ids drawn with
 * overlaps (re-sends and repeats inside a batch), times that disagree with ids for a quarter of the quotes, and
 * the source per batch chosen by `sources`.
 */
function batches(seed: number, count: number, sources: Sources): QuoteBatch[] {
  const rand = mulberry32(seed);
  const out: QuoteBatch[] = [];
  let next = 1;
  for (let b = 0; b < count; b++) {
    const n = b === 0 ? 0 : Math.floor(rand() * 301);
    const updateId: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = rand();
      // mostly new ids; some re-sends of older ids and repeats inside the batch
      updateId.push(r < 0.8 || next < 10 ? next++ : r < 0.9 ? 1 + Math.floor(rand() * (next - 1)) : updateId.length > 0 ? updateId[updateId.length - 1] : next++);
    }
    const time = updateId.map((u) => (rand() < 0.25 ? T0 + u * 3 - Math.floor(rand() * 400) : T0 + u * 3));
    const bid = updateId.map(() => 100 + Math.floor(rand() * 10_000) / 64 + rand() * 1e-9);
    const simulated = sources === "simulated" || (sources === "mixed" && rand() < 0.5);
    out.push({
      symbol: "btcusdt",
      updateId,
      time,
      bid,
      bidQty: bid.map(() => rand() * 5 + 0.001),
      ask: bid.map((p) => p + 0.25 + rand()),
      askQty: bid.map(() => rand() * 5 + 0.001),
      source: simulated ? "demo" : "binance",
      simulated,
    });
  }
  return out;
}

/** Applies a batch to the model; returns how many (symbol, u) keys were new. */
function applyToModel(model: Map<number, Row>, b: QuoteBatch): number {
  const last = new Map<number, number>();
  for (let i = 0; i < b.updateId.length; i++) last.set(b.updateId[i], i);
  let added = 0;
  for (const [u, i] of last) {
    if (model.has(u)) continue;
    model.set(u, { u, time: b.time[i], bid: b.bid[i], bidQty: b.bidQty[i], ask: b.ask[i], askQty: b.askQty[i], simulated: b.simulated ? 1 : 0 });
    added++;
  }
  return added;
}

function expected(model: Map<number, Row>, from = -Infinity, to = Infinity): Row[] {
  return [...model.values()].filter((r) => r.time >= from && r.time < to).sort((a, b) => a.time - b.time || a.u - b.u);
}

function rows(q: ArchivedQuotes): Row[] {
  return Array.from(q.updateId, (u, i) => ({ u, time: q.time[i], bid: q.bid[i], bidQty: q.bidQty[i], ask: q.ask[i], askQty: q.askQty[i], simulated: q.simulated[i] }));
}

for (const make of [sqliteBackend, postgresBackend]) {
  const name = make === sqliteBackend ? "sqlite" : "postgres";
  describe(`quote table batches on ${name}`, () => {
    const suite = useBackend(make);
    const fresh = async (): Promise<Tables> => {
      const a = await suite.fresh();
      if (!hasArchiveTables(a)) throw new Error("no quote tables");
      return a;
    };

    for (const [seed, sources] of [[21, "mixed"], [22, "simulated"], [23, "live"]] as const) {
      it(`writeQuotes(seeded batches of 0…300 quotes with re-sends, ${sources} sources) counts only new (symbol, u) and readQuotes returns the model's rows exactly`, async () => {
        const a = await fresh();
        const model = new Map<number, Row>();
        for (const b of batches(seed, 40, sources)) expect(await a.writeQuotes(b)).toBe(applyToModel(model, b));
        expect(model.size).toBeGreaterThan(2 * 1024 + 1); // the read crosses several 1,024-row pages
        const all = expected(model);
        if (sources === "mixed") expect(new Set(all.map((r) => r.simulated)).size).toBe(2);
        expect(rows(await a.readQuotes("btcusdt"))).toEqual(all);
        const rand = mulberry32(seed + 100);
        const last = all[all.length - 1].time;
        for (let k = 0; k < 5; k++) {
          const from = T0 + Math.floor(rand() * (last - T0));
          const to = from + Math.floor(rand() * (last - from + 10));
          expect(rows(await a.readQuotes("btcusdt", { from, to }))).toEqual(expected(model, from, to));
        }
        expect(rows(await a.readQuotes("btcusdt", { from: last + 1 }))).toEqual([]);
        expect(rows(await a.readQuotes("btcusdt", { to: T0 - 1e6 }))).toEqual([]);
      });
    }
  });
}

describe("SqliteArchive quote-write connection", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairlab-quote-writer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const batch = (from: number, n: number, source = "demo", simulated = true): QuoteBatch => {
    const u = Array.from({ length: n }, (_, i) => from + i);
    return { symbol: "btcusdt", updateId: u, time: u.map((x) => T0 + x), bid: u.map((x) => 100 + x / 8), bidQty: u.map(() => 1), ask: u.map((x) => 101 + x / 8), askQty: u.map(() => 2), source, simulated };
  };

  it("SqliteArchive.close() closes the quote-write connection too: the last close checkpoints and removes the WAL", () => {
    const file = join(dir, "close.sqlite");
    const a = SqliteArchive.open(file);
    expect(a.writeQuotesSync(batch(1, 300))).toBe(300);
    a.writeTradesSync({ symbol: "btcusdt", id: [1], time: [T0], price: [100], qty: [1], source: "demo", simulated: true });
    expect(existsSync(`${file}-wal`)).toBe(true);
    a.closeSync();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const b = SqliteArchive.open(file, { readonly: true });
    expect(b.readQuotesSync("btcusdt").updateId.length).toBe(300);
    b.closeSync();
  });

  it("writeQuotes leaves no dangling symbol or source reference: integrityCheck() is ok, and reports a quote row whose source is missing", () => {
    const file = join(dir, "refs.sqlite");
    const a = SqliteArchive.open(file);
    a.writeQuotesSync(batch(1, 200));
    a.writeQuotesSync({ ...batch(150, 200, "binance", false), symbol: "ethusdt" });
    expect(a.integrityCheck()).toBe("ok");
    a.closeSync();
    const raw = new Database(file);
    raw.pragma("foreign_keys = OFF");
    raw.prepare("INSERT INTO quotes (sym, update_id, time, bid, bid_qty, ask, ask_qty, src) VALUES (1, 999999, 0, 1, 1, 2, 1, 77)").run();
    raw.close();
    const b = SqliteArchive.open(file);
    expect(b.integrityCheck()).toMatch(/row .* of quotes refers to a missing sources row/);
    b.closeSync();
  });

  it("writeQuotes on an archive with a size cap (maxBytes) fails with E_ARCHIVE_FULL and keeps every committed quote", () => {
    const file = join(dir, "full.sqlite");
    const a = SqliteArchive.open(file, { maxBytes: 1024 * 1024 });
    let stored = 0;
    let error: unknown = null;
    for (let k = 0; k < 100 && error === null; k++) {
      try {
        stored += a.writeQuotesSync(batch(1 + k * 5000, 5000));
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).code).toBe("E_ARCHIVE_FULL");
    expect(stored).toBeGreaterThan(0);
    expect(a.readQuotesSync("btcusdt").updateId.length).toBe(stored);
    expect(a.integrityCheck()).toBe("ok");
    a.closeSync();
  });

  it("writeQuotes on a read-only archive rejects with an ArchiveError and stores nothing", async () => {
    const file = join(dir, "ro.sqlite");
    SqliteArchive.open(file).closeSync();
    const a = SqliteArchive.open(file, { readonly: true });
    await expect(a.writeQuotes(batch(1, 10))).rejects.toBeInstanceOf(ArchiveError);
    expect(a.readQuotesSync("btcusdt").updateId.length).toBe(0);
    a.closeSync();
  });
});
