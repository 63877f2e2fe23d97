import type { Worker } from "node:worker_threads";
import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { IngestionStoppedError, SourceError } from "./ingestion-errors";
import type { NormalizedIngestionOptions } from "./ingestion";
import type { Ingestion, IngestionStats, IngestionStatus, SymbolStats, TradeEvent } from "./ingestion-types";
import type { IngestionWorkerCommand, IngestionWorkerData } from "./ingestion-worker";
import type { ResolvedSource } from "./resolve-source";
import { describeRoute } from "./routes";
import { SyncCaller } from "./sync-call";
import { TickStore } from "./tick-store";
import { SharedQuoteStore } from "./shared-quote-store";
import { deliverBatch, type TradeBatch } from "./trade-batcher";
import { stopOnAbort } from "./stop-on-abort";
import { createTradeIterator } from "./trade-iterator";
import { assertWaitForTrades } from "./assert-wait-for-trades";
import { startWorkerScript } from "./worker-script";
import type { HostServiceRequest } from "./worker-service";
import type { WorkerExtensionSpec } from "./worker-extension";

/** Undelivered `onTrade` events allowed in flight to a blocked kernel thread before new ones are dropped (counted). */
export const MAX_EVENTS_IN_FLIGHT = 1_000_000;

/** How long `stats()` waits for the worker's answer before showing its last known state (ms). */
const STATS_TIMEOUT_MS = 2_000;

type WorkerMessage = { type: "stopped" } | { type: "sourceError"; source: string; message: string } | TradeBatch;

/**
 * The kernel-thread side of an ingestion whose sockets, decoding, dedup, watchdogs and reconnects run in a
 * worker thread (`ingestion-worker`): nothing the kernel thread does — a cell computing for minutes — can
 * delay a frame. The worker writes the shared {@link TickStore}; `store` here is its lock-free reader.
 * `stats()` asks the worker synchronously (it answers from its own event loop); `onTrade` / `trades()`
 * receive the worker's batches in order on this thread, with at most {@link MAX_EVENTS_IN_FLIGHT}
 * undelivered (overflow counted in `stats().queueOverflow`). If the worker dies, `stats().status` is
 * `"failed"` with the error in `warnings`, the store keeps its ticks, and `stopped` is true so the next
 * `startIngestion` starts a fresh worker. `stop()` resolves once the worker thread has exited.
 * Created by `startIngestion` (which adds the per-kernel registry); see docs/ingestion.md.
 *
 * @example
 * const ing = startIngestion({ symbols: ["btcusdt"], source: "demo" }); // a ThreadedIngestion
 * ing.stats().thread; // "worker"
 * await ing.stop();   // joins the worker thread
 */
export class ThreadedIngestion implements Ingestion {
  readonly store: TickStore;
  /** Reader of the worker's shared book-ticker store (with `quotes: true`). */
  readonly quotes: SharedQuoteStore | undefined;
  readonly symbols: readonly string[];
  private readonly o: NormalizedIngestionOptions;
  private readonly statsCaller = new SyncCaller();
  private readonly counters = new Int32Array(new SharedArrayBuffer(8));
  private readonly listeners = new Set<(t: TradeEvent) => void>();
  private readonly stopHooks = new Set<() => void>();
  private worker: Worker | undefined;
  /** Int32 [0]: 1 once the worker serves stats() (set by the worker, so it is seen even before its "ready" message is processed). */
  private readonly readyFlag = new Int32Array(new SharedArrayBuffer(4));
  private listening = false;
  private readonly hostRequests: HostServiceRequest[] = [];
  private stopping: Promise<void> | undefined;
  private failure: string | undefined;
  private exited: Promise<void> = Promise.resolve();
  private lastStats: IngestionStats | undefined;
  /** How the worker thread ended: "joined" (exited by itself after stop(): no socket, timer or port left in it), "terminated" (did not exit within the grace period, or failed). */
  workerExit: "joined" | "terminated" | undefined;

  /** `after`: a previous ingestion's stop() to wait for before the worker starts (none: it starts at once, synchronously). */
  constructor(options: NormalizedIngestionOptions, resolved: ResolvedSource, after?: Promise<void>, extensions: WorkerExtensionSpec[] = []) {
    this.o = options;
    this.symbols = [...options.symbols];
    const { reader, writerInit } = TickStore.createShared(options.capacity, this.symbols);
    this.store = reader;
    this.quotes = options.quotes === true ? SharedQuoteStore.create(this.symbols, options.quoteCapacity) : undefined;
    stopOnAbort(options.signal, () => this.stop(), this.stopHooks);
    // Only structured-cloneable options cross the thread boundary (clock, agent, backoff.random and signal
    // make startIngestion run in-thread instead; env was already resolved).
    const { signal: _s, env: _e, clock: _c, ...cloneable } = options;
    const data: IngestionWorkerData = {
      options: cloneable as NormalizedIngestionOptions,
      resolved,
      store: writerInit,
      ...(this.quotes === undefined ? {} : { quotes: this.quotes.init() }),
      stats: this.statsCaller.remote,
      ready: this.readyFlag.buffer as SharedArrayBuffer,
      queue: { counters: this.counters.buffer as SharedArrayBuffer, maxInFlight: MAX_EVENTS_IN_FLIGHT, timeOrigin: performance.timeOrigin },
      extensions,
    };
    if (after === undefined) {
      if (this.stopping === undefined) this.launch(data);
    } else {
      void after.then(() => {
        if (this.stopping === undefined) this.launch(data);
      });
    }
  }

  private launch(data: IngestionWorkerData): void {
    let worker: Worker;
    try {
      worker = startWorkerScript("ingestion-worker", { workerData: data, transferList: [data.store.port, data.stats.port], name: "pairlab-ingestion" });
    } catch (error) {
      this.fail(`ingestion worker did not start: ${(error as Error).message}`);
      return;
    }
    this.worker = worker;
    if (this.listening) this.send({ type: "listen", on: true });
    for (const r of this.hostRequests.splice(0)) worker.postMessage({ type: "host", ...r }, [r.port]);
    this.exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "sourceError") {
        this.sourceFailure = new SourceError(m.source, m.message);
        for (const hook of [...this.failureHooks]) hook(this.sourceFailure);
      } else if (m.type === "trades") {
        deliverBatch(m, this.symbols, this.counters, (t) => {
          for (const l of this.listeners) {
            try {
              l(t);
            } catch {
              /* a listener's error must not break delivery */
            }
          }
        });
      }
    });
    worker.on("error", (error: Error) => this.fail(`ingestion worker failed: ${error.message}`));
    worker.once("exit", (code: number) => {
      this.worker = undefined;
      if (this.stopping === undefined) this.fail(`ingestion worker exited unexpectedly (code ${code})`);
      if (this.failure !== undefined) this.store.closeInbox();
    });
    worker.unref(); // after the listeners (adding a "message" listener refs the worker's port again)
  }

  /**
   * Hosts a service in the ingestion worker, next to the stores (see `hostService`): it keeps running while
   * this thread is blocked. Sent once the worker exists; on a stopped ingestion the port is closed. O(1).
   */
  host(request: HostServiceRequest): void {
    if (this.stopping !== undefined || this.failure !== undefined) {
      request.port.close();
      return;
    }
    if (this.worker === undefined) this.hostRequests.push(request);
    else this.worker.postMessage({ type: "host", ...request }, [request.port]);
  }

  private send(cmd: IngestionWorkerCommand): void {
    this.worker?.postMessage(cmd);
  }

  private fail(message: string): void {
    if (this.failure !== undefined || this.stopping !== undefined) return;
    this.failure = message;
    if (!this.o.quiet) console.warn(`pairlab: ${message}; the store keeps its ticks; run startIngestion again to start a fresh worker`);
    for (const hook of [...this.stopHooks]) hook();
    this.listeners.clear();
    this.statsCaller.close();
    void this.worker?.terminate();
  }

  private get ready(): boolean {
    return Atomics.load(this.readyFlag, 0) === 1;
  }

  /** True after stop() or when the worker failed (a new startIngestion then starts a fresh worker). */
  get stopped(): boolean {
    return this.stopping !== undefined || this.failure !== undefined;
  }

  /** Why the source cannot be used (the demo exchange could not start), if so. */
  sourceFailure: SourceError | undefined;
  private readonly failureHooks = new Set<(e: SourceError) => void>();

  /** False once stopped, failed, or when the source failed: a rerun of startIngestion then starts afresh. */
  get reusable(): boolean {
    return !this.stopped && this.sourceFailure === undefined;
  }

  /** Test hook: makes the worker throw an uncaught error, as a bug would. */
  crashWorkerForTest(message = "test crash"): void {
    this.send({ type: "crash", message });
  }

  stats(): IngestionStats {
    if (this.ready && !this.stopped) {
      const s = this.statsCaller.call<IngestionStats>({ what: "stats" }, STATS_TIMEOUT_MS);
      if (s !== undefined) {
        this.lastStats = s;
        return s;
      }
    }
    const status: IngestionStatus = this.failure !== undefined ? "failed" : this.stopping !== undefined ? "stopped" : "connecting";
    const base = this.lastStats ?? this.emptyStats();
    const warnings = [...base.warnings];
    if (this.failure !== undefined) warnings.push(this.failure);
    else if (this.ready && this.stopping === undefined) warnings.push(`ingestion worker did not answer within ${STATS_TIMEOUT_MS} ms; showing its last known state`);
    const symbols: Record<string, SymbolStats> = {};
    for (const s of this.symbols) {
      const prev = base.symbols[s];
      symbols[s] = { ...prev, trades: this.store.sequence(s), evicted: this.store.evicted(s), lagMs: Date.now() - prev.lastTradeTime };
    }
    return { ...base, status, warnings, symbols, urls: status === "connecting" ? base.urls : [] };
  }

  private emptyStats(): IngestionStats {
    const symbols: Record<string, SymbolStats> = {};
    for (const s of this.symbols) {
      symbols[s] = { trades: 0, lastPrice: NaN, lastTradeTime: NaN, lagMs: NaN, gaps: 0, missingTrades: 0, evicted: 0, duplicates: 0, spentIds: 0, outOfOrder: 0, restarts: 0 };
    }
    return {
      status: "connecting",
      source: this.o.source,
      simulated: this.store.simulated,
      label: this.store.simulated ? "SIMULATED" : "LIVE",
      route: describeRoute(this.o.stream),
      urls: [],
      reconnects: 0,
      parseErrors: 0,
      ignoredMessages: 0,
      rejected: {},
      messagesPerSecond: 0,
      queueOverflow: 0,
      thread: "worker",
      warnings: [],
      symbols,
    };
  }

  onTrade(listener: (trade: TradeEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.listening && !this.stopped) {
      this.listening = true;
      this.send({ type: "listen", on: true }); // queued until the worker listens
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.listening) {
        this.listening = false;
        this.send({ type: "listen", on: false });
      }
    };
  }

  trades(options: { maxQueue?: number } = {}): AsyncIterableIterator<TradeEvent> {
    return createTradeIterator(this, this.stopHooks, options);
  }

  waitForTrades(count = 1, timeoutMs = 30_000): Promise<void> {
    assertWaitForTrades(count, timeoutMs);
    const enough = (): boolean => this.symbols.every((s) => this.store.sequence(s) >= count);
    if (enough()) return Promise.resolve();
    if (this.stopped) return Promise.reject(new IngestionStoppedError("Ingestion stopped before enough trades arrived"));
    if (this.sourceFailure !== undefined) return Promise.reject(this.sourceFailure);
    return new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const onFailure = (e: SourceError): void => {
        cleanup();
        reject(e);
      };
      this.failureHooks.add(onFailure);
      // Polls the shared store (no message needed); ref'd on purpose: awaiting data keeps a script alive (bounded by timeoutMs).
      const timer = setInterval(() => {
        if (enough()) {
          cleanup();
          resolve();
        } else if (this.failure !== undefined) {
          cleanup();
          reject(new SourceError(this.o.source, `Ingestion failed before enough trades arrived: ${this.failure}`));
        } else if (Date.now() - started >= timeoutMs) {
          cleanup();
          const got = this.symbols.map((s) => `${s}=${this.store.sequence(s)}`).join(", ");
          reject(new SourceError(this.o.source, `Fewer than ${count} trades per symbol within ${timeoutMs} ms (${got}); status ${this.stats().status}`));
        }
      }, 5);
      const onStop = (): void => {
        cleanup();
        reject(new IngestionStoppedError("Ingestion stopped before enough trades arrived"));
      };
      const cleanup = (): void => {
        clearInterval(timer);
        this.failureHooks.delete(onFailure);
        this.stopHooks.delete(onStop);
      };
      this.stopHooks.add(onStop);
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const lastState = this.failure === undefined && this.ready ? this.statsCaller.call<IngestionStats>({ what: "stats" }, 500) : undefined;
    if (lastState !== undefined) this.lastStats = lastState;
    const worker = this.worker;
    this.stopping = (async () => {
      for (const hook of [...this.stopHooks]) hook();
      this.listeners.clear();
      if (worker !== undefined && this.failure === undefined) {
        this.send({ type: "stop" });
        // Join: the worker exits once its sockets are closed; a stuck one is terminated.
        const grace = (this.o.connection?.closeTimeoutMs ?? 2_000) + 3_000;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, grace)))]);
        clearTimeout(timer);
        if (this.worker !== undefined) {
          this.workerExit = "terminated";
          await this.worker.terminate();
        } else this.workerExit ??= "joined";
      } else if (worker !== undefined) this.workerExit ??= "terminated"; // it had failed
      await this.exited;
      this.statsCaller.close();
      this.store.closeInbox();
    })();
    return this.stopping;
  }

  /** Calls `hook` once when stop() begins (or the worker fails); returns the function that removes it. Used by the registry. */
  onStop(hook: () => void): () => void {
    this.stopHooks.add(hook);
    return () => this.stopHooks.delete(hook);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
