// Child process of ingestion.test.ts: starts an ingestion on the in-process demo exchange, waits for a few
// trades and never calls stop(). The process must exit on its own (sockets and timers are unref'd).
import { startIngestion } from "../../src/ingestion/start-ingestion";

const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", demo: { historyMs: 1000, rate: 50 }, quiet: true, env: {} });
void ing.waitForTrades(5).then(() => console.log(`${ing.stats().status} ${ing.stats().label}`));
