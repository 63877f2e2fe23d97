// The demo exchange's worker thread (started by startDemoFeed; not part of the public API): runs
// serveDemoExchange here, so the exchange's clock and sending never stall when the kernel thread blocks.
// Protocol: posts {type:"listening", port} or {type:"error", message}; answers sync calls
// (connections / killConnections / symbols / generated); on {type:"close"} closes everything and exits.
import { parentPort, workerData } from "node:worker_threads";
import type { DemoFeed, DemoFeedOptions } from "./demo-exchange";
import { serveDemoExchange } from "./demo-server";
import { serveSyncCalls, type SyncCallEnd } from "./sync-call";

/** `workerData` of the demo worker. */
export interface DemoWorkerData {
  options: DemoFeedOptions;
  calls: SyncCallEnd;
}

/** A sync call to the demo worker. */
export type DemoWorkerCall = { what: "connections" } | { what: "killConnections" } | { what: "symbols" } | { what: "generated"; symbol: string };

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error("demo-worker must run in a worker thread");
  const data = workerData as DemoWorkerData;
  let feed: DemoFeed | undefined;
  let closing = false;
  const stopServing = serveSyncCalls(data.calls, (request) => {
    const r = request as DemoWorkerCall;
    if (feed === undefined) return undefined;
    if (r.what === "connections") return feed.connections();
    if (r.what === "killConnections") return feed.killConnections();
    if (r.what === "symbols") return feed.symbols();
    return feed.generated(r.symbol);
  });
  const finish = (): void => {
    stopServing();
    port.close();
  };
  port.on("message", (m: { type: "close" }) => {
    if (m.type !== "close" || closing) return;
    closing = true;
    void (feed?.close() ?? Promise.resolve()).then(() => {
      port.postMessage({ type: "closed" });
      finish();
    });
  });
  serveDemoExchange(data.options).then(
    (f) => {
      feed = f;
      if (closing) return;
      port.postMessage({ type: "listening", port: f.port });
    },
    (error: Error) => {
      port.postMessage({ type: "error", message: error.message, code: (error as { code?: string }).code ?? "" });
      finish();
    },
  );
}

main();
