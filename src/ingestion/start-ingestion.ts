import { parameterRangeError, parameterTypeError } from "../errors";
import { assertFiniteNumber, assertInteger, assertOneOf } from "../validate";
import { Backoff } from "./backoff";
import { normalizeDemoOptions } from "./demo-exchange";
import { IngestionRunner, type NormalizedIngestionOptions } from "./ingestion";
import type { Ingestion, IngestionOptions } from "./ingestion-types";
import { SourceError } from "./ingestion-errors";
import { portTaken } from "./port-taken";
import { resolveSource } from "./resolve-source";
import { ThreadedIngestion } from "./threaded-ingestion";
import { normalizeSymbols } from "./symbols";
import { extensionSpecs } from "./worker-extension";

/** Default ticks kept per symbol: ~24 h of BTCUSDT perpetual trades (≈ 58 trades/s on average). */
export const DEFAULT_CAPACITY = 5_000_000;

interface Slot {
  key: string;
  ingestion: IngestionRunner | ThreadedIngestion;
}

/** Per-process registry, on globalThis so that it survives a re-required module in a notebook kernel. */
const REGISTRY = Symbol.for("pairlab.ingestion.registry");
function registry(): { slot: Slot | undefined } {
  const g = globalThis as unknown as Record<symbol, { slot: Slot | undefined } | undefined>;
  let r = g[REGISTRY];
  if (r === undefined) {
    r = { slot: undefined };
    g[REGISTRY] = r;
  }
  return r;
}

/**
 * Starts ingesting Binance USD-M futures trades for `symbols` and returns at once; connections open in
 * the background (watch `stats().status`). `trade` streams go to `/public`, `aggTrade` to `/market`, one
 * combined-stream connection per route (sharded at 200 streams). Source: the `source` option, else the
 * `PAIRLAB_SOURCE` environment variable, else `"auto"` (live, falling back loudly to the embedded demo
 * exchange when Binance cannot be reached within ~10 s). Bad frames never throw: they are skipped and
 * counted in `stats()` (`rejected` by reason).
 *
 * Threads: sockets, decoding, validation, dedup, watchdogs and reconnects run in a worker thread that
 * writes a shared-memory tick store; `store` reads it lock-free on the calling thread, `stats()` asks the
 * worker synchronously, `onTrade`/`trades()` receive its batches in order. A cell that blocks the kernel
 * thread costs no trade. (With a `clock`, `connection.agent` or `backoff.random` option, which cannot cross
 * threads, it runs in-thread instead; `stats().thread` says which.) See docs/ingestion.md.
 *
 * Notebook safety: with `shared` (default) one ingestion per process is kept in a registry keyed on the
 * set of normalised symbols (case and order do not matter: the same streams) and every other setting
 * (source, stream, capacity, live URL, demo, silence/stall/fallback timings, backoff, connection tuning,
 * shard size; not `agent`, `clock`, `signal`, `env`, `quiet`). Calling again with the same key returns the running ingestion as it is (its
 * `symbols` keep their original order; no second socket); with another key the running one
 * is stopped first and the new one connects only after its sockets are closed; a failed one (worker died,
 * demo exchange could not listen) is replaced too. The worker thread is unref'd: a kernel shutdown never
 * waits for it.
 *
 * @throws TypeError/RangeError (E_PARAM) for invalid options (e.g. a symbol like "btc/usdt", capacity 0,
 *   `connection: { maxAgeMs: 0 }`);
 *   SourceError (E_SOURCE) for an invalid `PAIRLAB_SOURCE`, or a fixed `demo.port` that is taken.
 * @example
 * const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo" });
 * await ing.waitForTrades(100);
 * ing.store.ticks("btcusdt").price.length; // ≥ 100
 * ing.stats().label;                        // "SIMULATED"
 * await ing.stop();
 */
export function startIngestion(options: IngestionOptions): Ingestion {
  const what = "startIngestion";
  if (options === null || typeof options !== "object") throw parameterTypeError(what, "options", "an object like { symbols: [\"btcusdt\"] }", options);
  const symbols = normalizeSymbols(options.symbols, what);
  const stream = options.stream ?? "trade";
  assertOneOf(what, "stream", stream, ["trade", "aggTrade"] as const);
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  assertInteger(what, "capacity", capacity, 1, 2 ** 28);
  const silenceMs = options.silenceMs ?? 30_000;
  assertFiniteNumber(what, "silenceMs", silenceMs);
  if (silenceMs <= 0) throw parameterRangeError(what, "silenceMs", "a number of ms > 0", silenceMs);
  for (const field of ["stallMs", "autoFallbackMs", "gapGraceMs"] as const) {
    const v = options[field];
    if (v !== undefined && (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))) throw parameterRangeError(what, field, "a finite number of ms > 0", v);
  }
  const tuning = options.connection;
  if (tuning !== undefined) {
    if (tuning === null || typeof tuning !== "object") throw parameterTypeError(what, "connection", "an object of transport settings", tuning);
    // A zero or NaN duration would turn a timer into a reconnect/ping loop.
    for (const field of ["maxAgeMs", "idleMs", "pongTimeoutMs", "connectTimeoutMs", "stableMs", "closeTimeoutMs"] as const) {
      const v = tuning[field];
      if (v === undefined) continue;
      const zeroOk = field === "stableMs" || field === "closeTimeoutMs";
      if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (v === 0 && !zeroOk) || (field === "connectTimeoutMs" && !Number.isFinite(v))) {
        throw parameterRangeError(what, `connection.${field}`, `a number of ms ${zeroOk ? ">= 0" : "> 0"}`, v);
      }
    }
  }
  if (options.quotes !== undefined && typeof options.quotes !== "boolean") throw parameterTypeError(what, "quotes", "true or false", options.quotes);
  if (options.quoteCapacity !== undefined) assertInteger(what, "quoteCapacity", options.quoteCapacity, 1, 2 ** 26);
  if (options.maxStreamsPerConnection !== undefined) assertInteger(what, "maxStreamsPerConnection", options.maxStreamsPerConnection, 1, 1024);
  if (options.liveUrl !== undefined && (typeof options.liveUrl !== "string" || !/^wss?:\/\/[^/?#]+/i.test(options.liveUrl))) {
    throw parameterRangeError(what, "liveUrl", "a ws:// or wss:// base URL", options.liveUrl);
  }
  new Backoff(options.backoff); // validates the backoff options now (each connection builds its own)
  if (options.demo !== undefined) normalizeDemoOptions({ ...options.demo, symbols: options.demo.symbols ?? symbols });
  const resolved = resolveSource(options.source, options.env ?? process.env);
  // A fixed demo port that is taken fails now, in the cell that asked for it (a race with another process
  // is still reported later: status "error", waitForTrades rejects with the SourceError).
  const demoPort = options.demo?.port ?? 0;
  if (demoPort > 0 && (resolved.kind === "demo" || resolved.kind === "auto") && portTaken(demoPort)) {
    throw new SourceError(`ws://127.0.0.1:${demoPort}`, `Demo exchange cannot listen on 127.0.0.1:${demoPort}: the port is taken (EADDRINUSE); choose another demo.port or 0 for any free port`);
  }
  const normalized: NormalizedIngestionOptions = { ...options, symbols, stream, capacity, silenceMs, source: resolved.text };

  // Sockets and decoding run in a worker thread, unless an option cannot cross threads (a test clock, an
  // HTTP agent object, a custom jitter function): then in-thread, as in pairlab 0.1 (stats().thread says which).
  const inThread = options.clock !== undefined || tuning?.agent !== undefined || options.backoff?.random !== undefined;
  // Higher layers' worker extensions (history: recording, gap repair, replay); validated here, in the cell.
  const extensions = inThread ? [] : extensionSpecs(normalized, resolved, options.env ?? process.env);
  if (resolved.text === "replay" && !extensions.some((e) => (e.config as { replay?: unknown }).replay !== undefined)) {
    throw new SourceError("replay", 'source "replay" needs the history area (import from "pairlab") and runs in the worker (no clock, agent or backoff.random option)');
  }
  const create = (after?: Promise<void>): IngestionRunner | ThreadedIngestion =>
    inThread ? new IngestionRunner(normalized, resolved, after) : new ThreadedIngestion(normalized, resolved, after, extensions);
  if (options.shared === false) return create();
  // Every setting that changes behaviour is in the key, so a rerun with an edited setting never silently keeps
  // the old one. Not in it: `agent`, `clock`, `signal`, `env`, `quiet` (objects without a stable identity or
  // settings that do not change what is ingested).
  const { agent: _agent, ...transport } = tuning ?? {};
  const key = JSON.stringify({
    symbols: [...symbols].sort(),
    source: resolved.text,
    stream,
    capacity,
    liveUrl: options.liveUrl ?? "",
    demo: options.demo ?? {},
    silenceMs,
    fallback: options.fallback,
    stallMs: options.stallMs,
    autoFallbackMs: options.autoFallbackMs,
    gapGraceMs: options.gapGraceMs,
    backoff: options.backoff ?? {},
    connection: transport,
    maxStreamsPerConnection: options.maxStreamsPerConnection,
    ...(options.quotes === true ? { quotes: true, quoteCapacity: options.quoteCapacity } : {}),
    extensions,
  });
  const reg = registry();
  const current = reg.slot;
  if (current !== undefined && current.key === key && current.ingestion.reusable) return current.ingestion;
  const previousStop = current !== undefined ? current.ingestion.stop() : undefined;
  const ingestion = create(previousStop);
  const slot: Slot = { key, ingestion };
  reg.slot = slot;
  // Leave the registry when stopped (or failed), so a stopped ingestion's store is not kept alive by it.
  ingestion.onStop(() => {
    if (reg.slot === slot) reg.slot = undefined;
  });
  return ingestion;
}

/**
 * The ingestion currently held by the per-kernel registry, if any (stopped ones are not returned). O(1).
 *
 * @example
 * currentIngestion()?.stats().status; // "live"
 */
export function currentIngestion(): Ingestion | undefined {
  const slot = registry().slot;
  return slot !== undefined && !slot.ingestion.stopped ? slot.ingestion : undefined;
}

/**
 * Stops the registry's ingestion, if any (e.g. at the end of a notebook). Resolves when its sockets are closed.
 *
 * @example
 * await stopAllIngestion();
 */
export async function stopAllIngestion(): Promise<void> {
  const slot = registry().slot;
  if (slot !== undefined) await slot.ingestion.stop();
}
