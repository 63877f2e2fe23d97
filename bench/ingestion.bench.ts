/**
 * Ingestion benchmark (not a test). Run: npx tsx bench/ingestion.bench.ts [frames = 1,000,000] [repetitions = 5]
 * Env PAIRLAB_BENCH_ONLY: a comma-separated subset of the cases to run — `throughput` (both flood rows), `flood`
 * (pre-framed row only), `format` (sender-bound row only), `kernel`, `reads`, `latency`; unset: all.
 *
 * pairlab ingests in a worker thread and publishes into a SharedArrayBuffer store; every case below is
 * measured from the kernel (main) thread, side by side with its reference in the same run.
 *
 * 1. Throughput: a child process (bench/ingestion-flood.ts) sends 1,000,000 Binance `@trade` frames over
 *    127.0.0.1 — pre-framed (the receiver is the bottleneck) and formatted while sending (sender-bound).
 *    Alternately (best of N, the machine is shared), a bare `ws` client that only counts frames, run in a
 *    worker thread and publishing its count with Atomics (bench/bare-ws-worker.cjs), and pairlab's full
 *    ingestion (decode, validation, exactly-once by id, shared columnar store) over its own RFC 6455 client
 *    (src/ingestion/raw-web-socket.ts). Both are timed the same way: the kernel thread polls the published
 *    count every 2 ms, from the first frame to the last. CPU per frame is the process's (all threads) over
 *    that same first→last window, and also over the whole run including the receiving worker's start-up.
 *    The sending child's CPU over that window is printed per run too (from /proc): in the sender-bound row the
 *    wall time tracks it (the sender is busy the whole window), so it shows how much of a run-to-run
 *    difference is the sender's speed on the shared machine rather than the receiver. Because single runs vary
 *    2–3× on the shared machine, the note also counts the interleaved pairs ours won and gives their median ratio,
 *    and the CPU per frame of every run.
 *    Ratio = bare time / our time = our stored trades/s ÷ bare frames/s. The store is checked against the
 *    frames' deterministic content.
 * 2. Kernel-thread cost while not reading: event-loop active time of the kernel thread
 *    (`performance.eventLoopUtilization`) during a flood it only checks every 100 ms, per stored trade.
 * 3. Reads: `store.ticks()` of 5,000,000 ticks of one symbol written by another thread, vs a plain copy of
 *    the same three contiguous columns (`Float64Array.slice`, the memory-bandwidth floor of any copy); and the
 *    zero-copy `store.views()` (+ its `valid()` check) of the same ticks against the same reference, with a
 *    pass over every value through the views vs the same pass over contiguous columns; and a bar feed's
 *    first read of those ticks (it folds the views) vs the same feed over `ticksSince` copies.
 * 4. Latency at 10,000 trades/s: from the worker's `ws` message event to the tick being visible in the store
 *    on the kernel thread (which checks `store.sequence` every 1 ms: an upper bound incl. the polling
 *    granularity), and to its `onTrade` delivery there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";
import { performance as perfHooks } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { report } from "./harness";
import { startIngestion } from "../src/ingestion";
import { TickStore } from "../src/ingestion/tick-store";
import { barFeed } from "../src/pair/bar-feed";

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 5);
const priceOf = (id: number): number => 100_000 + (id % 1000) / 10;
const qtyOf = (id: number): number => Number((0.001 * (1 + (id % 97))).toFixed(3));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const eventLoopUtilization = perfHooks.eventLoopUtilization.bind(perfHooks);

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

interface Run {
  /** First → last frame, as seen by the kernel thread's 2 ms poll (ms). */
  ms: number;
  /** Process CPU (all threads) over the run, ms (incl. the receiving worker's start-up). */
  cpu: number;
  /** Process CPU (all threads) from the first to the last frame seen by the poll, ms (the receive path only). */
  cpuFlow: number;
  /** Kernel-thread event-loop active time over the run, ms. */
  kernelActive: number;
  /** CPU of the sending child process from the first to the last frame, ms (NaN where /proc is unreadable). */
  senderCpu: number;
}

/** CPU time (user + system) of process `pid` so far, ms, from /proc (10 ms resolution); NaN off Linux. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return NaN;
  }
}

/** Polls `count()` every `everyMs` until it reaches `frames`; times first → last as seen by the poll. */
async function timeCount(count: () => number, frames: number, everyMs: number, senderPid?: number): Promise<Run> {
  const c0 = process.cpuUsage();
  const elu0 = eventLoopUtilization();
  let first = NaN;
  let c1 = c0;
  let s1 = NaN;
  for (;;) {
    const n = count();
    if (n >= 1 && Number.isNaN(first)) {
      first = performance.now();
      c1 = process.cpuUsage();
      s1 = processCpuMs(senderPid);
    }
    if (n >= frames) break;
    await sleep(everyMs);
  }
  const ms = performance.now() - first;
  const senderCpu = processCpuMs(senderPid) - s1;
  const u = process.cpuUsage(c0);
  const f = process.cpuUsage(c1);
  const elu = eventLoopUtilization(elu0);
  return { ms, cpu: (u.user + u.system) / 1000, cpuFlow: (f.user + f.system) / 1000, kernelActive: elu.active, senderCpu };
}

async function bare(url: string, frames: number, senderPid?: number): Promise<Run> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(join(__dirname, "bare-ws-worker.cjs"), { workerData: { url, frames, counter: counter.buffer } });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const run = await timeCount(() => Atomics.load(counter, 0), frames, 2, senderPid);
  await exited;
  return run;
}

async function ours(url: string, frames: number, everyMs: number, senderPid?: number): Promise<Run & { ok: boolean; detail: string; bytesPerTick: number }> {
  const ing = startIngestion({ symbols: ["btcusdt"], source: url, shared: false, quiet: true, env: {} });
  const run = await timeCount(() => ing.store.sequence("btcusdt"), frames, everyMs, senderPid);
  const s = ing.stats().symbols.btcusdt;
  const t = ing.store.ticks("btcusdt");
  let maxDiff = 0;
  for (let i = 0; i < t.time.length; i++) {
    const id = t.time[i] - 1_700_000_000_000;
    maxDiff = Math.max(maxDiff, Math.abs(id - (i + 1)), Math.abs(t.price[i] - priceOf(id)), Math.abs(t.qty[i] - qtyOf(id)));
  }
  const bytesPerTick = ing.store.bytes("btcusdt") / ing.store.size("btcusdt");
  await ing.stop();
  const ok = t.time.length === frames && maxDiff === 0 && s.duplicates === 0 && s.gaps === 0;
  return { ...run, ok, detail: `stored ${t.time.length}, max abs diff ${maxDiff}, duplicates ${s.duplicates}, gaps ${s.gaps}`, bytesPerTick };
}

const best = (runs: Run[]): Run => ({
  ms: Math.min(...runs.map((r) => r.ms)),
  cpu: Math.min(...runs.map((r) => r.cpu)),
  cpuFlow: Math.min(...runs.map((r) => r.cpuFlow)),
  kernelActive: Math.min(...runs.map((r) => r.kernelActive)),
  senderCpu: Math.min(...runs.map((r) => r.senderCpu)),
});
const perFrameNs = (ms: number, frames = FRAMES): string => ((ms / frames) * 1e6).toFixed(0);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function throughput(mode: "flood" | "format", machine: string): Promise<void> {
  const flood = await child(mode, FRAMES);
  const url = `ws://127.0.0.1:${flood.port}`;
  const bareRuns: Run[] = [];
  const oursRuns: Run[] = [];
  let allOk = true;
  let detail = "";
  let bytesPerTick = NaN;
  for (let r = 0; r < REPS; r++) {
    bareRuns.push(await bare(`${url}/public/stream?streams=btcusdt@trade`, FRAMES, flood.proc.pid));
    const o = await ours(url, FRAMES, 2, flood.proc.pid);
    oursRuns.push(o);
    allOk &&= o.ok;
    detail = o.detail;
    bytesPerTick = o.bytesPerTick;
  }
  flood.proc.stdin!.end();
  const b = best(bareRuns);
  const o = best(oursRuns);
  report({
    case: `ingest ${FRAMES.toLocaleString("en-US")} @trade frames in a worker thread from a child process over 127.0.0.1 (${mode === "flood" ? "pre-framed flood: receiver-bound" : "sender formats while sending: sender-bound"})`,
    oursMs: o.ms,
    referenceMs: b.ms,
    reference: "bare ws 8 client counting frames in a worker thread",
    goal: 1.0,
    note:
      `best of ${REPS} interleaved runs, first→last frame as seen from the kernel thread; ours ${Math.round((FRAMES / o.ms) * 1000).toLocaleString("en-US")} stored trades/s vs bare ${Math.round((FRAMES / b.ms) * 1000).toLocaleString("en-US")} frames/s; ` +
      `process CPU per frame (all threads) from the first to the last frame: ours ${perFrameNs(o.cpuFlow)} ns vs bare ${perFrameNs(b.cpuFlow)} ns (ratio ${(b.cpuFlow / o.cpuFlow).toFixed(2)}), ` +
      `incl. the receiving worker's start-up: ours ${perFrameNs(o.cpu)} ns vs bare ${perFrameNs(b.cpu)} ns; ` +
      `wall per run ours ${oursRuns.map((x) => Math.round(x.ms)).join("/")} ms, bare ${bareRuns.map((x) => Math.round(x.ms)).join("/")} ms ` +
      `(ours faster in ${oursRuns.filter((x, k) => x.ms < bareRuns[k].ms).length} of ${REPS} interleaved pairs; median ratio ${median(bareRuns.map((x, k) => x.ms / oursRuns[k].ms)).toFixed(2)}; ` +
      `CPU per frame per run ours ${oursRuns.map((x) => perFrameNs(x.cpuFlow)).join("/")} ns, bare ${bareRuns.map((x) => perFrameNs(x.cpuFlow)).join("/")} ns); ` +
      `sender child CPU over the same window per run: with ours ${oursRuns.map((x) => Math.round(x.senderCpu)).join("/")} ms, with bare ${bareRuns.map((x) => Math.round(x.senderCpu)).join("/")} ms; ` +
      `store check ${allOk ? "OK" : "FAILED"} in every run (last: ${detail}); ${bytesPerTick.toFixed(2)} bytes/stored tick at default capacity; ${machine}`,
  });
}

async function kernelCost(machine: string): Promise<void> {
  const flood = await child("flood", FRAMES);
  const url = `ws://127.0.0.1:${flood.port}`;
  const runs: Run[] = [];
  for (let r = 0; r < Math.min(REPS, 3); r++) runs.push(await ours(url, FRAMES, 100));
  flood.proc.stdin!.end();
  const o = best(runs);
  report({
    case: `kernel-thread CPU per stored trade while not reading (flood of ${FRAMES.toLocaleString("en-US")}, kernel checks every 100 ms)`,
    oursMs: o.kernelActive / FRAMES,
    referenceMs: NaN,
    reference: "n/a (absolute; goal ≈ 0)",
    note:
      `kernel event loop active ${o.kernelActive.toFixed(2)} ms over a ${Math.round(o.ms)} ms flood = ${((o.kernelActive / FRAMES) * 1e6).toFixed(2)} ns per trade ` +
      `(the 100 ms checks and the worker's start included), vs process CPU ${perFrameNs(o.cpu)} ns per trade in all threads; best of ${runs.length}; ${machine}`,
  });
}

async function reads(machine: string): Promise<void> {
  const N = 5_000_000;
  const { reader, writerInit } = TickStore.createShared(N, ["btcusdt"]);
  const tsx = require.resolve("tsx/cjs");
  const writer = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(join(__dirname, "../test/ingestion/fixtures-store-writer.ts"))});`, {
    eval: true,
    workerData: { init: writerInit, count: N },
    transferList: [writerInit.port],
  });
  await new Promise((r) => writer.once("exit", r));
  let sum = 0;
  const oursTimes: number[] = [];
  const refTimes: number[] = [];
  // Reference: the same amount of data in three contiguous columns, copied with slice().
  const time = new Float64Array(N).map((_, i) => i);
  const price = time.map((x) => 2 * x);
  const qty = time.map((x) => 3 * x);
  for (let r = 0; r < 6; r++) {
    let t0 = performance.now();
    const t = reader.ticks("btcusdt");
    oursTimes.push(performance.now() - t0);
    sum += t.time[N - 1] + t.price.length;
    t0 = performance.now();
    const c = { time: time.slice(), price: price.slice(), qty: qty.slice() };
    refTimes.push(performance.now() - t0);
    sum += c.time[N - 1];
  }
  let t0 = performance.now();
  const since = reader.ticksSince("btcusdt", N - 10_000);
  const sinceMs = performance.now() - t0;
  t0 = performance.now();
  for (let k = 0; k < 1_000; k++) sum += reader.sequence("btcusdt");
  const seqUs = ((performance.now() - t0) / 1_000) * 1000;
  const ok = since.ticks.time.length === 10_000 && since.ticks.price[9_999] === 2 * (N - 1);
  const o = Math.min(...oursTimes.slice(1));
  const ref = Math.min(...refTimes.slice(1));
  // Zero-copy path: store.views (per-block subarrays of the shared blocks) + the seqlock check; and the same
  // with a pass that reads every value of the 3 columns, against that pass over the contiguous reference columns.
  const viewTimes: number[] = [];
  const viewPassTimes: number[] = [];
  const plainPassTimes: number[] = [];
  let viewOk = true;
  const pass3 = (t: Float64Array, p: Float64Array, q: Float64Array): number => {
    let acc = 0;
    for (let i = 0; i < t.length; i++) acc += t[i] + p[i] + q[i];
    return acc;
  };
  for (let r = 0; r < 6; r++) {
    t0 = performance.now();
    const v = reader.views("btcusdt");
    const valid = v.valid();
    viewTimes.push(performance.now() - t0);
    viewOk &&= valid && v.length === N && v.blocks[v.blocks.length - 1].price[v.blocks[v.blocks.length - 1].price.length - 1] === 2 * (N - 1);
    t0 = performance.now();
    const w = reader.views("btcusdt");
    let acc = 0;
    for (const b of w.blocks) acc += pass3(b.time, b.price, b.qty);
    viewOk &&= w.valid();
    viewPassTimes.push(performance.now() - t0);
    t0 = performance.now();
    const accPlain = pass3(time, price, qty);
    plainPassTimes.push(performance.now() - t0);
    viewOk &&= acc === accPlain;
    sum += v.blocks.length;
  }
  const ov = Math.min(...viewTimes.slice(1));
  const ovPass = Math.min(...viewPassTimes.slice(1));
  const plainPass = Math.min(...plainPassTimes.slice(1));
  const blocks = reader.views("btcusdt").blocks.length;
  // The caller that uses it: a bar feed's first (catch-up) read of the 5M ticks, through views vs copy-only.
  const feedViews: number[] = [];
  const feedCopy: number[] = [];
  let feedSame = true;
  for (let r = 0; r < 4; r++) {
    t0 = performance.now();
    const a = barFeed(reader, "btcusdt", "1m").bars();
    feedViews.push(performance.now() - t0);
    t0 = performance.now();
    const b = barFeed({ ticksSince: (s, q) => reader.ticksSince(s, q) }, "btcusdt", "1m").bars();
    feedCopy.push(performance.now() - t0);
    feedSame &&= a.close.length === b.close.length && a.close.every((x, i) => x === b.close[i]) && a.volume.every((x, i) => x === b.volume[i]);
  }
  const fv = Math.min(...feedViews.slice(1));
  const fc = Math.min(...feedCopy.slice(1));
  reader.closeInbox();
  report({
    case: "barFeed(store, symbol, \"1m\") first read of 5,000,000 stored ticks: zero-copy views vs the copy path (ticksSince)",
    oursMs: fv,
    referenceMs: fc,
    reference: "the same feed over ticksSince copies",
    note: `bars identical: ${feedSame ? "OK" : "FAILED"}; best of 3 after a warm-up (views ${feedViews.map((x) => x.toFixed(0)).join("/")} ms, copy ${feedCopy.map((x) => x.toFixed(0)).join("/")} ms); ${machine}`,
  });
  report({
    case: "read 5,000,000 ticks of one symbol zero-copy (store.views: per-block Float64Array views + valid()) written by the worker thread",
    oursMs: ov,
    referenceMs: ref,
    reference: "Float64Array.slice of the same 3 contiguous columns",
    note:
      `goal ≤ 20 ms (absolute): ${ov <= 20 ? "met" : "NOT met"} — ${blocks} views, no tick copied; best of 5 after a warm-up (${viewTimes.map((x) => x.toFixed(3)).join("/")} ms); ` +
      `views + one pass summing every value of the 3 columns + valid(): ${ovPass.toFixed(1)} ms vs the same pass over the contiguous reference columns ${plainPass.toFixed(1)} ms ` +
      `(sums equal and views valid: ${viewOk ? "OK" : "FAILED"}); copy path store.ticks: ${o.toFixed(1)} ms; ${machine}`,
  });
  report({
    case: "read 5,000,000 ticks of one symbol (store.ticks: 3 columns, copies) written by the worker thread",
    oursMs: o,
    referenceMs: ref,
    reference: "Float64Array.slice of the same 3 contiguous columns",
    note:
      `goal ≤ 20 ms (absolute): ${o <= 20 ? "met" : "NOT met"} — copy-bound: 120 MB of fresh columns (page faults + memory bandwidth), as the slice floor shows; ` +
      `best of 5 after a warm-up (ours ${oursTimes.map((x) => x.toFixed(0)).join("/")} ms); ticksSince of the newest 10,000: ${sinceMs.toFixed(3)} ms (check ${ok ? "OK" : "FAILED"}); ` +
      `store.sequence: ${seqUs.toFixed(3)} µs; checksum ${sum > 0 ? "ok" : "?"}; ${machine}`,
  });
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function latency(machine: string): Promise<void> {
  const RATE = 10_000;
  const N = RATE * 5;
  const paced = await child("paced", N, RATE);
  const ing = startIngestion({ symbols: ["btcusdt"], source: `ws://127.0.0.1:${paced.port}`, shared: false, quiet: true, env: {} });
  const visibleAt = new Float64Array(N);
  const receivedAt = new Float64Array(N);
  const deliveredAt = new Float64Array(N);
  const sendTime = new Float64Array(N);
  let events = 0;
  ing.onTrade((t) => {
    if (events < N) {
      deliveredAt[events] = performance.now();
      receivedAt[events] = t.receivedAt;
      sendTime[events] = t.time;
      events++;
    }
  });
  // The kernel thread checks the store's publish count every 1 ms timer tick (a spin would take a core from
  // the worker on a 2-core machine): the measured latency includes up to one tick of polling granularity.
  let seen = 0;
  while (seen < N || events < N) {
    const s = Math.min(N, ing.store.sequence("btcusdt"));
    if (s > seen) {
      const now = performance.now();
      for (; seen < s; seen++) visibleAt[seen] = now;
    }
    await sleep(1);
  }
  await ing.stop();
  paced.proc.stdin!.end();
  const from = RATE / 2; // drop the first 0.5 s (worker start, JIT warm-up)
  const vis = new Float64Array(N - from);
  const del = new Float64Array(N - from);
  const e2e = new Float64Array(N - from);
  for (let k = from; k < N; k++) {
    // Visible on the kernel thread: at the first of its two observations there (store poll, onTrade delivery).
    vis[k - from] = Math.min(visibleAt[k], deliveredAt[k]) - receivedAt[k];
    del[k - from] = deliveredAt[k] - receivedAt[k];
    e2e[k - from] = performance.timeOrigin + visibleAt[k] - sendTime[k];
  }
  vis.sort();
  del.sort();
  e2e.sort();
  const p99 = quantile(vis, 0.99);
  report({
    case: "p99 receive (worker) → visible in the store on the kernel thread, at 10,000 trades/s",
    oursMs: p99,
    referenceMs: NaN,
    reference: "n/a (absolute; goal ≤ 5 ms)",
    note:
      `goal ≤ 5 ms: ${p99 <= 5 ? "met" : "NOT met"}; visible p50 ${(quantile(vis, 0.5) * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs, max ${(vis[vis.length - 1] * 1000).toFixed(1)} µs; ` +
      `onTrade delivery on the kernel thread p50 ${quantile(del, 0.5).toFixed(3)} ms, p99 ${quantile(del, 0.99).toFixed(3)} ms; ` +
      `child send → visible p50 ${quantile(e2e, 0.5).toFixed(2)} ms, p99 ${quantile(e2e, 0.99).toFixed(2)} ms (T has 1 ms resolution); ${N - from} trades after a 0.5 s warm-up; ${machine}`,
  });
}

async function main(): Promise<void> {
  const machine = `${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, load average ${os.loadavg()[0].toFixed(1)} at start, node ${process.version}, ${new Date().toISOString()}`;
  const only = process.env.PAIRLAB_BENCH_ONLY ?? "";
  const rows = only.split(",");
  for (const mode of ["flood", "format"] as const) if (!only || rows.includes("throughput") || rows.includes(mode)) await throughput(mode, machine);
  if (!only || only.includes("kernel")) await kernelCost(machine);
  if (!only || only.includes("reads")) await reads(machine);
  if (!only || only.includes("latency")) await latency(machine);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
