import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteArchive } from "../../src/archive";

const dir = mkdtempSync(join(tmpdir(), "pairlab-exactly-once-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;

describe("SqliteArchive exactly once (property, seeded)", () => {
  it("writeTrades(any sequence of overlapping, unordered batches) stores the union of ids once, each with its first-written values, and counts only new ids", () => {
    // Trade id i always has time 1000·i and price i/10 (an exchange never changes a trade); batches overlap,
    // repeat ids and come in any order, across more than one block (block size 8,192).
    const batchArb = fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 0, maxLength: 3000 });
    fc.assert(
      fc.property(fc.array(batchArb, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 9000 })), { maxLength: 3 }), (batches, runs) => {
        const a = SqliteArchive.open(join(dir, `p${++k}.sqlite`));
        try {
          const seen = new Set<number>();
          // Some long contiguous runs too, so tail blocks fill and split.
          for (const [start, len] of runs) batches.push(Array.from({ length: len }, (_, i) => start + i));
          for (const ids of batches) {
            const fresh = new Set(ids.filter((i) => !seen.has(i))).size;
            const added = a.writeTradesSync({ symbol: "btcusdt", id: ids, time: ids.map((i) => 1000 * i), price: ids.map((i) => i / 10), qty: ids.map(() => 1), source: "demo", simulated: true });
            expect(added).toBe(fresh);
            for (const i of ids) seen.add(i);
          }
          const t = a.readTradesSync("btcusdt");
          const want = [...seen].sort((x, y) => x - y);
          expect(Array.from(t.id)).toEqual(want);
          for (let i = 0; i < t.id.length; i++) if (t.time[i] !== 1000 * t.id[i] || t.price[i] !== t.id[i] / 10) throw new Error(`values of id ${t.id[i]}`);
        } finally {
          a.closeSync();
        }
      }),
      { seed: 20261207, numRuns: 25 },
    );
  });
});
