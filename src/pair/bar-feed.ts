import { createResampler, type BarInterval, type Bars, type Resampler, type Ticks } from "../analytics";

/** The part of a tick store a bar feed reads (ingestion's `TickStore` fits). */
export interface TickSource {
  ticksSince(symbol: string, seq: number): { ticks: Ticks; nextSeq: number; dropped: number };
  /** Optional zero-copy read (ingestion's `TickStore.views`): used for a feed's first catch-up read. */
  views?(symbol: string, fromSequence: number): { blocks: Ticks[]; nextSeq: number; dropped: number; valid(): boolean };
}

/** Bars of one symbol kept up to date from a tick store. */
export interface BarFeed {
  /** Symbol read. */
  readonly symbol: string;
  /** Folds the ticks that arrived since the last call, then returns a copy of all bars. O(new ticks + bars). */
  bars(now?: number): Bars;
  /** Folds the ticks that arrived since the last call without copying the bars; returns how many were folded. O(new ticks). */
  update(): number;
  /** Ticks folded so far (grows with every update; lets a caller tell whether anything changed). */
  readonly ticks: number;
  /** Ticks that were evicted from the store before this feed read them (0 normally). */
  readonly missed: number;
}

/**
 * Incremental bars for a notebook: each `bars()` call reads only the ticks stored since the previous
 * call (`ticksSince`) and folds them into a {@link createResampler}, so refreshing a dashboard over a
 * day of trades does not re-bin millions of ticks each time. Identical to `resample(store.ticks(symbol))`.
 * The first read folds the store's zero-copy `views` when it has them (no copy of the stored ticks; if the
 * sequence-lock check fails, that read is discarded and redone with `ticksSince`).
 * O(new ticks) per call plus the copy of the bars.
 *
 * Memory: the bars are bounded by `maxBytes` (default 256 MB at `bytesPerBar`, default 64 bytes per bar), checked
 * before the resampler allocates; a call whose ticks would need more throws and keeps the bars it had.
 * @throws RangeError (E_PARAM) for an unknown timeframe, a bad `maxBytes`, or (from `bars()`) bars beyond `maxBytes`;
 *   the message names the interval, the span and the size.
 * @example const feed = barFeed(ingestion.store, "btcusdt", "1m"); feed.bars(Date.now())
 */
export function barFeed(store: TickSource, symbol: string, timeframe: BarInterval, options: { maxBytes?: number; bytesPerBar?: number } = {}): BarFeed {
  let resampler: Resampler = createResampler(timeframe, options);
  let seq = 0;
  let missed = 0;
  /**
   * First read (nothing folded yet, typically a catch-up over millions of stored ticks): fold zero-copy views
   * block by block, then run the store's sequence-lock check. If any view was overwritten meanwhile (or a
   * fold threw), the still-empty resampler is simply replaced, so nothing read from a torn view survives,
   * and the read is redone with the copy path (which also raises any genuine error as it always did).
   * Returns undefined when the copy path must be used.
   */
  function firstReadFromViews(): number | undefined {
    if (store.views === undefined || seq !== 0 || resampler.tickCount !== 0) return undefined;
    const v = store.views(symbol, seq);
    let n = 0;
    try {
      for (const b of v.blocks) {
        resampler.append(b);
        n += b.time.length;
      }
    } catch {
      // Torn data, or a genuine error (e.g. bars beyond maxBytes): redo with the copy path, which raises a
      // genuine error for the whole read exactly as before (a per-block fold would name a shorter span).
      resampler = createResampler(timeframe, options);
      return undefined;
    }
    if (!v.valid()) {
      resampler = createResampler(timeframe, options);
      return undefined;
    }
    missed += v.dropped;
    seq = v.nextSeq;
    return n;
  }
  function update(): number {
    const fromViews = firstReadFromViews();
    if (fromViews !== undefined) return fromViews;
    const chunk = store.ticksSince(symbol, seq);
    missed += chunk.dropped;
    const n = chunk.ticks.time.length;
    if (n > 0) resampler.append(chunk.ticks);
    seq = chunk.nextSeq;
    return n;
  }
  return {
    symbol,
    get missed() {
      return missed;
    },
    get ticks() {
      return resampler.tickCount;
    },
    update,
    bars(now?: number): Bars {
      update();
      return resampler.bars(now);
    },
  };
}
