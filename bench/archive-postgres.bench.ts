/**
 * PostgreSQL archive benchmark (issue 11): write 1,000,000 trades through COPY (50,000 per transaction, daily
 * partitions) and read them back into Float64Arrays, side by side with the SQLite archive on the same data.
 * Starts a throwaway PostgreSQL 15 cluster (scripts/postgres.mjs) unless PAIRLAB_TEST_POSTGRES is set.
 * Run: npx tsx bench/archive-postgres.bench.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report, seededRandom } from "./harness";
import { PostgresArchive, SqliteArchive, type Archive } from "../src/archive";

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  const N = 1_000_000;
  const BATCH = 50_000;
  const u = seededRandom(5);
  const id = new Float64Array(N), time = new Float64Array(N), price = new Float64Array(N), qty = new Float64Array(N);
  let t = Date.UTC(2026, 11, 6, 20), p = 3000;
  for (let i = 0; i < N; i++) {
    id[i] = 1 + i;
    t += Math.floor(u() * 40); // ≈ 5.5 h: crosses a UTC day boundary
    p = Math.max(1, Math.round((p + (u() - 0.5) * 0.1) * 100) / 100);
    time[i] = t;
    price[i] = p;
    qty[i] = Math.round(u() * 5000) / 1000 + 0.001;
  }
  const run = async (archive: Archive) => {
    let t0 = process.hrtime.bigint();
    for (let a = 0; a < N; a += BATCH) {
      await archive.writeTrades({ symbol: "ethusdt", id: id.subarray(a, a + BATCH), time: time.subarray(a, a + BATCH), price: price.subarray(a, a + BATCH), qty: qty.subarray(a, a + BATCH), source: "bench", simulated: true });
    }
    const write = ms(t0);
    t0 = process.hrtime.bigint();
    const r = await archive.readTrades("ethusdt");
    const read = ms(t0);
    let same = r.id.length === N;
    for (let i = 0; same && i < N; i++) same = r.price[i] === price[i] && r.time[i] === time[i];
    return { write, read, same };
  };
  let server: { url: string; stop(): Promise<void> } | null = null;
  let url = process.env.PAIRLAB_TEST_POSTGRES;
  if (!url) {
    // @ts-expect-error -- plain ESM script without types
    const { startPostgres } = (await import("../scripts/postgres.mjs")) as { startPostgres(): Promise<{ url: string; stop(): Promise<void> }> };
    server = await startPostgres();
    url = server.url;
  }
  const dir = mkdtempSync(join(tmpdir(), "pairlab-pg-bench-"));
  try {
    const pg = await PostgresArchive.open(url);
    const ours = await run(pg);
    await pg.close();
    const lite = SqliteArchive.open(join(dir, "b.sqlite"));
    const ref = await run(lite);
    lite.closeSync();
    report({
      case: "PostgreSQL archive write 1,000,000 trades (COPY, 50,000 per transaction, daily partitions)",
      oursMs: ours.write, referenceMs: ref.write, reference: "SQLite archive, same data",
      note: `${Math.round(N / (ours.write / 1000)).toLocaleString("en")} trades/s (goal >= 200,000/s: ${N / (ours.write / 1000) >= 200_000 ? "met" : "NOT met"})`,
    });
    report({
      case: "PostgreSQL archive read 1,000,000 ticks into Float64Arrays",
      oursMs: ours.read, referenceMs: ref.read, reference: "SQLite archive, same data",
      note: `identical to what was written: ${ours.same && ref.same}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
