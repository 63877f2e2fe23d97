import { parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { BarBatch, TradeBatch } from "./archive-types";

/** A validated trade batch: sorted by id, ids unique, plain typed arrays. */
export interface SortedTrades {
  symbol: string;
  id: Float64Array;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  maker: Uint8Array;
  source: string;
  simulated: boolean;
}

/** The trades of `t` whose `keep` flag is 1, in order (new arrays; symbol, source and label kept). O(n). */
export function selectTrades(t: SortedTrades, keep: Uint8Array): SortedTrades {
  let m = 0;
  for (let i = 0; i < keep.length; i++) m += keep[i];
  const out: SortedTrades = { ...t, id: new Float64Array(m), time: new Float64Array(m), price: new Float64Array(m), qty: new Float64Array(m), maker: new Uint8Array(m) };
  for (let i = 0, k = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    out.id[k] = t.id[i];
    out.time[k] = t.time[i];
    out.price[k] = t.price[i];
    out.qty[k] = t.qty[i];
    out.maker[k] = t.maker[i];
    k++;
  }
  return out;
}

const SYMBOL = /^[a-z0-9_]{1,32}$/;

/** Validates a symbol name (lower-case letters, digits, `_`, ≤ 32 chars). */
export function checkSymbol(what: string, symbol: unknown): asserts symbol is string {
  if (typeof symbol !== "string" || !SYMBOL.test(symbol)) {
    throw parameterRangeError(what, "symbol", "a lower-case symbol like \"btcusdt\" (a-z, 0-9, _; ≤ 32 chars)", symbol);
  }
}

function checkSource(what: string, source: unknown, simulated: unknown): void {
  if (typeof source !== "string" || source.length === 0 || source.length > 64) {
    throw parameterRangeError(what, "source", "a non-empty string of ≤ 64 characters", source);
  }
  if (typeof simulated !== "boolean") throw parameterTypeError(what, "simulated", "a boolean", simulated);
}

/**
 * Validates a {@link TradeBatch} and returns it sorted by trade id with duplicate ids removed (the first
 * occurrence wins). O(n) when already sorted, O(n log n) otherwise.
 *
 * @throws RangeError/TypeError (E_PARAM) naming the field: a bad symbol or source, columns of different
 *   lengths, a non-integer or negative id, a non-finite time/price/qty, a negative quantity.
 * @example
 * normalizeTradeBatch({ symbol: "btcusdt", id: [2, 1, 2], time: [20, 10, 20], price: [5, 4, 5], qty: [1, 1, 1], source: "demo", simulated: true }, "w").id;
 * // Float64Array [1, 2]
 */
export function normalizeTradeBatch(batch: TradeBatch, what: string): SortedTrades {
  if (batch === null || typeof batch !== "object") throw parameterTypeError(what, "batch", "an object { symbol, id, time, price, qty, source, simulated }", batch);
  checkSymbol(what, batch.symbol);
  checkSource(what, batch.source, batch.simulated);
  for (const f of ["id", "time", "price", "qty"] as const) assertArrayLike(what, `batch.${f}`, batch[f]);
  for (const f of ["time", "price", "qty"] as const) assertSameLength(what, "batch.id", batch.id, `batch.${f}`, batch[f]);
  if (batch.maker !== undefined) {
    assertArrayLike(what, "batch.maker", batch.maker);
    assertSameLength(what, "batch.id", batch.id, "batch.maker", batch.maker);
  }
  const n = batch.id.length;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const id = batch.id[i];
    if (!Number.isSafeInteger(id) || id < 0) throw parameterRangeError(what, `batch.id[${i}]`, "a safe integer >= 0", id);
    if (!Number.isFinite(batch.time[i])) throw parameterRangeError(what, `batch.time[${i}]`, "a finite epoch ms", batch.time[i]);
    if (!Number.isFinite(batch.price[i])) throw parameterRangeError(what, `batch.price[${i}]`, "a finite price", batch.price[i]);
    if (!(batch.qty[i] >= 0) || !Number.isFinite(batch.qty[i])) throw parameterRangeError(what, `batch.qty[${i}]`, "a finite quantity >= 0", batch.qty[i]);
    if (i > 0 && !(batch.id[i - 1] < id)) sorted = false;
  }
  let order: ArrayLike<number> | null = null;
  if (!sorted) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const ids = batch.id;
    const arr = Array.from(idx).sort((a, b) => ids[a] - ids[b] || a - b);
    const keep: number[] = [];
    for (const i of arr) if (keep.length === 0 || ids[keep[keep.length - 1]] !== ids[i]) keep.push(i);
    order = keep;
  }
  const m = order ? order.length : n;
  const out: SortedTrades = {
    symbol: batch.symbol,
    id: new Float64Array(m),
    time: new Float64Array(m),
    price: new Float64Array(m),
    qty: new Float64Array(m),
    maker: new Uint8Array(m),
    source: batch.source,
    simulated: batch.simulated,
  };
  for (let k = 0; k < m; k++) {
    const i = order ? order[k] : k;
    out.id[k] = batch.id[i];
    out.time[k] = batch.time[i];
    out.price[k] = batch.price[i];
    out.qty[k] = batch.qty[i];
    out.maker[k] = batch.maker && batch.maker[i] ? 1 : 0;
  }
  return out;
}

/**
 * Validates a {@link BarBatch} (all columns the same length, finite values, integer open times on the
 * interval grid). O(n).
 *
 * @throws RangeError/TypeError (E_PARAM) naming the field.
 * @example
 * checkBarBatch({ symbol: "btcusdt", intervalMs: 60000, time: [0], open: [1], high: [1], low: [1], close: [1], volume: [0], quoteVolume: [0], count: [0], source: "klines", simulated: false }, "w");
 */
export function checkBarBatch(batch: BarBatch, what: string): void {
  if (batch === null || typeof batch !== "object") throw parameterTypeError(what, "batch", "an object of bar columns", batch);
  checkSymbol(what, batch.symbol);
  checkSource(what, batch.source, batch.simulated);
  if (!Number.isSafeInteger(batch.intervalMs) || batch.intervalMs < 1) throw parameterRangeError(what, "intervalMs", "an integer number of ms >= 1", batch.intervalMs);
  const cols = ["time", "open", "high", "low", "close", "volume", "quoteVolume", "count"] as const;
  for (const f of cols) assertArrayLike(what, `batch.${f}`, batch[f]);
  for (const f of cols) assertSameLength(what, "batch.time", batch.time, `batch.${f}`, batch[f]);
  for (let i = 0; i < batch.time.length; i++) {
    const t = batch.time[i];
    if (!Number.isSafeInteger(t) || t % batch.intervalMs !== 0) throw parameterRangeError(what, `batch.time[${i}]`, `an integer multiple of intervalMs (${batch.intervalMs})`, t);
    for (const f of cols) if (!Number.isFinite(batch[f][i])) throw parameterRangeError(what, `batch.${f}[${i}]`, "a finite number", batch[f][i]);
  }
}

/** Validates a time range; returns [from, to) with defaults ±Infinity. */
export function checkRange(what: string, range: { from?: number; to?: number } | undefined): [number, number] {
  const from = range?.from ?? -Infinity;
  const to = range?.to ?? Infinity;
  if (typeof from !== "number" || Number.isNaN(from)) throw parameterRangeError(what, "range.from", "an epoch ms number", from);
  if (typeof to !== "number" || Number.isNaN(to)) throw parameterRangeError(what, "range.to", "an epoch ms number", to);
  return [from, to];
}
