// Child process of bench/alerts.bench.ts (quote ingestion over WebSocket, the dist/ rows): one receiver in a fresh
// plain `node` process — no tsx, as a notebook kernel loads pairlab — so that start-up CPU is what a user pays.
// argv: <mode: "pairlab" | "bare"> <ws url> <updates in total> <symbols, comma-separated>
//   pairlab: startIngestion({ quotes: true }) from the compiled dist/ (ingestion worker, shared quote store);
//   bare:    a `ws` client in a worker thread that only counts the frames (the receive floor).
// The quote server (bench/fixtures-quote-server.ts) numbers `u` 1, 2, … per symbol, round-robin, so the run is
// complete when every symbol's newest stored `u` is total / symbols (pairlab: read from the shared store, no message)
// or when the worker counted `total` frames (bare). CPU is this process's (all its threads), from just after the call
// that starts the thread; `startupMs` until the first update arrived.
// stdout: one JSON line { cpuMs, startupMs, wallMs, accepted?, conflated?, stored?, rejected? }.
"use strict";
const { join } = require("node:path");
const { Worker } = require("node:worker_threads");

const [mode, url, totalText, symbolsText] = process.argv.slice(2);
const total = Number(totalText);
const syms = symbolsText.split(",");
const cpu = (c) => (c.user + c.system) / 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pairlab() {
  const { startIngestion } = require(join(__dirname, "..", "dist", "ingestion", "index.js"));
  const ing = startIngestion({ symbols: syms, source: url, quotes: true, shared: false, quiet: true, env: {} });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const stored = () => syms.reduce((n, s) => n + ing.quotes.sequence(s), 0);
  while (stored() === 0 && performance.now() - t0 < 10_000) await sleep(2);
  const c1 = process.cpuUsage(c0);
  const last = total / syms.length;
  while (syms.some((s) => (ing.quotes.latest(s)?.updateId ?? 0) < last) && performance.now() - t0 < 30_000) await sleep(20);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const st = ing.stats().quotes;
  const out = {
    cpuMs: cpu(c),
    startupMs: cpu(c1),
    wallMs,
    accepted: syms.reduce((n, s) => n + st.symbols[s].accepted, 0),
    conflated: syms.reduce((n, s) => n + st.symbols[s].conflated, 0),
    stored: syms.reduce((n, s) => n + ing.quotes.size(s), 0),
    rejected: syms.reduce((n, s) => n + Object.values(st.symbols[s].rejected).reduce((x, y) => x + y, 0), 0),
  };
  await ing.stop();
  return out;
}

async function bare() {
  const first = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads"); const WebSocket = require(${JSON.stringify(require.resolve("ws"))});
     const first = new Int32Array(workerData.first);
     const ws = new WebSocket(workerData.url + "/public/stream?streams=" + workerData.syms.map((s) => s + "@bookTicker").join("/"));
     let n = 0; ws.on("message", () => { n++; if (n === 1) Atomics.store(first, 0, 1); if (n === workerData.total) { parentPort.postMessage(n); ws.close(); } });`,
    { eval: true, workerData: { url, syms, total, first: first.buffer } },
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const finished = new Promise((resolve) => w.once("message", resolve));
  while (Atomics.load(first, 0) === 0 && performance.now() - t0 < 10_000) await sleep(2);
  const c1 = process.cpuUsage(c0);
  await finished;
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  await w.terminate();
  return { cpuMs: cpu(c), startupMs: cpu(c1), wallMs };
}

(mode === "bare" ? bare() : pairlab()).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + "\n");
    process.exit(0);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
