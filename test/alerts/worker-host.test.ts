import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

const dist = join(__dirname, "..", "..", "dist", "internal.js"); // AlertEngine is internal (src/internal.ts)

// The engine has no tie to the kernel thread (Node, fs and http only), so the lead can host it in the ingestion
// worker. This runs it in a worker thread on a timer-driven bar source and keeps the main thread busy meanwhile.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const pl = require(workerData.dist);
const listeners = new Set();
let i = 0;
const source = { interval: 1000, simulated: true, subscribe(l) { listeners.add(l); return () => listeners.delete(l); } };
const engine = new pl.AlertEngine({ rules: [{ kind: "price-move", id: "flip", symbol: "x", window: 1, percent: 0.5 }], liveFrom: 0 });
engine.attach(source);
const fired = [];
engine.onAlert((a) => fired.push(performance.timeOrigin + performance.now()));
const timer = setInterval(() => { const c = [100, 101, 101, 100][i % 4]; for (const l of listeners) l({ time: i * 1000, closed: true, close: { x: c } }); i++; }, 10);
parentPort.on("message", async (m) => {
  if (m === "stop") { clearInterval(timer); await engine.stop(); parentPort.postMessage({ bars: engine.status().closedBars, fired }); }
});
`;

describe("AlertEngine hosted in a worker thread", () => {
  it("keeps evaluating and firing while the main thread is blocked by a long synchronous cell", async () => {
    expect(existsSync(dist), "dist/internal.js missing: run `npm run build` (npm test builds first)").toBe(true);
    const worker = new Worker(WORKER, { eval: true, workerData: { dist } });
    await new Promise((r) => setTimeout(r, 300));
    const busyFrom = performance.timeOrigin + performance.now();
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      /* a cell computing for 1.5 s */
    }
    const busyTo = performance.timeOrigin + performance.now();
    worker.postMessage("stop");
    const result = await new Promise<{ bars: number; fired: number[] }>((resolve) => worker.once("message", resolve));
    await worker.terminate();
    const duringBusy = result.fired.filter((t) => t > busyFrom && t < busyTo).length;
    expect(result.bars).toBeGreaterThan(40); // 10 ms timer on a loaded 2-core machine
    expect(duringBusy).toBeGreaterThan(10); // a ±1 % flip every 2 bars of ≥ 10 ms: up to 75 alerts in 1.5 s
  });
});
