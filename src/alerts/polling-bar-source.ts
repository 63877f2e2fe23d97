import { parameterRangeError } from "../errors";
import { intervalMs } from "../analytics/interval";
import type { BarInterval } from "../analytics/types";
import { realAlertClock, type AlertClock } from "./alert-clock";
import type { AlertBar, BarSource, Touch } from "./alert-types";

/** The part of a tick store the source reads (the ingestion's `TickStore` fits). */
export interface TickReader {
  ticksSince(symbol: string, seq: number): { ticks: { time: ArrayLike<number>; price: ArrayLike<number> }; nextSeq: number; dropped: number };
}

/** The part of a quote store the source reads for the touch (`QuoteStore` fits). */
export interface TouchReader {
  latest(symbol: string): Touch | null;
}

/** Options of {@link pollingBarSource}. */
export interface PollingBarSourceOptions {
  /** Where trades are read (e.g. `ingestion.store`). */
  ticks: TickReader;
  /** Symbols (lower-case), all of them needed by the rules. */
  symbols: readonly string[];
  /** Bar width: "1s", "1m", "5m" or ms. */
  interval: BarInterval;
  /** Current touch per symbol (e.g. a `QuoteStore`), for quote-cost rules. */
  quotes?: TouchReader;
  /** Poll period, ms (default 200). */
  pollMs?: number;
  /** A bar is closed once the clock is this far past its end (late ticks; default 250 ms). */
  graceMs?: number;
  /** Also emit the forming bar's values on every poll (needed by "once-per-bar" rules; default true). */
  partial?: boolean;
  /** The data are simulated: alerts are labelled so. */
  simulated: boolean;
  clock?: AlertClock;
}

/** A {@link BarSource} that polls a tick store; `stop()` ends the polling. */
export interface PollingBarSource extends BarSource {
  /** Polls now (also what the timer calls). Returns the number of updates emitted. */
  poll(): number;
  /** Stops the timer and drops listeners. Idempotent. */
  stop(): void;
  /** Ticks that arrived after their bar had been emitted closed (folded into the next bar), and ticks evicted before they were read. */
  readonly lateTicks: number;
  readonly droppedTicks: number;
  /** Symbols with no trade read yet: no bar is emitted until every symbol has traded (e.g. a misspelt symbol). */
  silentSymbols(): string[];
}

interface SymbolState {
  seq: number;
  /** Pending (bin, last price) entries for bins not emitted yet, oldest first. */
  bins: number[];
  prices: number[];
  carry: number;
  firstBin: number;
}

/**
 * A bar source for the alert engine over a tick store: every `pollMs` it reads the new ticks of each
 * symbol (`ticksSince`), folds them into per-bin last prices, and emits, in time order, one closed
 * {@link AlertBar} for every bin that ended more than `graceMs` ago (close = last trade price in the bin,
 * the previous close for a bin without trades — the `resample` close), starting at the first bin where every
 * symbol has traded; then, with `partial`, the forming bin's values so far. The touch is the quote store's
 * latest quote at emission. A tick older than an emitted bin is counted in `lateTicks` and counts for the
 * next bar. The timer starts with the first subscriber, is unref'd (never keeps Node alive) and stops with
 * the last unsubscribe or `stop()`. O(new ticks + new bins) per poll.
 *
 * @throws RangeError (E_PARAM) for no symbols, an unknown interval, bad pollMs/graceMs.
 * @example
 * const source = pollingBarSource({ ticks: ingestion.store, symbols: ["btcusdt", "ethusdt"], interval: "1s", simulated: true });
 * engine.attach(source); // … later: source.stop()
 */
export function pollingBarSource(options: PollingBarSourceOptions): PollingBarSource {
  const what = "pollingBarSource";
  if (!Array.isArray(options.symbols) || options.symbols.length === 0) throw parameterRangeError(what, "symbols", "a non-empty array of symbols", options.symbols);
  const I = intervalMs(what, options.interval);
  const pollMs = options.pollMs ?? 200;
  if (!Number.isFinite(pollMs) || pollMs < 1) throw parameterRangeError(what, "pollMs", "a number of ms >= 1", pollMs);
  const graceMs = options.graceMs ?? 250;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw parameterRangeError(what, "graceMs", "a number of ms >= 0", graceMs);
  const clock = options.clock ?? realAlertClock;
  const partial = options.partial ?? true;
  const symbols = options.symbols.map((s) => s.toLowerCase());
  const states: SymbolState[] = symbols.map(() => ({ seq: 0, bins: [], prices: [], carry: NaN, firstBin: Infinity }));
  const listeners = new Set<(bar: AlertBar) => void>();
  let timer: unknown;
  let stopped = false;
  let nextBin = -Infinity;
  let lateTicks = 0;
  let droppedTicks = 0;

  function read(): void {
    for (let k = 0; k < symbols.length; k++) {
      const st = states[k];
      const chunk = options.ticks.ticksSince(symbols[k], st.seq);
      st.seq = chunk.nextSeq;
      droppedTicks += chunk.dropped;
      const { time, price } = chunk.ticks;
      for (let i = 0; i < time.length; i++) {
        let bin = Math.floor(time[i] / I);
        if (bin < nextBin) {
          lateTicks++;
          bin = nextBin;
        }
        if (bin < st.firstBin) st.firstBin = bin;
        const last = st.bins.length - 1;
        if (last >= 0 && st.bins[last] >= bin) st.prices[last] = price[i];
        else {
          st.bins.push(bin);
          st.prices.push(price[i]);
        }
      }
    }
  }

  function closesAt(bin: number, consume: boolean): Record<string, number> {
    const close: Record<string, number> = {};
    for (let k = 0; k < symbols.length; k++) {
      const st = states[k];
      let j = 0;
      let v = st.carry;
      while (j < st.bins.length && st.bins[j] <= bin) v = st.prices[j++];
      if (consume) {
        st.bins.splice(0, j);
        st.prices.splice(0, j);
        st.carry = v;
      }
      close[symbols[k]] = v;
    }
    return close;
  }

  function touches(): Record<string, Touch> | undefined {
    if (options.quotes === undefined) return undefined;
    const out: Record<string, Touch> = {};
    for (const s of symbols) {
      const q = options.quotes.latest(s);
      if (q !== null) out[s] = { bid: q.bid, ask: q.ask, bidQty: q.bidQty, askQty: q.askQty, time: q.time };
    }
    return out;
  }

  function emit(bar: AlertBar): void {
    for (const l of [...listeners]) l(bar);
  }

  function poll(): number {
    if (stopped) return 0;
    read();
    const start = Math.max(...states.map((s) => s.firstBin));
    if (!Number.isFinite(start)) return 0;
    if (nextBin < start) nextBin = start;
    const now = clock.now();
    let emitted = 0;
    const touch = touches();
    while ((nextBin + 1) * I + graceMs <= now) {
      emit({ time: nextBin * I, closed: true, close: closesAt(nextBin, true), touch });
      nextBin++;
      emitted++;
    }
    if (partial && nextBin * I <= now) {
      emit({ time: nextBin * I, closed: false, close: closesAt(nextBin, false), touch });
      emitted++;
    }
    return emitted;
  }

  function schedule(): void {
    if (stopped || listeners.size === 0) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      try {
        poll();
      } finally {
        schedule();
      }
    }, pollMs);
  }

  return {
    interval: I,
    simulated: options.simulated,
    get lateTicks() {
      return lateTicks;
    },
    get droppedTicks() {
      return droppedTicks;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (timer === undefined) schedule();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clock.clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    poll,
    silentSymbols: () => symbols.filter((_, k) => !Number.isFinite(states[k].firstBin)),
    stop() {
      stopped = true;
      listeners.clear();
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
