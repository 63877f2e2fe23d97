/**
 * Ingestion benchmark (not a test). Run: npx tsx bench/ingestion.bench.ts [frames]
 *
 * 1. Throughput: a separate child process (bench/ingestion-flood.ts) floods 1,000,000 Binance `@trade`
 *    frames over 127.0.0.1 — pre-framed (the receiver is the bottleneck: the real ceiling test), then
 *    formatted while sending (a slower sender, closer to a real feed). In the same run, alternately, a bare `ws` client that only counts frames (the
 *    ceiling of the mandated transport on this machine) and our full ingestion (decode, exactly-once by
 *    id, columnar store) receive them; best of 3 each. Ratio = bare time / our time = our stored
 *    trades/s ÷ bare frames/s. The store is checked against the frames' deterministic content.
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

const FRAMES = Number(process.argv[2] ?? 1_000_000);
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

/** Like {@link bare} but reads every byte of every frame: the floor of any decoder that looks at the whole frame. */
async function touch(url: string, frames: number): Promise<number> {
  const t0 = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let n = 0;
  let sum = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on("message", (d: Buffer) => {
      let local = 0;
      for (let i = 0, len = d.length; i < len; i++) local = (local + d[i]) | 0;
      sum = (sum + local) | 0;
      if (++n === frames) resolve();
    });
    ws.on("error", reject);
  });
  const ms = performance.now() - t0;
  ws.terminate();
  return sum !== 0 ? ms : NaN;
}

async function bare(url: string, frames: number): Promise<{ ms: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on("message", () => {
      if (++n === frames) resolve();
    });
    ws.on("error", reject);
  });
  const ms = performance.now() - t0;
  const cpu = cpuMs(c0);
  ws.terminate();
  return { ms, cpu };
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

async function throughput(mode: "flood" | "format", machine: string): Promise<void> {
  const flood = await child(mode, FRAMES);
  const url = `ws://127.0.0.1:${flood.port}`;
  let bestBare = Infinity;
  let bestOurs = Infinity;
  let cpuBare = Infinity;
  let cpuOurs = Infinity;
  let last: Awaited<ReturnType<typeof ours>> | undefined;
  let bestTouch = Infinity;
  for (let r = 0; r < 3; r++) {
    if (mode === "flood") bestTouch = Math.min(bestTouch, await touch(`${url}/public/stream?streams=btcusdt@trade`, FRAMES));
    const b = await bare(`${url}/public/stream?streams=btcusdt@trade`, FRAMES);
    bestBare = Math.min(bestBare, b.ms);
    cpuBare = Math.min(cpuBare, b.cpu);
    last = await ours(url, FRAMES);
    bestOurs = Math.min(bestOurs, last.ms);
    cpuOurs = Math.min(cpuOurs, last.cpu);
  }
  flood.proc.stdin!.end();
  const ok = last!.stored === FRAMES && last!.maxDiff === 0 && last!.duplicates === 0 && last!.gaps === 0;
  report({
    case: `ingest ${FRAMES.toLocaleString("en-US")} @trade frames from a child process over 127.0.0.1 (${mode === "flood" ? "pre-framed flood: receiver-bound" : "sender formats while sending"})`,
    oursMs: bestOurs,
    referenceMs: bestBare,
    reference: "bare ws 8 client counting frames",
    goal: 0.95,
    note:
      `ours ${Math.round((FRAMES / bestOurs) * 1000).toLocaleString("en-US")} stored trades/s vs bare ${Math.round((FRAMES / bestBare) * 1000).toLocaleString("en-US")} frames/s; ` +
      (mode === "flood" ? `a client that only reads every byte of each frame: ratio ${(bestBare / bestTouch).toFixed(2)}x (the ceiling for any decoder that reads whole frames); ` : "") +
      `receiver CPU per frame: ours ${((cpuOurs / FRAMES) * 1e6).toFixed(0)} ns vs bare ${((cpuBare / FRAMES) * 1e6).toFixed(0)} ns (CPU ratio ${(cpuBare / cpuOurs).toFixed(2)}x); ` +
      `store check ${ok ? "OK" : "FAILED"} (stored ${last!.stored}, max abs diff ${last!.maxDiff}, duplicates ${last!.duplicates}, gaps ${last!.gaps}); ` +
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
