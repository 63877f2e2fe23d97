// The PostgreSQL archive's block layout (schema v2) against a real server (PAIRLAB_TEST_POSTGRES, or a
// throwaway cluster started by the backend helper; never a mock): exactly-once under overlapping and
// concurrent writers, day splitting, the row view, and the migration of a version-1 archive.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresArchive } from "../../src/archive";
import { POSTGRES_MIGRATIONS } from "../../src/archive/postgres-archive";
import { postgresBackend, type Backend } from "./backends";

let backend: Backend;
beforeAll(async () => {
  backend = await postgresBackend();
}, 60_000);
afterAll(async () => {
  await backend?.stop();
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 6, 23); // an hour before a UTC midnight
/** Trade id i always has the same values (an exchange never changes a trade): 20 s apart, so ids cross days. */
const batch = (ids: number[]) => ({ symbol: "btcusdt", id: ids, time: ids.map((i) => T0 + 20_000 * i), price: ids.map((i) => i / 10), qty: ids.map(() => 1), maker: ids.map((i) => i % 2), source: "demo", simulated: true });

describe("PostgresArchive blocks (schema v2)", () => {
  it("writeTrades(any sequence of overlapping, unordered batches across UTC days) stores the union once with its values and counts only new ids (property, seed 20261207)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 9000 })), { maxLength: 2 }),
        async (batches, runs) => {
          const a = await backend.fresh();
          try {
            const seen = new Set<number>();
            for (const [start, len] of runs) batches.push(Array.from({ length: len }, (_, i) => start + i));
            for (const ids of batches) {
              const fresh = new Set(ids.filter((i) => !seen.has(i))).size;
              expect(await a.writeTrades(batch(ids))).toBe(fresh);
              for (const i of ids) seen.add(i);
            }
            const t = await a.readTrades("btcusdt");
            expect(Array.from(t.id)).toEqual([...seen].sort((x, y) => x - y));
            for (let i = 0; i < t.id.length; i++) {
              if (t.time[i] !== T0 + 20_000 * t.id[i] || t.price[i] !== t.id[i] / 10 || t.maker[i] !== t.id[i] % 2 || t.simulated[i] !== 1) throw new Error(`values of id ${t.id[i]}`);
            }
            // A window read (crossing midnight) is the same trades trimmed, exactly.
            const from = T0 + 20_000 * 150;
            const to = T0 + DAY / 2;
            const w = await a.readTrades("btcusdt", { from, to });
            expect(Array.from(w.id)).toEqual([...seen].filter((i) => T0 + 20_000 * i >= from && T0 + 20_000 * i < to).sort((x, y) => x - y));
          } finally {
            await a.close();
          }
        },
      ),
      { seed: 20261207, numRuns: 6 },
    );
  }, 120_000);

  it("writeTrades from two connections at once (overlapping batches, like two recorders) stores each id once", async () => {
    const a = await backend.fresh();
    const b = await backend.reopen(a);
    try {
      let added = 0;
      for (let round = 0; round < 10; round++) {
        const ids = Array.from({ length: 5000 }, (_, i) => round * 4000 + i + 1); // each round overlaps the last by 1,000
        const [x, y] = await Promise.all([a.writeTrades(batch(ids)), b.writeTrades(batch(ids.slice(500)))]);
        added += x + y;
      }
      const t = await a.readTrades("btcusdt");
      expect(t.id.length).toBe(9 * 4000 + 5000);
      expect(added).toBe(t.id.length);
      expect(Array.from(t.id).every((v, i) => v === i + 1)).toBe(true);
    } finally {
      await b.close();
      await a.close();
    }
  }, 60_000);

  it("writeTrades with fractional-ms times stores and reads them exactly (block bounds are floored/ceiled)", async () => {
    const a = await backend.fresh();
    try {
      const time = [T0 + 0.25, T0 + 0.5, T0 + 1.75, T0 + DAY - 0.5, T0 + DAY + 0.125];
      await a.writeTrades({ symbol: "btcusdt", id: [1, 2, 3, 4, 5], time, price: [1, 2, 3, 4, 5], qty: [1, 1, 1, 1, 1], source: "demo", simulated: true });
      await a.writeTrades({ symbol: "btcusdt", id: [6], time: [T0 + DAY + 0.5], price: [6], qty: [1], source: "demo", simulated: true }); // tail append
      expect(Array.from((await a.readTrades("btcusdt")).time)).toEqual([...time, T0 + DAY + 0.5]);
      expect(Array.from((await a.readTrades("btcusdt", { from: T0 + 0.3, to: T0 + 1.75 })).id)).toEqual([2]);
    } finally {
      await a.close();
    }
  });

  it("the pairlab_trades view shows one row per stored trade (SQL users' row-level access)", async () => {
    const a = await backend.fresh();
    try {
      const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
      await a.writeTrades(batch(ids));
      const c = new pg.Client(a.location);
      await c.connect();
      try {
        const r = (await c.query("SELECT count(*)::int AS n, sum(id)::float8 AS s, min(time)::float8 AS t0, sum(maker::int)::int AS m, count(DISTINCT (id, time)) AS u FROM pairlab_trades WHERE symbol = 'btcusdt'")).rows[0];
        expect(r.n).toBe(10_000);
        expect(r.s).toBe((10_000 * 10_001) / 2);
        expect(r.t0).toBe(T0 + 20_000);
        expect(r.m).toBe(5000);
        expect(Number(r.u)).toBe(10_000);
        // Values decoded in SQL (pairlab_f64) equal what was written, bit for bit: price i/10, qty 1, time T0 + 20 s·i.
        const bad = (await c.query(`SELECT count(*)::int AS n FROM pairlab_trades WHERE price <> (id / 10.0)::float8 OR qty <> 1 OR time <> ${T0} + 20000 * id`)).rows[0];
        expect(bad.n).toBe(0);
        const special = (await c.query("SELECT pairlab_f64(float8send('NaN') || float8send('-Infinity') || float8send(5e-324) || float8send(-0.1) || float8send(1.7976931348623157e308), k) AS v FROM generate_series(0, 4) AS k")).rows.map((x) => x.v);
        expect(special).toEqual([NaN, -Infinity, 5e-324, -0.1, 1.7976931348623157e308]);
        const blocks = (await c.query("SELECT count(*)::int AS n, max(n) AS big FROM pairlab_trade_blocks")).rows[0];
        expect(blocks.big).toBeLessThanOrEqual(8192);
        expect(blocks.n).toBeGreaterThanOrEqual(3); // ≥ 2 blocks on the first day (> 8,192 trades) + the next day's
      } finally {
        await c.end();
      }
    } finally {
      await a.close();
    }
  });

  it("PostgresArchive.open(version-1 archive with row-per-trade data) migrates the rows into blocks, readable as before", async () => {
    // A version-1 archive as pairlab wrote it: the v1 schema, daily partitions, trades of two sources over two days.
    const opener = await backend.raw(
      POSTGRES_MIGRATIONS[0].replace("{{TRADES_LAYOUT}}", "PARTITION BY RANGE (time)") +
        `CREATE TABLE pairlab_meta (key text PRIMARY KEY, value text NOT NULL);
         INSERT INTO pairlab_meta VALUES ('application', 'pairlab-archive'), ('schema_version', '1'), ('layout', 'partitioned');
         CREATE TABLE pairlab_trades_a PARTITION OF pairlab_trades FOR VALUES FROM (${Math.floor(T0 / DAY) * DAY}) TO (${Math.floor(T0 / DAY) * DAY + DAY});
         CREATE TABLE pairlab_trades_b PARTITION OF pairlab_trades FOR VALUES FROM (${Math.floor(T0 / DAY) * DAY + DAY}) TO (${Math.floor(T0 / DAY) * DAY + 2 * DAY});
         INSERT INTO pairlab_sources (name, simulated) VALUES ('demo', true), ('rest', false);
         INSERT INTO pairlab_trades SELECT 'btcusdt', i, ${T0} + 1000 * i, i / 10.0, 1, i % 3 = 0, CASE WHEN i % 7 = 0 THEN 2 ELSE 1 END FROM generate_series(1, 20000) AS i;`,
    );
    const a = (await opener()) as PostgresArchive;
    try {
      const t = await a.readTrades("btcusdt");
      expect(t.id.length).toBe(20_000);
      for (let i = 0; i < t.id.length; i++) {
        const id = i + 1;
        if (t.id[i] !== id || t.time[i] !== T0 + 1000 * id || t.price[i] !== id / 10 || t.maker[i] !== (id % 3 === 0 ? 1 : 0) || t.simulated[i] !== (id % 7 === 0 ? 0 : 1)) throw new Error(`id ${id}`);
      }
      const s = (await a.summary())[0];
      expect([s.trades, s.firstId, s.lastId, s.simulated, s.sources]).toEqual([20_000, 1, 20_000, true, ["demo", "rest"]]);
      expect(await a.writeTrades(batch([19_999, 20_000, 20_001]))).toBe(1); // exactly once across the migration
      const c = new pg.Client(a.location);
      await c.connect();
      try {
        expect((await c.query("SELECT value FROM pairlab_meta WHERE key = 'schema_version'")).rows[0].value).toBe(String(POSTGRES_MIGRATIONS.length));
        expect((await c.query("SELECT count(*)::int AS n FROM pairlab_trades")).rows[0].n).toBe(20_001);
      } finally {
        await c.end();
      }
    } finally {
      await a.close();
    }
  }, 60_000);
});
