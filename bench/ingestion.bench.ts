/**
 * Ingestion benchmark (not a test). Run: npx tsx bench/ingestion.bench.ts [frames]
 *
 * Usage: npx tsx bench/ingestion.bench.ts [frames = 1,000,000] [repetitions = 5]
 *
 * 1. Throughput: a separate child process (bench/ingestion-flood.ts) floods 1,000,000 Binance `@trade`
 *    frames over 127.0.0.1 — pre-framed (the receiver is the bottleneck: the real ceiling test), then
 *    formatted while sending (a slower sender, closer to a real feed). In the same run, alternately, a bare `ws` client that only counts frames (the
 *    ceiling of the mandated transport on this machine) and our full ingestion (decode, exactly-once by
 *    id, columnar store) receive them; best of N each (the machine is shared: the best run is the least
 *    disturbed one). Ratio = best bare wall time / best our wall time = our stored trades/s ÷ bare frames/s
 *    (unchanged meaning). Next to it, the receiver's CPU time per frame (process.cpuUsage, user + system,
 *    best of N) for every client, which other load on the machine disturbs much less than wall time, and
 *    two attribution clients on the flood: one that reads every byte of each frame (the floor of any
 *    decoder that looks at the whole frame) and one that runs only our decoder (`decodeFrame`) on each
 *    frame. The store is checked against the frames' deterministic content.
 * 2. Bytes per stored tick (allocated column bytes / stored ticks).
 * 3. p99 receive→store latency at 10,000 trades/s (paced child): from the `ws` message event to the
 *    end of the synchronous store append, plus the end-to-end send→store latency.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import os from "node:os";
import WebSocket from "ws";
import { report } from "./harness";
import { startIngestion } from "../src/ingestion";
import { createDecodedTrade, decodeFrame } from "../src/ingestion/decode-frame";

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 5);
const priceOf = (id: number): number => 100_000 + (id % 1000) / 10;
const qtyOf = (id: number): number => Number((0.001 * (1 + (id % 97))).toFixed(3));

async function child(mode: "flood" | "format" | "paced", frames: number, rate = 0): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--require", "tsx/cjs", join(__dirname, "ingestion-flood.ts"), mode, String(frames), String(rate)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    proc.stdout!.on("data", (d: Buffer) => {
      buf += String(d);
      const line = buf.split("\n")[0];
      if (buf.includes("\n")) resolve((JSON.parse(line) as { port: number }).port);
    });
    proc.once("exit", (code) => reject(new Error(`flood child exited ${code}`)));
  });
  return { port, proc };
}

/** CPU time (user + system, ms) of this process since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

interface Run {
  ms: number;
  cpu: number;
}

/**
 * A bare `ws` client with a per-frame body: nothing (the ceiling), reading every byte (the floor of any
 * decoder that reads whole frames), or our decoder alone (attribution). Wall ms and receiver CPU ms.
 */
async function client(url: string, frames: number, body: "count" | "touch" | "decode"): Promise<Run> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let n = 0;
  let sum = 0;
  const out = createDecodedTrade();
  await new Promise<void>((resolve, reject) => {
    ws.on(
      "message",
      body === "count"
        ? () => {
            if (++n === frames) resolve();
          }
        : body === "touch"
          ? (d: Buffer) => {
              let local = 0;
              for (let i = 0, len = d.length; i < len; i++) local = (local + d[i]) | 0;
              sum = (sum + local) | 0;
              if (++n === frames) resolve();
            }
          : (d: Buffer) => {
              if (decodeFrame(d, out) === "trade") sum++;
              if (++n === frames) resolve();
            },
    );
    ws.on("error", reject);
  });
  const ms = performance.now() - t0;
  const cpu = cpuMs(c0);
  ws.terminate();
  if (body === "decode" && sum !== frames) throw new Error(`decoder-only client: ${sum} of ${frames} frames decoded as trades`);
  return { ms, cpu: body === "touch" && sum === 0 ? NaN : cpu };
}

async function ours(url: string, frames: number): Promise<{ ms: number; cpu: number; maxDiff: number; stored: number; bytesPerTick: number; duplicates: number; gaps: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ing = startIngestion({ symbols: ["btcusdt"], source: url, shared: false, quiet: true, env: {} });
  await new Promise<void>((resolve) => {
    const poll = (): void => {
      if (ing.store.sequence("btcusdt") >= frames) resolve();
      else setTimeout(poll, 1);
    };
    poll();
  });
  const ms = performance.now() - t0;
  const cpu = cpuMs(c0);
  const s = ing.stats().symbols.btcusdt;
  const t = ing.store.ticks("btcusdt");
  let maxDiff = 0;
  for (let i = 0; i < t.time.length; i++) {
    const id = t.time[i] - 1_700_000_000_000;
    maxDiff = Math.max(maxDiff, Math.abs(id - (i + 1)), Math.abs(t.price[i] - priceOf(id)), Math.abs(t.qty[i] - qtyOf(id)));
  }
  const bytesPerTick = ing.store.bytes("btcusdt") / ing.store.size("btcusdt");
  await ing.stop();
  return { ms, cpu, maxDiff, stored: t.time.length, bytesPerTick, duplicates: s.duplicates, gaps: s.gaps };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** ns per frame from a CPU or wall time in ms. */
const nsPerFrame = (ms: number): string => ((ms / FRAMES) * 1e6).toFixed(0);

async function throughput(mode: "flood" | "format", machine: string): Promise<void> {
  const flood = await child(mode, FRAMES);
  const url = `ws://127.0.0.1:${flood.port}`;
  const stream = `${url}/public/stream?streams=btcusdt@trade`;
  const best = (runs: Run[]): Run => ({ ms: Math.min(...runs.map((r) => r.ms)), cpu: Math.min(...runs.map((r) => r.cpu)) });
  const bareRuns: Run[] = [];
  const oursRuns: Run[] = [];
  const touchRuns: Run[] = [];
  const decodeRuns: Run[] = [];
  let last: Awaited<ReturnType<typeof ours>> | undefined;
  let allOk = true;
  // Interleaved, so slow phases of the shared machine hit every client alike.
  for (let r = 0; r < REPS; r++) {
    bareRuns.push(await client(stream, FRAMES, "count"));
    last = await ours(url, FRAMES);
    oursRuns.push(last);
    allOk &&= last.stored === FRAMES && last.maxDiff === 0 && last.duplicates === 0 && last.gaps === 0;
    if (mode === "flood") {
      touchRuns.push(await client(stream, FRAMES, "touch"));
      decodeRuns.push(await client(stream, FRAMES, "decode"));
    }
  }
  flood.proc.stdin!.end();
  const b = best(bareRuns);
  const o = best(oursRuns);
  const attribution =
    mode === "flood"
      ? (() => {
          const t = best(touchRuns);
          const d = best(decodeRuns);
          return (
            `attribution (best CPU ns/frame): bare ws ${nsPerFrame(b.cpu)}, + reading every byte ${nsPerFrame(t.cpu)} (wall ratio ${(b.ms / t.ms).toFixed(2)}x: ` +
            `the ceiling of any decoder that reads whole frames), + our decoder only ${nsPerFrame(d.cpu)} (wall ratio ${(b.ms / d.ms).toFixed(2)}x), full ingestion ${nsPerFrame(o.cpu)}; ` +
            `0.95x would leave ${nsPerFrame(b.cpu / 0.95 - b.cpu)} ns/frame above bare ws for decoding, dedup and storage, vs ${nsPerFrame(t.cpu - b.cpu)} ns just to read each byte once; `
          );
        })()
      : "";
  report({
    case: `ingest ${FRAMES.toLocaleString("en-US")} @trade frames from a child process over 127.0.0.1 (${mode === "flood" ? "pre-framed flood: receiver-bound" : "sender formats while sending"})`,
    oursMs: o.ms,
    referenceMs: b.ms,
    reference: "bare ws 8 client counting frames",
    goal: 0.95,
    note:
      `best of ${REPS} interleaved runs; ours ${Math.round((FRAMES / o.ms) * 1000).toLocaleString("en-US")} stored trades/s vs bare ${Math.round((FRAMES / b.ms) * 1000).toLocaleString("en-US")} frames/s; ` +
      `receiver CPU per frame: ours ${nsPerFrame(o.cpu)} ns vs bare ${nsPerFrame(b.cpu)} ns (CPU ratio ${(b.cpu / o.cpu).toFixed(2)}x); ` +
      `wall per run ours ${oursRuns.map((r) => Math.round(r.ms)).join("/")} ms, bare ${bareRuns.map((r) => Math.round(r.ms)).join("/")} ms; ` +
      attribution +
      `store check ${allOk ? "OK" : "FAILED"} in every run (last: stored ${last!.stored}, max abs diff ${last!.maxDiff}, duplicates ${last!.duplicates}, gaps ${last!.gaps}); ` +
      `${last!.bytesPerTick.toFixed(2)} bytes/stored tick at default capacity; ${machine}`,
  });
}

async function main(): Promise<void> {
  const machine = `${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, node ${process.version}, ${new Date().toISOString()}`;
  // 1. Throughput: pre-framed flood (receiver-bound: the ceiling), then a sender that formats as it sends.
  for (const mode of ["flood", "format"] as const) await throughput(mode, machine);

  // 2. Latency at 10k trades/s for 5 s.
  const RATE = 10_000;
  const N = RATE * 5;
  const paced = await child("paced", N, RATE);
  const ing = startIngestion({ symbols: ["btcusdt"], source: `ws://127.0.0.1:${paced.port}`, shared: false, quiet: true, env: {} });
  const recvToStore = new Float64Array(N);
  const sendToStore = new Float64Array(N);
  let k = 0;
  const done = new Promise<void>((resolve) => {
    ing.onTrade((t) => {
      const now = performance.now();
      if (k < N) {
        recvToStore[k] = now - t.receivedAt;
        sendToStore[k] = performance.timeOrigin + now - t.time;
        k++;
      }
      if (k === N) resolve();
    });
  });
  await done;
  const rate = N / ((ing.store.ticks("btcusdt").time[N - 1] - ing.store.ticks("btcusdt").time[0]) / 1000);
  await ing.stop();
  paced.proc.stdin!.end();
  const warm = (a: Float64Array): Float64Array => a.slice(RATE / 2).sort(); // drop the first 0.5 s (JIT warm-up)
  const r = warm(recvToStore);
  const s = warm(sendToStore);
  report({
    case: "p99 receive→store latency at 10,000 trades/s",
    oursMs: quantile(r, 0.99),
    referenceMs: NaN,
    reference: "n/a (absolute)",
    note:
      `receive→store p50 ${(quantile(r, 0.5) * 1000).toFixed(1)} µs, p99 ${(quantile(r, 0.99) * 1000).toFixed(1)} µs, max ${(r[r.length - 1] * 1000).toFixed(1)} µs; ` +
      `child send→store p50 ${quantile(s, 0.5).toFixed(3)} ms, p99 ${quantile(s, 0.99).toFixed(3)} ms; measured rate ${Math.round(rate)} trades/s over ${N} trades; ${machine}`,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
