// The ingestion worker thread's entry point (started by ThreadedIngestion; not part of the public API).
// It runs an IngestionRunner — sockets, decoding, dedup, watchdogs, reconnects — and writes the shared
// TickStore. The kernel thread talks to it with: parentPort messages ("listen", "stop", "crash"),
// a SyncCallEnd for stats(), and the store's own announcement port.
import { parentPort, workerData } from "node:worker_threads";
import { IngestionRunner, type NormalizedIngestionOptions } from "./ingestion";
import type { TradeEvent } from "./ingestion-types";
import type { ResolvedSource } from "./resolve-source";
import { serveSyncCalls, type SyncCallEnd } from "./sync-call";
import { TickStore, type SharedTickStoreInit } from "./tick-store";
import { SharedQuoteStore, type SharedQuoteStoreInit } from "./shared-quote-store";
import { TradeBatcher, type TradeQueueInit } from "./trade-batcher";
import { hostService, type HostedService, type HostServiceRequest } from "./worker-service";

/** `workerData` of the ingestion worker. */
export interface IngestionWorkerData {
  options: NormalizedIngestionOptions;
  resolved: ResolvedSource;
  store: SharedTickStoreInit;
  /** The shared book-ticker store (with `quotes: true`). */
  quotes?: SharedQuoteStoreInit;
  stats: SyncCallEnd;
  queue: TradeQueueInit;
  /** Int32 [0]: set to 1 once stats() requests are served. */
  ready: SharedArrayBuffer;
}

/** Messages from the kernel thread. */
export type IngestionWorkerCommand =
  | { type: "listen"; on: boolean }
  | { type: "stop" }
  | { type: "crash"; message: string }
  | ({ type: "host" } & HostServiceRequest);

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error("ingestion-worker must run in a worker thread");
  const data = workerData as IngestionWorkerData;
  const store = TickStore.attachWriter(data.store);
  const runner = new IngestionRunner(data.options, data.resolved, Promise.resolve(), store, data.quotes === undefined ? undefined : SharedQuoteStore.attach(data.quotes));
  runner.thread = "worker";
  const batcher = new TradeBatcher(data.queue, runner.symbols, (batch, transfer) => port.postMessage(batch, transfer));
  runner.onSourceFailure((e) => port.postMessage({ type: "sourceError", source: e.source, message: e.message }));
  let unsubscribe: (() => void) | undefined;
  const services: HostedService[] = [];
  const stopServing = serveSyncCalls(data.stats, () => ({ ...runner.stats(), queueOverflow: batcher.overflow() }));
  port.on("message", (cmd: IngestionWorkerCommand) => {
    if (cmd.type === "listen") {
      if (cmd.on && unsubscribe === undefined) unsubscribe = runner.onTrade((t: TradeEvent) => batcher.push(t));
      else if (!cmd.on && unsubscribe !== undefined) {
        unsubscribe();
        unsubscribe = undefined;
        batcher.flush();
      }
    } else if (cmd.type === "host") {
      services.push(hostService(cmd, { store, quotes: runner.quotes, symbols: runner.symbols, simulated: () => store.simulated }));
    } else if (cmd.type === "stop") {
      void Promise.all(services.map((s) => s.stop().catch(() => undefined))).then(() => runner.stop()).then(() => {
        batcher.flush();
        stopServing();
        data.store.port.close();
        port.postMessage({ type: "stopped" });
        port.close();
      });
    } else if (cmd.type === "crash") {
      // Test hook: an uncaught error in the worker, as a bug would raise.
      setImmediate(() => {
        throw new Error(cmd.message);
      });
    }
  });
  Atomics.store(new Int32Array(data.ready), 0, 1);
}

main();
