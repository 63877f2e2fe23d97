import type { MessagePort } from "node:worker_threads";
import type { SharedQuoteStore } from "./shared-quote-store";
import type { TickStore } from "./tick-store";

/** What a service hosted next to the ingestion (in its worker thread) gets. */
export interface WorkerServiceContext {
  /** The tick store (in the worker: the writer's own view; readable without locks). */
  store: TickStore;
  /** The book-ticker store, with `quotes: true`. */
  quotes: SharedQuoteStore | undefined;
  /** The ingestion's symbols (lower-case). */
  symbols: readonly string[];
  /** True once the data are simulated (demo exchange). */
  simulated(): boolean;
  /** The service's own channel to the thread that asked for it. */
  port: MessagePort;
  /** Structured-cloneable data the service was started with. */
  data: unknown;
}

/** A running hosted service. */
export interface HostedService {
  /** Stops the service (timers, sockets, files); awaited before the ingestion worker exits. */
  stop(): Promise<void>;
}

/** A request to host a service: `require(module)[name](context)`. */
export interface HostServiceRequest {
  /** Absolute path of the module (a `.js` file in dist/, a `.ts` file from source: the worker has tsx's loader then). */
  module: string;
  /** Name of the exported function `(context) => HostedService`. */
  name: string;
  data: unknown;
  port: MessagePort;
}

/**
 * Starts a service inside the ingestion's thread (the ingestion worker, or the kernel thread in in-thread
 * mode): loads `request.module` and calls its export `request.name` with the stores. This keeps the import
 * direction one-way: ingestion (transport) never imports the services that it hosts (alerts); they name
 * themselves by path. A service that throws at start is reported on its port as `{ type: "error", message }`
 * and closed. O(module load).
 *
 * @example
 * hostService({ module: "/…/alerts/alerts-host.js", name: "hostAlerts", data, port }, { store, quotes, symbols, simulated });
 */
export function hostService(request: HostServiceRequest, context: Omit<WorkerServiceContext, "port" | "data">): HostedService {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(request.module) as Record<string, unknown>;
    const start = mod[request.name];
    if (typeof start !== "function") throw new Error(`${request.module} has no export ${request.name}`);
    return (start as (c: WorkerServiceContext) => HostedService)({ ...context, port: request.port, data: request.data });
  } catch (error) {
    request.port.postMessage({ type: "error", message: (error as Error).message });
    request.port.close();
    return { stop: () => Promise.resolve() };
  }
}
