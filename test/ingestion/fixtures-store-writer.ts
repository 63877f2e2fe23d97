// Worker of tick-store-shared.test.ts: appends `count` ticks (time = i, price = 2i, qty = 3i) to a shared
// TickStore as fast as it can, then posts "done".
import { parentPort, workerData } from "node:worker_threads";
import { TickStore, type SharedTickStoreInit } from "../../src/ingestion/tick-store";

const { init, count } = workerData as { init: SharedTickStoreInit; count: number };
const store = TickStore.attachWriter(init);
for (let i = 0; i < count; i++) store.append("btcusdt", i, 2 * i, 3 * i);
parentPort?.postMessage("done");
init.port.close();
