/**
 * Recording benchmark (not a test). Run: npx tsx bench/recording.bench.ts [frames = 500,000] [repetitions = 3]
 *
 * The cost of recording every stored trade into the archive from the ingestion worker (issue 11): the same
 * pre-framed flood of `@trade` frames from a child process (bench/ingestion-flood.ts) is ingested, alternately,
 * with `archive: "off"` (the reference: ingestion as before) and with `archive: "file:<temp>"` (the history
 * area's recorder in the worker: 100 ms hand-over to an ArchiveWriter committing every 250 ms into SQLite).
 * Ratio = reference time / our time (first → last frame stored, as seen from the kernel thread). After each
 * recording run, `stop()` flushes and the archive is checked to hold every frame once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { report } from "./harness";
import { SqliteArchive } from "../src/archive";
import "../src/history"; // registers the recorder (as the pairlab entry does)
import { startIngestion } from "../src/ingestion";

const FRAMES = Number(process.argv[2] ?? 500_000);
const REPS = Number(process.argv[3] ?? 3);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function child(frames: number): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--require", "tsx/cjs", join(__dirname, "ingestion-flood.ts"), "flood", String(frames), "0"], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    proc.stdout!.on("data", (d: Buffer) => {
      buf += String(d);
      if (buf.includes("\n")) resolve((JSON.parse(buf.split("\n")[0]) as { port: number }).port);
    });
    proc.once("exit", (code) => reject(new Error(`flood child exited ${code}`)));
  });
  return { port, proc };
}

async function run(url: string, archive: string): Promise<{ ms: number; stopMs: number; written: number }> {
  const ing = startIngestion({ symbols: ["btcusdt"], source: url, archive, repairGaps: false, shared: false, quiet: true, env: {} });
  let first = NaN;
  for (;;) {
    const n = ing.store.sequence("btcusdt");
    if (n >= 1 && Number.isNaN(first)) first = performance.now();
    if (n >= FRAMES) break;
    await sleep(2);
  }
  const ms = performance.now() - first;
  const written = ing.stats().recording?.written ?? 0;
  const t0 = performance.now();
  await ing.stop(); // flushes the recorder
  return { ms, stopMs: performance.now() - t0, written };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "pairlab-recbench-"));
  const machine = `${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, load ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString()}`;
  const flood = await child(FRAMES);
  const url = `ws://127.0.0.1:${flood.port}`;
  const off: number[] = [];
  const offStop: number[] = [];
  const on: { ms: number; stopMs: number; written: number; stored: number }[] = [];
  try {
    for (let r = 0; r < REPS; r++) {
      const o = await run(url, "off");
      off.push(o.ms);
      offStop.push(o.stopMs);
      const file = join(dir, `r${r}.sqlite`);
      const x = await run(url, `file:${file}`);
      const a = SqliteArchive.open(file);
      const stored = a.readTradesSync("btcusdt").id.length;
      a.closeSync();
      on.push({ ...x, stored });
    }
  } finally {
    flood.proc.stdin!.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const bestOff = Math.min(...off);
  const bestOn = Math.min(...on.map((x) => x.ms));
  report({
    case: `ingest ${FRAMES.toLocaleString("en-US")} @trade frames while recording every stored trade into SQLite from the ingestion worker`,
    oursMs: bestOn,
    referenceMs: bestOff,
    reference: 'the same ingestion with archive "off"',
    note:
      `best of ${REPS} interleaved runs; recording ${Math.round((FRAMES / bestOn) * 1000).toLocaleString("en-US")} stored trades/s vs ${Math.round((FRAMES / bestOff) * 1000).toLocaleString("en-US")} without; ` +
      `runs on ${on.map((x) => Math.round(x.ms)).join("/")} ms, off ${off.map((x) => Math.round(x)).join("/")} ms; ` +
      `at the last frame the archive had committed ${on.map((x) => x.written).join("/")} trades; stop() ${on.map((x) => Math.round(x.stopMs)).join("/")} ms (with archive "off": ${offStop.map((x) => Math.round(x)).join("/")} ms); ` +
      `archive after stop holds ${on.map((x) => x.stored).join("/")} of ${FRAMES} (every frame once: ${on.every((x) => x.stored === FRAMES)}); ${machine}`,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
