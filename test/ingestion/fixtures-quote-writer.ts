// Worker-thread writer for shared-quote-store race test: ingests `n` book tickers into the shared store, two per ms
// (so every second update conflates the newest row), each row's fields derived from its u so a torn row is visible.
import { parentPort, workerData } from "node:worker_threads";
import { SharedQuoteStore, type SharedQuoteStoreInit } from "../../src/ingestion/shared-quote-store";

const { init, n } = workerData as { init: SharedQuoteStoreInit; n: number };
const store = SharedQuoteStore.attach(init);
for (let u = 1; u <= n; u++) {
  const T = 1_780_000_000_000 + Math.floor(u / 2);
  const bid = 100 + (u % 1000) / 10;
  store.ingest(`{"e":"bookTicker","u":${u},"s":"BTCUSDT","b":"${bid.toFixed(1)}","B":"${(u % 7) + 1}","a":"${(bid + 0.1).toFixed(1)}","A":"${(u % 5) + 1}","T":${T},"E":${T}}`);
}
parentPort!.postMessage("done");
