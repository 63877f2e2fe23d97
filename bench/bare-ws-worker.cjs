// Worker of bench/ingestion.bench.ts: the bare `ws` client that only counts frames, run in a worker thread
// like pairlab's ingestion, publishing its count in shared memory (Atomics) like pairlab's store.
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const WebSocket = require("ws");

const counter = new Int32Array(workerData.counter);
const ws = new WebSocket(workerData.url, { perMessageDeflate: false });
let n = 0;
ws.on("message", () => {
  Atomics.store(counter, 0, ++n);
  if (n === workerData.frames) {
    ws.terminate();
    parentPort.close();
  }
});
ws.on("error", (e) => {
  throw e;
});
