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
import type { WorkerExtensionInstance, WorkerExtensionModule, WorkerExtensionSpec } from "./worker-extension";

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
  /** Higher layers' worker modules (recording, gap repair, replay), see worker-extension.ts. */
  extensions?: WorkerExtensionSpec[];
}

/** Messages from the kernel thread. */
export type IngestionWorkerCommand =
  | { type: "listen"; on: boolean }
  | { type: "stop" }
  | { type: "crash"; message: string }
  | ({ type: "host" } & HostServiceRequest);

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("ingestion-worker must run in a worker thread");
  const data = workerData as IngestionWorkerData;
  const store = TickStore.attachWriter(data.store);
  const modules = (data.extensions ?? []).map((e) => ({ spec: e, mod: require(e.module) as WorkerExtensionModule }));
  let resolved = data.resolved;
  for (const { spec, mod } of modules) resolved = (await mod.prepare?.(spec.config, resolved, data.options)) ?? resolved;
  const runner = new IngestionRunner(data.options, resolved, Promise.resolve(), store, data.quotes === undefined ? undefined : SharedQuoteStore.attach(data.quotes));
  const attached: WorkerExtensionInstance[] = modules.map(({ spec, mod }) => mod.attach(runner, spec.config));
  runner.thread = "worker";
  const batcher = new TradeBatcher(data.queue, runner.symbols, (batch, transfer) => port.postMessage(batch, transfer));
  runner.onSourceFailure((e) => port.postMessage({ type: "sourceError", source: e.source, message: e.message }));
  let unsubscribe: (() => void) | undefined;
  const services: HostedService[] = [];
  const stopServing = serveSyncCalls(data.stats, () => {
    const stats = { ...runner.stats(), queueOverflow: batcher.overflow() };
    for (const x of attached) x.decorate(stats);
    return stats;
  });
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
      void Promise.all(services.map((s) => s.stop().catch(() => undefined))).then(() => runner.stop()).then(async () => {
        for (const x of attached) await x.stop().catch(() => undefined);
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

main().catch((error: unknown) => {
  // An extension that cannot start (a bad archive setting, a replay with nothing to replay) fails the worker:
  // the kernel side reports "failed" with this message.
  setImmediate(() => {
    throw error;
  });
});
