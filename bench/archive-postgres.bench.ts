/**
 * PostgreSQL archive benchmark (issue 11): write 5,000,000 trades of one symbol (50,000 per writeTrades call,
 * each one transaction, across UTC days) into a fresh database and read them back into Float64Arrays, side by
 * side with the SQLite archive on the same data in the same run; 3 rounds interleaved (PostgreSQL, SQLite,
 * PostgreSQL, …), best wall time reported, with this process's CPU time (the server's CPU is not in it).
 * Starts a throwaway PostgreSQL 15 cluster (scripts/postgres.mjs) unless PAIRLAB_TEST_POSTGRES is set.
 * Goals: write ≥ 200,000 trades/s sustained (exactly once); read 5M ticks ≤ 1 s.
 * Run: npx tsx bench/archive-postgres.bench.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { report, seededRandom } from "./harness";
import { PostgresArchive, SqliteArchive, type Archive } from "../src/archive";

const ROUNDS = 3;
const N = 5_000_000;
const BATCH = 50_000;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

async function main(): Promise<void> {
  const u = seededRandom(5);
  const id = new Float64Array(N), time = new Float64Array(N), price = new Float64Array(N), qty = new Float64Array(N);
  let t = Date.UTC(2026, 11, 6, 20), p = 3000;
  for (let i = 0; i < N; i++) {
    id[i] = 1 + i;
    t += Math.floor(u() * 40); // ≈ 27 h: crosses UTC day boundaries
    p = Math.max(1, Math.round((p + (u() - 0.5) * 0.1) * 100) / 100);
    time[i] = t;
    price[i] = p;
    qty[i] = Math.round(u() * 5000) / 1000 + 0.001;
  }
  const round = async (archive: Archive) => {
    let added = 0;
    const write = await timed(async () => {
      for (let a = 0; a < N; a += BATCH) {
        added += await archive.writeTrades({ symbol: "ethusdt", id: id.subarray(a, a + BATCH), time: time.subarray(a, a + BATCH), price: price.subarray(a, a + BATCH), qty: qty.subarray(a, a + BATCH), source: "bench", simulated: true });
      }
    });
    // Exactly once: writing an overlapping 50,000 again adds nothing.
    const again = await archive.writeTrades({ symbol: "ethusdt", id: id.subarray(N / 2, N / 2 + BATCH), time: time.subarray(N / 2, N / 2 + BATCH), price: price.subarray(N / 2, N / 2 + BATCH), qty: qty.subarray(N / 2, N / 2 + BATCH), source: "bench", simulated: true });
    let r: Awaited<ReturnType<Archive["readTrades"]>> | undefined;
    const read = await timed(async () => (r = await archive.readTrades("ethusdt")));
    let same = r!.id.length === N && added === N && again === 0;
    for (let i = 0; same && i < N; i++) same = r!.id[i] === id[i] && r!.price[i] === price[i] && r!.time[i] === time[i] && r!.qty[i] === qty[i];
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
  const admin = new pg.Client(url);
  await admin.connect();
  const dir = mkdtempSync(join(tmpdir(), "pairlab-pg-bench-"));
  const ours: Awaited<ReturnType<typeof round>>[] = [];
  const ref: Awaited<ReturnType<typeof round>>[] = [];
  try {
    for (let k = 0; k < ROUNDS; k++) {
      const db = `bench_${process.pid}_${k}`;
      await admin.query(`CREATE DATABASE ${db}`);
      const u2 = new URL(url);
      u2.pathname = `/${db}`;
      const archive = await PostgresArchive.open(u2.toString());
      ours.push(await round(archive));
      await archive.close();
      await admin.query(`DROP DATABASE ${db}`);
      const lite = SqliteArchive.open(join(dir, `b${k}.sqlite`));
      ref.push(await round(lite));
      lite.closeSync();
      rmSync(join(dir, `b${k}.sqlite`), { force: true });
    }
    const best = (xs: typeof ours, f: (x: (typeof ours)[number]) => Timing) => xs.map(f).reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const w = best(ours, (x) => x.write);
    const wr = best(ref, (x) => x.write);
    const rd = best(ours, (x) => x.read);
    const rr = best(ref, (x) => x.read);
    const rate = N / (w.wallMs / 1000);
    const all = (xs: typeof ours, f: (x: (typeof ours)[number]) => Timing) => xs.map((x) => Math.round(f(x).wallMs)).join("/");
    const same = ours.every((x) => x.same) && ref.every((x) => x.same);
    report({
      case: `PostgreSQL archive write ${N.toLocaleString("en")} trades (blocks, binary parameters, ${BATCH.toLocaleString("en")} per transaction, daily partitions)`,
      oursMs: w.wallMs, referenceMs: wr.wallMs, reference: "SQLite archive, same data",
      note: `${Math.round(rate).toLocaleString("en")} trades/s sustained (goal >= 200,000/s: ${rate >= 200_000 ? "met" : "NOT met"}); best of ${ROUNDS} (ms ${all(ours, (x) => x.write)} vs ${all(ref, (x) => x.write)}); client CPU ${Math.round(w.cpuMs)} ms vs ${Math.round(wr.cpuMs)} ms; exactly once (re-write adds 0) and identical: ${same}`,
    });
    report({
      case: `PostgreSQL archive read ${N.toLocaleString("en")} ticks into Float64Arrays (binary COPY of blocks)`,
      oursMs: rd.wallMs, referenceMs: rr.wallMs, reference: "SQLite archive, same data",
      note: `goal <= 1 s: ${rd.wallMs <= 1000 ? "met" : "NOT met"}; best of ${ROUNDS} (ms ${all(ours, (x) => x.read)} vs ${all(ref, (x) => x.read)}); client CPU ${Math.round(rd.cpuMs)} ms vs ${Math.round(rr.cpuMs)} ms; identical to what was written: ${same}`,
    });
  } finally {
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
