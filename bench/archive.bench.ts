/**
 * Archive and history benchmarks (issue 11), ours and the references side by side in one run:
 * - archive write of 5,000,000 trades in 10,000-trade commits (≈ what a recorder commits per 250 ms on a busy
 *   market), vs appending the same trades to a plain JSON-lines file;
 * - reading one symbol's 5,000,000 ticks into Float64Arrays, vs parsing that JSON-lines file and vs pandas
 *   read_csv of the same trades as CSV;
 * - a REST warm start of 24 h of 1m bars from the demo REST server (2 symbols);
 * - a restart to a dashboard: 24 h of 1s bars from 864,000 archived ticks per symbol (warmStart, archive only),
 *   vs pandas read_csv + resample("1s") of the same ticks.
 * Goals (absolute): write ≥ 200k trades/s; read 5M ≤ 1 s; REST warm start ≤ 5 s; restart ≤ 10 s.
 * Run: npx tsx bench/archive.bench.ts
 */
import { appendFileSync, createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report, runPythonReference, seededRandom } from "./harness";
import { SqliteArchive } from "../src/archive";
import { BinanceRestClient, simulatedTradeSource, startDemoRest, warmStart } from "../src/history";

const dir = mkdtempSync(join(tmpdir(), "pairlab-archive-bench-"));
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  // The 24 h cases first, on a small heap (the 5M-trade cases leave hundreds of MB for the GC to walk).
  await dayCases();
  await bigCases();
}

async function bigCases(): Promise<void> {
  // ---- data: 5M trades of one symbol, seeded ----------------------------------------------------------
  const N = 5_000_000;
  const u = seededRandom(11);
  const id = new Float64Array(N), time = new Float64Array(N), price = new Float64Array(N), qty = new Float64Array(N);
  const maker = new Uint8Array(N);
  let t = Date.UTC(2026, 11, 1), p = 100_000;
  for (let i = 0; i < N; i++) {
    id[i] = 7_000_000_000 + i;
    t += Math.floor(u() * 20);
    p = Math.max(1, Math.round((p + (u() - 0.5)) * 10) / 10);
    time[i] = t;
    price[i] = p;
    qty[i] = Math.round(u() * 2000) / 1000 + 0.001;
    maker[i] = u() < 0.5 ? 1 : 0;
  }
  const BATCH = 10_000;

  // ---- write ---------------------------------------------------------------------------------------------
  const file = join(dir, "bench.sqlite");
  const archive = SqliteArchive.open(file);
  let t0 = process.hrtime.bigint();
  for (let a = 0; a < N; a += BATCH) {
    archive.writeTradesSync({ symbol: "btcusdt", id: id.subarray(a, a + BATCH), time: time.subarray(a, a + BATCH), price: price.subarray(a, a + BATCH), qty: qty.subarray(a, a + BATCH), maker: maker.subarray(a, a + BATCH), source: "bench", simulated: true });
  }
  const writeMs = ms(t0);
  const jsonl = join(dir, "bench.jsonl");
  t0 = process.hrtime.bigint();
  for (let a = 0; a < N; a += BATCH) {
    let s = "";
    for (let i = a; i < a + BATCH; i++) s += `{"s":"btcusdt","t":${id[i]},"T":${time[i]},"p":${price[i]},"q":${qty[i]},"m":${maker[i] === 1}}\n`;
    appendFileSync(jsonl, s);
  }
  const jsonWriteMs = ms(t0);
  const rate = N / (writeMs / 1000);
  report({
    case: `archive write 5,000,000 trades (10,000 per commit, SQLite WAL)`,
    oursMs: writeMs, referenceMs: jsonWriteMs, reference: "JSON-lines append (no index, no dedupe)",
    note: `${Math.round(rate).toLocaleString("en")} trades/s (goal >= 200,000/s: ${rate >= 200_000 ? "met" : "NOT met"}); file ${(statSync(file).size / 1e6).toFixed(0)} MB vs ${(statSync(jsonl).size / 1e6).toFixed(0)} MB`,
  });

  // ---- read ----------------------------------------------------------------------------------------------
  let best = Infinity;
  let read = archive.readTradesSync("btcusdt");
  for (let r = 0; r < 3; r++) {
    t0 = process.hrtime.bigint();
    read = archive.readTradesSync("btcusdt");
    best = Math.min(best, ms(t0));
  }
  let same = read.id.length === N;
  for (let i = 0; same && i < N; i++) same = read.price[i] === price[i] && read.time[i] === time[i] && read.id[i] === id[i];
  t0 = process.hrtime.bigint();
  const jt = new Float64Array(N), jp = new Float64Array(N);
  let k = 0;
  for await (const line of createInterface({ input: createReadStream(jsonl), crlfDelay: Infinity })) {
    const o = JSON.parse(line) as { T: number; p: number };
    jt[k] = o.T;
    jp[k] = o.p;
    k++;
  }
  const jsonReadMs = ms(t0);
  report({
    case: "archive read one symbol's 5,000,000 ticks into Float64Arrays",
    oursMs: best, referenceMs: jsonReadMs, reference: "JSON-lines parse (node readline + JSON.parse)",
    note: `goal <= 1000 ms: ${best <= 1000 ? "met" : "NOT met"}; identical to what was written: ${same}`,
  });
  // pandas read_csv of the same trades.
  const csv = join(dir, "bench.csv");
  {
    const parts: string[] = ["id,time_ms,price,qty,buyer_maker\n"];
    for (let a = 0; a < N; a += 100_000) {
      let s = "";
      for (let i = a; i < Math.min(N, a + 100_000); i++) s += `${id[i]},${time[i]},${price[i]},${qty[i]},${maker[i]}\n`;
      parts.push(s);
    }
    writeFileSync(csv, parts.join(""));
  }
  const pd = runPythonReference(`
import pandas as pd
best = 1e18
for r in range(2):
    t0 = time.perf_counter()
    df = pd.read_csv(${JSON.stringify(csv)})
    a = df.time_ms.to_numpy(np.float64); b = df.price.to_numpy(np.float64)
    best = min(best, (time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": best, "n": len(df), "v": pd.__version__}))`);
  report({ case: "archive read 5,000,000 ticks vs pandas read_csv", oursMs: best, referenceMs: pd.ms as number, reference: `pandas ${pd.v} read_csv`, note: `pandas rows ${pd.n}` });
  archive.closeSync();
}

async function dayCases(): Promise<void> {
  let t0: bigint;
  // ---- REST warm start: 24 h of 1m bars, 2 symbols ------------------------------------------------------
  const now = Date.UTC(2026, 11, 7, 12, 0, 30);
  const source = simulatedTradeSource({ symbols: ["btcusdt", "ethusdt"], seed: 1, rate: 10, startTime: now - 24.5 * 3_600_000, now: () => now });
  source.trades("btcusdt", now, now); // the demo exchange has its tape already: generate before timing
  const rest = await startDemoRest({ source, now: () => now });
  try {
    t0 = process.hrtime.bigint();
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const results = await Promise.all(["btcusdt", "ethusdt"].map((symbol) => warmStart({ symbol, interval: "1m", client, now })));
    const warmMs = ms(t0);
    report({
      case: "REST warm start 24 h of 1m bars, 2 symbols (demo REST on 127.0.0.1)",
      oursMs: warmMs, referenceMs: NaN, reference: "n/a",
      note: `goal <= 5000 ms: ${warmMs <= 5000 ? "met" : "NOT met"}; bars ${results.map((r) => r.bars.time.length).join("+")}, requests ${client.stats().requests}, missing ${results.reduce((s, r) => s + r.missing.length, 0)}`,
    });

    // ---- restart to dashboard: 24 h of 1s bars from the archive ---------------------------------------
    const file2 = join(dir, "day.sqlite");
    const day = SqliteArchive.open(file2);
    const ticksCsv = join(dir, "day.csv");
    let csvText = "time_ms,price,qty\n";
    for (const s of ["btcusdt", "ethusdt"]) {
      const tr = source.trades(s, now - 24 * 3_600_000, now)!;
      day.writeTradesSync({ symbol: s, id: tr.id, time: tr.time, price: tr.price, qty: tr.qty, maker: tr.maker, source: "demo", simulated: true });
      if (s === "btcusdt") for (let i = 0; i < tr.id.length; i++) csvText += `${tr.time[i]},${tr.price[i]},${tr.qty[i]}\n`;
    }
    writeFileSync(ticksCsv, csvText);
    day.closeSync();
    t0 = process.hrtime.bigint();
    const reopened = SqliteArchive.open(file2);
    const bars = await Promise.all(["btcusdt", "ethusdt"].map((symbol) => warmStart({ symbol, interval: "1s", archive: reopened, client: null, now })));
    const restartMs = ms(t0);
    reopened.closeSync();
    const pr = runPythonReference(`
import pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(${JSON.stringify(ticksCsv)})
df.index = pd.to_datetime(df.time_ms, unit="ms")
b = df.price.resample("1s").ohlc()
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "bars": len(b), "v": pd.__version__}))`);
    report({
      case: "restart to dashboard: 24 h of 1s bars from the archive, 2 symbols (open + read + resample)",
      oursMs: restartMs, referenceMs: (pr.ms as number) * 2, reference: `pandas ${pr.v} read_csv + resample("1s") ×2 symbols`,
      note: `goal <= 10000 ms: ${restartMs <= 10_000 ? "met" : "NOT met"}; bars ${bars.map((r) => r.bars.time.length).join("+")} (pandas ${pr.bars} per symbol), ticks ${bars.map((r) => r.archivedTrades).join("+")}`,
    });
  } finally {
    await rest.close();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
