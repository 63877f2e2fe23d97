import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { Backoff } from "./backoff";
import { systemClock, type Clock, type TimerHandle } from "./clock";
import { createDecodedTrade, decodeFrame, type DecodedTrade, type FrameKind } from "./decode-frame";
import { REPLAY_HEADER, SIMULATED_HEADER, startDemoFeed, type DemoFeed } from "./demo-exchange";
import { IngestionStoppedError, SourceError } from "./ingestion-errors";
import type { Ingestion, IngestionOptions, IngestionStats, IngestionStatus, SymbolStats, TradeEvent } from "./ingestion-types";
import type { ResolvedSource } from "./resolve-source";
import { BINANCE_FUTURES_WS, MAX_STREAMS_PER_CONNECTION, combinedStreamUrls, describeRoute, type TradeStream } from "./routes";
import { SharedQuoteStore } from "./shared-quote-store";
import { SilenceWatchdog } from "./silence-watchdog";
import { StreamConnection, type ConnectionState } from "./stream-connection";
import type { RingTick } from "./tick-ring";
import { TickStore } from "./tick-store";
import { scanBinanceTrade } from "./scan-binance-trade";
import { stopOnAbort } from "./stop-on-abort";
import { createTradeIterator } from "./trade-iterator";
import { assertWaitForTrades } from "./assert-wait-for-trades";
import { TradeSequence } from "./trade-sequence";
import { bookTickerUrls, quoteStats } from "./book-ticker-feed";
import { hostService, type HostServiceRequest } from "./worker-service";

/** Validated options the orchestrator runs with. */
export interface NormalizedIngestionOptions extends IngestionOptions {
  symbols: string[];
  stream: TradeStream;
  capacity: number;
  silenceMs: number;
  source: string;
}

interface SymbolState {
  seq: TradeSequence;
  trades: number;
  spent: number;
  lastPrice: number;
  lastTradeTime: number;
}

/**
 * The ingestion orchestrator: resolves the source (live, demo, custom URL, auto with demo fallback),
 * owns the connections (one combined stream per route, sharded), decodes frames, enforces exactly-once
 * storage by trade id, runs the silence watchdog (warnings, trade → aggTrade fallback, stall reconnect)
 * and serves stats, listeners and async iterators. Use `startIngestion`, which adds the per-kernel
 * registry; this class is exported for tests and advanced embedding.
 */
export class IngestionRunner implements Ingestion {
  readonly store: TickStore;
  /** Book tickers (with `quotes: true`): the worker passes its shared store's writer; in-thread, a local one. */
  readonly quotes: SharedQuoteStore | undefined;
  readonly symbols: readonly string[];
  private readonly o: NormalizedIngestionOptions;
  private readonly resolved: ResolvedSource;
  private readonly clock: Clock;
  private readonly states = new Map<string, SymbolState>();
  private readonly decoded: DecodedTrade = createDecodedTrade();
  /** The tick handed to the store (reused). */
  private readonly tick: RingTick = { time: NaN, price: NaN, qty: NaN };
  private readonly watchdog: SilenceWatchdog;
  private readonly listeners = new Set<(t: TradeEvent) => void>();
  private readonly stopHooks = new Set<() => void>();
  private connections: StreamConnection[] = [];
  private retiring: Promise<void>[] = [];
  private stream: TradeStream;
  private routeNote = "";
  private sourceLabel: string;
  private simulatedValue = false;
  /** Set when a server announced a replay of recorded trades (x-pairlab-replay: 1): labelled REPLAY from then on. */
  private replayedValue = false;
  private demo: DemoFeed | undefined;
  private demoStarting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private checkTimer: TimerHandle | undefined;
  private autoTimer: TimerHandle | undefined;
  private everOpened = false;
  private startedAt: number;
  private errorText = "";
  private demoFailed = false;
  /** Why the source cannot be used (the demo exchange could not start), if so. */
  sourceFailure: SourceError | undefined;
  private readonly failureHooks = new Set<(e: SourceError) => void>();

  /** Calls `hook` when the source fails for good (the demo exchange could not start); returns the unsubscribe function. */
  onSourceFailure(hook: (e: SourceError) => void): () => void {
    this.failureHooks.add(hook);
    return () => this.failureHooks.delete(hook);
  }

  /** False once stopped or when the source failed: a rerun of startIngestion then starts afresh instead of returning this one. */
  get reusable(): boolean {
    return !this.stopped && this.sourceFailure === undefined;
  }
  private extraWarnings: string[] = [];
  private reconnectsBefore = 0;
  private parseErrors = 0;
  /** Validation rejections by reason. */
  private readonly rejected: Record<string, number> = {};
  /** "worker" when this runner runs in the ingestion worker. */
  thread: "worker" | "kernel" = "kernel";
  private ignored = 0;
  private quoteMessages = 0;
  private messages = 0;
  /** Frame count at the start of each of the last 11 seconds (bucketSecond − 10 … bucketSecond). */
  private readonly buckets = new Float64Array(11);
  /** Last symbol seen by onMessage and its state (undefined for a symbol we do not ingest). */
  private lastSymbol = "";
  private lastState: SymbolState | undefined;
  private bucketSecond = 0;
  /** Time and frame count of the last {@link rollBuckets}. */
  private rolledAt = 0;
  private rolledTotal = 0;

  /** `store`: where to write (default a new local store; the ingestion worker passes its shared store's writer). */
  constructor(options: NormalizedIngestionOptions, resolved: ResolvedSource, after: Promise<void> = Promise.resolve(), store?: TickStore, quotes?: SharedQuoteStore) {
    this.o = options;
    this.resolved = resolved;
    this.clock = options.clock ?? systemClock;
    this.symbols = [...options.symbols];
    this.stream = options.stream;
    this.store = store ?? new TickStore(options.capacity);
    this.quotes = options.quotes === true ? (quotes ?? SharedQuoteStore.create(this.symbols, options.quoteCapacity)) : undefined;
    for (const s of this.symbols) {
      this.store.register(s);
      const onFinal = (lo: number, hi: number, before: number, after: number): void => this.emitGap(s, lo, hi, before, after);
      this.states.set(s, { seq: new TradeSequence({ graceMs: options.gapGraceMs, onFinal }), trades: 0, spent: 0, lastPrice: NaN, lastTradeTime: NaN });
    }
    this.watchdog = new SilenceWatchdog(options.silenceMs);
    this.startedAt = this.clock.now();
    // The sequences take the clock of the last watchdog pass (settle, ≤ 1 s apart) as a hole's opening time: no clock read per frame.
    for (const st of this.states.values()) st.seq.settle(this.startedAt);
    this.bucketSecond = Math.floor(this.startedAt / 1000);
    this.rolledAt = this.startedAt;
    this.sourceLabel = resolved.kind === "auto" ? "auto → binance" : resolved.text;
    stopOnAbort(options.signal, () => this.stop(), this.stopHooks);
    void after.then(() => this.begin());
  }

  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  private begin(): void {
    if (this.stopped) return;
    const r = this.resolved;
    if (r.kind === "demo") this.useDemo("");
    else if (r.kind === "url") this.connectTo(r.url);
    else {
      this.connectTo(this.o.liveUrl ?? BINANCE_FUTURES_WS);
      if (r.kind === "auto") {
        this.autoTimer = this.clock.setTimeout(() => {
          this.autoTimer = undefined;
          if (!this.everOpened) this.useDemo(`live Binance did not connect within ${Math.round(this.autoFallbackMs / 1000)} s`);
        }, this.autoFallbackMs);
      }
    }
    this.scheduleCheck();
  }

  private get autoFallbackMs(): number {
    return this.o.autoFallbackMs ?? 10_000;
  }

  /** Opens the connections for the current stream on `base`. */
  private connectTo(base: string): void {
    const tradeUrls = combinedStreamUrls(base, this.symbols, this.stream, this.o.maxStreamsPerConnection ?? MAX_STREAMS_PER_CONNECTION);
    // Book tickers (opt-in) on their own /public connections, decoded by the quote store, never by the trade decoder.
    const urls = this.quotes === undefined ? tradeUrls : [...tradeUrls, ...bookTickerUrls(base, this.symbols, this.o.maxStreamsPerConnection ?? MAX_STREAMS_PER_CONNECTION)];
    const c = { ...this.o.connection, ref: this.o.connection?.ref ?? false };
    this.connections = urls.map(
      (url, i) =>
        new StreamConnection({
          url,
          clock: this.clock,
          backoff: new Backoff(this.o.backoff),
          ...c,
          onMessage: i < tradeUrls.length ? this.onMessage : this.onQuoteFrame,
          onAsciiText: i < tradeUrls.length ? this.onAsciiText : this.onQuoteAsciiText,
          onBinary: () => {
            this.messages++;
            this.parseErrors++;
            this.rejected.binary = (this.rejected.binary ?? 0) + 1;
          },
          onState: (state, detail) => this.onConnectionState(state, detail),
          onOpen: (_reconnect, headers) => {
            if (headers[SIMULATED_HEADER] === "1" && !this.simulatedValue) this.markSimulated();
            if (headers[REPLAY_HEADER] === "1") this.replayedValue = true;
            this.everOpened = true;
            this.watchdog.arm(this.symbols, this.clock.now());
          },
          onConnectFailure: (error) => this.onConnectFailure(error),
        }),
    );
    for (const conn of this.connections) conn.start();
  }

  private onConnectionState(state: ConnectionState, detail: string): void {
    if (state === "backoff") {
      this.errorText = detail;
      if (!this.connections.some((c) => c.state === "open")) this.watchdog.disarm();
    }
  }

  private onConnectFailure(error: Error): void {
    const code = (error as { code?: string }).code;
    this.errorText = code ? `${code}: ${error.message}` : error.message;
    if (this.resolved.kind === "auto" && !this.everOpened && this.demo === undefined && this.demoStarting === undefined) {
      if (this.clock.now() - this.startedAt <= this.autoFallbackMs) this.useDemo(`live Binance unreachable (${this.errorText})`);
    }
  }

  /** Switches to (or starts with) the embedded demo exchange. */
  private useDemo(reason: string): void {
    if (this.stopped || this.demoStarting) return;
    if (this.autoTimer !== undefined) this.clock.clearTimeout(this.autoTimer);
    this.autoTimer = undefined;
    this.retire();
    this.markSimulated();
    if (reason) {
      this.sourceLabel = `auto → demo (${reason})`;
      const message = `SIMULATED DATA: ${reason}; pairlab switched to the embedded demo exchange. Everything shown is simulated. Set source: "binance" to keep retrying live only.`;
      this.extraWarnings.push(message);
      if (!this.o.quiet) console.warn(`pairlab: ${message}`);
    }
    const demoOptions = { ...this.o.demo, symbols: this.o.demo?.symbols ?? [...this.symbols] };
    this.demoStarting = startDemoFeed(demoOptions).then(
      (feed) => {
        if (this.stopped) return feed.close();
        this.demo = feed;
        for (const s of this.states.values()) s.seq.resetIds();
        this.connectTo(feed.url);
      },
      (error: Error) => {
        this.demoFailed = true;
        this.errorText = `demo exchange failed: ${error.message}`;
        this.extraWarnings.push(this.errorText);
        const failure = error instanceof SourceError ? error : new SourceError("demo", this.errorText);
        this.sourceFailure = failure;
        for (const hook of [...this.failureHooks]) hook(failure);
      },
    );
  }

  /** From now on everything is labelled SIMULATED (the demo exchange, or a server announcing it is one). */
  private markSimulated(): void {
    this.simulatedValue = true;
    this.store.simulated = true;
  }

  /** Stops the current connections in the background (their sockets close; timers cleared). */
  private retire(): void {
    this.reconnectsBefore += this.connections.reduce((n, c) => n + c.reconnects, 0);
    for (const c of this.connections) this.retiring.push(c.stop());
    this.connections = [];
    this.watchdog.disarm();
  }

  /**
   * Hot path (the built-in client's in-place text payloads): the exact-layout Binance `@trade` scanner on the raw
   * bytes; any other layout returns false with nothing counted, and the frame comes back through {@link onMessage}.
   */
  private readonly onAsciiText = (bytes: Buffer, start: number, end: number): boolean => {
    const kind = scanBinanceTrade(bytes, this.decoded, start, end);
    if (kind === "fallback") return false;
    this.onDecoded(kind);
    return true;
  };

  private readonly onMessage = (data: Buffer): void => {
    this.onDecoded(data.length === 0 ? "empty" : decodeFrame(data, this.decoded));
  };

  /** Counts, dedups, stores and announces one decoded frame (`this.decoded`). */
  private onDecoded(kind: FrameKind): void {
    const receivedAt = this.listeners.size > 0 ? performance.now() : 0;
    this.messages++;
    if (kind === "trade" || kind === "spent") {
      const d = this.decoded;
      // The decoder returns the same cached string for a symbol, so one comparison skips the Map lookup.
      let st = this.lastState;
      if (d.symbol !== this.lastSymbol) {
        st = this.states.get(d.symbol);
        this.lastSymbol = d.symbol;
        this.lastState = st;
      }
      if (st === undefined || d.stream !== this.stream) {
        this.ignored++;
        return;
      }
      const restarts = st.seq.restarts;
      const lastId = st.seq.lastId;
      if (!st.seq.acceptTrade(d)) return;
      if (st.seq.restarts !== restarts) this.onRestart(d.symbol, lastId, d.id);
      if (kind === "spent") {
        st.spent++;
        return;
      }
      // Times never go backwards per symbol: a trade older than the newest stored one (a late delivery, or
      // exchange-side jitter) is appended in arrival order at the newest stored time; its own T is in the event.
      // By record, so no double is boxed per trade on the way to the store.
      const tick = this.tick;
      tick.time = d.time < st.lastTradeTime ? st.lastTradeTime : d.time;
      tick.price = d.price;
      tick.qty = d.qty;
      this.store.appendTick(d.symbol, tick);
      st.trades++;
      st.lastPrice = d.price;
      st.lastTradeTime = tick.time;
      if (this.listeners.size > 0 || this.sinks.size > 0) {
        const event: TradeEvent = { symbol: d.symbol, id: d.id, time: d.time, price: d.price, qty: d.qty, receivedAt, simulated: this.simulatedValue };
        for (const sink of this.sinks) sink(event);
        for (const l of this.listeners) {
          try {
            l(event);
          } catch {
            /* a listener's error must not break ingestion */
          }
        }
      }
    } else if (kind === "reply" || kind === "unknown") {
      this.ignored++;
    } else {
      this.parseErrors++;
      const reason = kind === "invalid" ? this.decoded.reason || "invalid" : kind;
      this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    }
  }

  /** Book-ticker frames in place (inside the socket chunk): the quote store's fast path, or false for the copying path. */
  private readonly onQuoteAsciiText = (bytes: Buffer, start: number, end: number): boolean => {
    if (this.quotes === undefined || !this.quotes.ingestInPlace(bytes, start, end)) return false;
    this.quoteMessages++;
    return true;
  };

  private readonly onQuoteFrame = (data: Buffer): void => {
    this.quoteMessages++;
    this.quotes?.ingest(data);
  };

  private onRestart(symbol: string, from: number, to: number): void {
    const message = `${symbol}: trade ids jumped back from ${from} to ${to} with newer trade times (exchange or relay restart): started a new id sequence`;
    if (this.extraWarnings.length < 100) this.extraWarnings.push(message);
    if (!this.o.quiet) console.warn(`pairlab: ${message}`);
  }

  private scheduleCheck(): void {
    const every = Math.max(10, Math.min(1000, this.o.silenceMs / 4));
    this.checkTimer = this.clock.setTimeout(() => {
      this.checkTimer = undefined;
      if (this.stopped) return;
      this.check();
      this.scheduleCheck();
    }, every);
  }

  /** Watchdog pass: per-symbol silence, wrong-route fallback, stall reconnect; message-rate buckets. */
  private check(): void {
    const now = this.clock.now();
    for (const st of this.states.values()) st.seq.settle(now);
    this.rollBuckets(now);
    for (const [s, st] of this.states) this.watchdog.observe(s, st.trades + st.spent, now);
    const v = this.watchdog.verdict(now);
    if (!v.allSilent) return;
    if (v.nothingSinceArmed && this.stream === "trade" && this.o.fallback !== false) {
      const from = describeRoute("trade");
      this.stream = "aggTrade";
      this.routeNote = ` (fallback: ${from} delivered nothing for ${Math.round(this.o.silenceMs / 1000)} s while connected)`;
      this.extraWarnings.push(`${from} delivered no trade for ${Math.round(this.o.silenceMs / 1000)} s while connected; switched to ${describeRoute("aggTrade")}`);
      const base = this.demo?.url ?? (this.resolved.kind === "url" ? this.resolved.url : this.o.liveUrl ?? BINANCE_FUTURES_WS);
      this.retire();
      for (const st of this.states.values()) st.seq.keepTradeIds();
      this.connectTo(base);
      return;
    }
    const stallMs = this.o.stallMs ?? 3 * this.o.silenceMs;
    if (!v.nothingSinceArmed && v.quietForMs >= stallMs) {
      for (const c of this.connections) c.restart(`no trade on any stream for ${Math.round(v.quietForMs / 1000)} s: stalled`);
      this.watchdog.disarm();
    }
  }

  private rollBuckets(now: number): void {
    const sec = Math.floor(now / 1000);
    const total = this.messages;
    if (sec - this.bucketSecond > 11) this.bucketSecond = sec - 11;
    const from = this.rolledAt;
    const fromTotal = this.rolledTotal;
    while (this.bucketSecond < sec) {
      this.bucketSecond++;
      this.buckets.copyWithin(0, 1);
      // Count at this second's start, interpolated between the last two observations (rolls may skip seconds).
      const t = this.bucketSecond * 1000;
      this.buckets[10] = now > from && t > from ? fromTotal + ((total - fromTotal) * (t - from)) / (now - from) : total;
    }
    this.rolledAt = now;
    this.rolledTotal = total;
  }

  stats(): IngestionStats {
    const now = this.clock.now();
    for (const st of this.states.values()) st.seq.settle(now);
    this.rollBuckets(now);
    const warnings: string[] = [];
    if (this.simulatedValue) warnings.push("SIMULATED: data come from the embedded demo exchange, not from Binance");
    warnings.push(...this.extraWarnings);
    for (const [s, st] of this.states) this.watchdog.observe(s, st.trades + st.spent, now);
    const v = this.watchdog.verdict(now);
    for (const { symbol, forMs } of v.silent) {
      const st = this.states.get(symbol);
      warnings.push(
        st !== undefined && st.trades === 0
          ? `${symbol}: no trade for ${Math.round(forMs / 1000)} s since connecting (is the symbol listed on USD-M futures?)`
          : `${symbol}: no trade for ${Math.round(forMs / 1000)} s`,
      );
    }
    const symbols: Record<string, SymbolStats> = {};
    for (const [s, st] of this.states) {
      symbols[s] = {
        trades: st.trades,
        lastPrice: st.lastPrice,
        lastTradeTime: st.lastTradeTime,
        lagMs: now - st.lastTradeTime,
        gaps: st.seq.gaps,
        missingTrades: st.seq.missingTrades,
        evicted: this.store.evicted(s),
        duplicates: st.seq.duplicates,
        spentIds: st.spent,
        outOfOrder: st.seq.outOfOrder,
        restarts: st.seq.restarts,
      };
    }
    // Count at now − 10 s: interpolated inside that second between the counts at its start and its end.
    const frac = (now - this.bucketSecond * 1000) / 1000;
    const at10 = this.buckets[0] + frac * (this.buckets[1] - this.buckets[0]);
    const span = Math.min(10, Math.max(1, (now - this.startedAt) / 1000));
    const mps = now - this.startedAt >= 10_000 ? (this.messages - at10) / 10 : this.messages / span;
    return {
      status: this.status(v.allSilent),
      source: this.sourceLabel,
      simulated: this.simulatedValue,
      label: this.replayedValue ? (this.simulatedValue ? "REPLAY — SIMULATED" : "REPLAY") : this.simulatedValue ? "SIMULATED" : "LIVE",
      route: describeRoute(this.stream) + this.routeNote,
      urls: this.connections.map((c) => c.url),
      reconnects: this.reconnectsBefore + this.connections.reduce((n, c) => n + c.reconnects, 0),
      parseErrors: this.parseErrors,
      ignoredMessages: this.ignored,
      rejected: { ...this.rejected },
      messagesPerSecond: mps,
      queueOverflow: 0,
      thread: this.thread,
      warnings: this.errorText && !this.connections.some((c) => c.state === "open") ? [...warnings, `connection: ${this.errorText}`] : warnings,
      symbols,
      ...(this.quotes === undefined ? {} : { quotes: quoteStats(this.quotes, this.quoteMessages) }),
    };
  }

  private status(allSilent: boolean): IngestionStatus {
    if (this.stopped) return "stopped";
    const states = this.connections.map((c) => c.state);
    if (states.includes("open")) return allSilent ? "stalled" : "live";
    if (states.includes("backoff")) return "reconnecting";
    if (this.demoFailed) return "error";
    return "connecting";
  }

  onTrade(listener: (trade: TradeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  trades(options: { maxQueue?: number } = {}): AsyncIterableIterator<TradeEvent> {
    return createTradeIterator(this, this.stopHooks, options);
  }

  waitForTrades(count = 1, timeoutMs = 30_000): Promise<void> {
    assertWaitForTrades(count, timeoutMs);
    const enough = (): boolean => [...this.states.values()].every((s) => s.trades >= count);
    if (enough()) return Promise.resolve();
    if (this.stopped) return Promise.reject(new IngestionStoppedError("Ingestion stopped before enough trades arrived"));
    if (this.sourceFailure !== undefined) return Promise.reject(this.sourceFailure);
    return new Promise<void>((resolve, reject) => {
      const offFailure = this.onSourceFailure((e) => {
        cleanup();
        reject(e);
      });
      const timer = setTimeout(() => {
        cleanup();
        const got = [...this.states].map(([s, st]) => `${s}=${st.trades}`).join(", ");
        reject(new SourceError(this.sourceLabel, `Fewer than ${count} trades per symbol within ${timeoutMs} ms (${got}); status ${this.stats().status}`));
      }, Math.min(timeoutMs, 2 ** 31 - 1)); // ≤ 24.8 days (Node turns larger delays into 1 ms); ref'd on purpose: awaiting data keeps a script alive (bounded by timeoutMs)
      const onStop = (): void => {
        cleanup();
        reject(new IngestionStoppedError("Ingestion stopped before enough trades arrived"));
      };
      const unsubscribe = this.onTrade(() => {
        if (enough()) {
          cleanup();
          resolve();
        }
      });
      const cleanup = (): void => {
        clearTimeout(timer);
        offFailure();
        unsubscribe();
        this.stopHooks.delete(onStop);
      };
      this.stopHooks.add(onStop);
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.checkTimer !== undefined) this.clock.clearTimeout(this.checkTimer);
    if (this.autoTimer !== undefined) this.clock.clearTimeout(this.autoTimer);
    this.checkTimer = this.autoTimer = undefined;
    this.retire();
    const retiring = this.retiring;
    this.stopping = (async () => {
      for (const hook of [...this.stopHooks]) hook();
      this.listeners.clear();
      await Promise.all(retiring);
      if (this.demoStarting) await this.demoStarting;
      if (this.demo) await this.demo.close();
      this.demo = undefined;
    })();
    return this.stopping;
  }

  /** Hosts a service on this thread next to the stores (in-thread mode; the worker uses `hostService` itself). Stopped with the ingestion. */
  host(request: HostServiceRequest): void {
    if (this.stopped) {
      request.port.close();
      return;
    }
    const service = hostService(request, { store: this.store, quotes: this.quotes, symbols: this.symbols, simulated: () => this.simulatedValue });
    this.stopHooks.add(() => void service.stop());
  }

  /** Calls `hook` once when stop() begins (or the worker fails); returns the function that removes it. Used by the registry. */
  onStop(hook: () => void): () => void {
    this.stopHooks.add(hook);
    return () => this.stopHooks.delete(hook);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private readonly gapHooks = new Set<(gap: FinalGap) => void>();
  private readonly sinks = new Set<(t: TradeEvent) => void>();

  /**
   * Calls `sink` with every stored trade, like `onTrade`, but it is not removed when `stop()` begins: trades
   * stored while the sockets close still reach it (the archive recorder). Returns the function that removes it.
   */
  addSink(sink: (t: TradeEvent) => void): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Calls `hook` when a trade-id gap becomes final (after the grace window); returns the unsubscribe function. */
  onGapFinal(hook: (gap: FinalGap) => void): () => void {
    this.gapHooks.add(hook);
    return () => this.gapHooks.delete(hook);
  }

  private emitGap(symbol: string, lo: number, hi: number, timeBefore: number, timeAfter: number): void {
    const gap: FinalGap = { symbol, stream: this.stream, lo, hi, timeBefore, timeAfter };
    for (const hook of [...this.gapHooks]) hook(gap);
  }

  /**
   * Stores trades recovered for a final gap (gap repair), by the late-trade rule (arrival order, time clamped
   * to the newest stored time), and tells the listeners. The caller injects each final gap's ids once: the
   * sequence already treats them as duplicates, so no live frame can store them again. O(n).
   */
  inject(symbol: string, trades: { id: ArrayLike<number>; time: ArrayLike<number>; price: ArrayLike<number>; qty: ArrayLike<number> }): number {
    const st = this.states.get(symbol);
    if (st === undefined || this.stopped) return 0;
    const n = trades.id.length;
    for (let i = 0; i < n; i++) {
      const t = trades.time[i];
      const time = t < st.lastTradeTime ? st.lastTradeTime : t;
      this.store.append(symbol, time, trades.price[i], trades.qty[i]);
      st.trades++;
      st.lastTradeTime = time;
      if (this.listeners.size > 0) {
        const event: TradeEvent = { symbol, id: trades.id[i], time: t, price: trades.price[i], qty: trades.qty[i], receivedAt: performance.now(), simulated: this.simulatedValue };
        for (const l of this.listeners) {
          try {
            l(event);
          } catch {
            /* a listener's error must not break ingestion */
          }
        }
      }
    }
    return n;
  }

  /** The source's base WebSocket URL in use now (the demo exchange's once it runs), or "" before. */
  get baseUrl(): string {
    if (this.demo !== undefined) return this.demo.url;
    if (this.resolved.kind === "url") return this.resolved.url;
    if (this.resolved.kind === "demo") return "";
    return this.o.liveUrl ?? BINANCE_FUTURES_WS;
  }

  /** True once the data are known to be simulated. */
  get simulated(): boolean {
    return this.simulatedValue;
  }
}

/** A trade-id range that is final (still missing after the grace window): ids lo … hi of `stream`. */
export interface FinalGap {
  symbol: string;
  stream: TradeStream;
  lo: number;
  hi: number;
  /** Trade time of the id before / after the range (epoch ms; NaN when unknown). */
  timeBefore: number;
  timeAfter: number;
}
