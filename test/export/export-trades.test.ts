import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteArchive } from "../../src/archive";
import { exportTrades, writeFileAtomic } from "../../src/export";

const dir = mkdtempSync(join(tmpdir(), "pairlab-export-trades-"));
let archive: SqliteArchive;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const N = 20_000;
beforeAll(() => {
  archive = SqliteArchive.open(join(dir, "a.sqlite"));
  // Seeded values with awkward decimals (0.1 steps, tiny and huge quantities) to test exact round trips.
  let s = 7;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const id = Float64Array.from({ length: N }, (_, i) => 5_000_000_000 + i);
  const time = Float64Array.from({ length: N }, (_, i) => T0 + i * 137);
  const price = Float64Array.from({ length: N }, () => Math.round((90_000 + rnd() * 20_000) * 10) / 10);
  const qty = Float64Array.from({ length: N }, (_, i) => (i === 0 ? 1e-8 : i === 1 ? 123456.789 : Math.round(rnd() * 5000) / 1000));
  const maker = Uint8Array.from({ length: N }, (_, i) => i % 3 === 0 ? 1 : 0);
  archive.writeTradesSync({ symbol: "btcusdt", id, time, price, qty, maker, source: "demo", simulated: true });
});
afterAll(() => {
  archive.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe("exportTrades", () => {
  it("exportTrades(archive, symbol, { format: 'parquet' }) writes a file another library (hyparquet) reads back exactly", async () => {
    const out = await exportTrades(archive, "btcusdt", { format: "parquet", dir, from: T0, to: T0 + 137 * 15_000 });
    expect(out).toMatchObject({ rows: 15_000, simulated: true });
    expect(out.path).toMatch(/pairlab_trades_btcusdt_ticks_20261207T100000Z_20261207T\d{6}Z_SIMULATED\.parquet$/);
    const { parquetReadObjects, parquetMetadata } = await import("hyparquet");
    const buf = readFileSync(out.path);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
    const meta = parquetMetadata(ab);
    expect(meta.key_value_metadata?.find((kv) => kv.key === "pairlab.simulated")?.value).toBe("true");
    const t = archive.readTradesSync("btcusdt", { from: T0, to: T0 + 137 * 15_000 });
    expect(rows.length).toBe(15_000);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (Number(r.id) !== t.id[i] || Number(r.time_ms) !== t.time[i] || r.price !== t.price[i] || r.qty !== t.qty[i] || r.buyer_maker !== (t.maker[i] === 1) || r.simulated !== true || r.symbol !== "btcusdt") {
        throw new Error(`row ${i} differs: ${JSON.stringify(r, (_, v) => (typeof v === "bigint" ? String(v) : v))}`);
      }
    }
  });

  it("exportTrades(archive, symbol) writes CSV that pandas reads back exactly (round_trip floats)", async () => {
    const out = await exportTrades(archive, "btcusdt", { dir });
    expect(out.rows).toBe(N);
    const py = `
import pandas as pd, json, sys
df = pd.read_csv(sys.argv[1], float_precision="round_trip")
print(json.dumps({"cols": list(df.columns), "n": len(df), "id0": int(df.id[0]), "q0": df.qty[0], "q1": df.qty[1], "psum": float(df.price.sum()), "maker": int(df.buyer_maker.sum()), "sim": bool(df.simulated.all()), "t0": df.time_utc[0]}))`;
    const res = JSON.parse(execFileSync("/usr/bin/python3", ["-c", py, out.path], { encoding: "utf8" }));
    const t = archive.readTradesSync("btcusdt");
    expect(res).toMatchObject({ cols: ["symbol", "id", "time_ms", "time_utc", "price", "qty", "buyer_maker", "simulated"], n: N, id0: 5_000_000_000, q0: 1e-8, q1: 123456.789, sim: true, t0: "2026-12-07T10:00:00.000Z" });
    expect(res.maker).toBe(Math.ceil(N / 3));
    let psum = 0;
    for (const p of t.price) psum += p; // numpy's pairwise sum may differ in the last bits: tolerance 1e-9 relative
    expect(Math.abs(res.psum - psum) / psum).toBeLessThan(1e-9);
  });

  it("exportTrades(..., { format: 'xlsx' }) throws RangeError naming the format", async () => {
    await expect(exportTrades(archive, "btcusdt", { format: "xlsx" as "csv" })).rejects.toThrow(/'format' must be "csv" or "parquet", got "xlsx"/);
  });

  it("writeFileAtomic(path) leaves no temp file and replaces the old content whole", () => {
    const p = join(dir, "atomic.txt");
    writeFileAtomic(p, "old");
    expect(writeFileAtomic(p, "new content")).toBe(11);
    expect(readFileSync(p, "utf8")).toBe("new content");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // A file where a folder should be: the shared writer (export/write-file-atomic.ts) reports it, naming the path.
    writeFileAtomic(join(dir, "blocker"), "file");
    expect(() => writeFileAtomic(join(dir, "blocker", "x"), "y")).toThrow(/ENOTDIR|ENOENT|EEXIST/);
  });
});
