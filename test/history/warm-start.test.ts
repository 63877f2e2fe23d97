import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resample } from "../../src/analytics";
import { SqliteArchive } from "../../src/archive";
import { BinanceRestClient, gapStats, mergeBars, repairGap, warmStart, type DemoRestServer } from "../../src/history";
import { NOW, demoRest, demoSource } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-warm-"));
const source = demoSource(25);
let rest: DemoRestServer;
beforeAll(async () => {
  rest = await demoRest({ source });
});
afterAll(async () => {
  await rest.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Archives the demo tape's trades of `symbol` in [from, to] (as a recorder would have). */
function record(archive: SqliteArchive, symbol: string, from: number, to: number): void {
  const t = source.trades(symbol, from, to)!;
  archive.writeTradesSync({ symbol, id: t.id, time: t.time, price: t.price, qty: t.qty, maker: t.maker, source: "demo", simulated: true });
}

describe("mergeBars", () => {
  const bars = (t0: number, closes: number[], counts: number[]) => ({
    time: Float64Array.from(closes, (_, i) => t0 + i * 60_000), open: Float64Array.from(closes), high: Float64Array.from(closes), low: Float64Array.from(closes),
    close: Float64Array.from(closes), volume: Float64Array.from(counts), vwap: Float64Array.from(closes), count: Float64Array.from(counts), partial: false,
  });
  it("mergeBars(layers) takes the first layer with trades per bin, fills uncovered bins as 'empty' and keeps each source", () => {
    const m = mergeBars([
      { source: "live", bars: bars(180_000, [40, 41], [3, 3]) },
      { source: "archive", bars: bars(60_000, [20, 21, 22], [5, 0, 5]) },
      { source: "klines", bars: bars(0, [10, 11, 12, 13], [1, 1, 1, 1]) },
    ], 60_000);
    expect(Array.from(m.time)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    expect(m.source).toEqual(["klines", "archive", "klines", "live", "live"]); // archive bin 2 had no trades
    expect(Array.from(m.close)).toEqual([10, 20, 12, 40, 41]);
    const gap = mergeBars([{ source: "klines", bars: bars(0, [1], [1]) }, { source: "live", bars: bars(180_000, [2], [1]) }], 60_000);
    expect(gap.source).toEqual(["klines", "empty", "empty", "live"]);
    expect(Array.from(gap.close)).toEqual([1, 1, 1, 2]);
    expect(Array.from(gap.volume)).toEqual([1, 0, 0, 1]);
  });
  it("mergeBars(bars off the grid) throws RangeError naming the layer", () => {
    expect(() => mergeBars([{ source: "klines", bars: bars(1, [1], [1]) }], 60_000)).toThrow(/'klines.time\[0\]' must be a multiple of intervalMs/);
  });
});

describe("warmStart", () => {
  it("warmStart() loads archived ticks, backfills the rest of 24 h from REST and matches resample() of the full tape exactly", async () => {
    const archive = SqliteArchive.open(join(dir, "warm1.sqlite"));
    // The archive holds 10:00–11:00 and 11:30–12:00:30 (a 30 min hole, e.g. the kernel was down).
    record(archive, "btcusdt", NOW - 2 * 3_600_000 - 30_000, NOW - 3_600_000 - 30_000);
    record(archive, "btcusdt", NOW - 30 * 60_000 - 30_000, NOW);
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const steps: string[] = [];
    const ws = await warmStart({ symbol: "btcusdt", interval: "1m", archive, client, now: NOW, onProgress: (p) => steps.push(p.what) });
    expect(ws.missing).toEqual([]);
    expect(ws.bars.time.length).toBe(24 * 60 + 1);
    expect(ws.counts.archive + ws.counts.klines).toBe(24 * 60 + 1);
    expect(ws.counts.archive).toBeGreaterThan(80);
    expect(ws.counts.klines).toBeGreaterThan(22 * 60);
    expect(ws.simulated).toBe(true);
    expect(steps[0]).toBe("btcusdt 1m klines");
    const t = source.trades("btcusdt", ws.bars.time[0], NOW)!;
    const ref = resample({ time: t.time, price: t.price, qty: t.qty }, 60_000, { now: NOW });
    for (const f of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) expect(ws.bars[f], f).toEqual(ref[f]);
    // The hole came from REST, the recorded hours from the archive.
    const at = (ms: number) => ws.bars.source[(ms - ws.bars.time[0]) / 60_000];
    expect(at(NOW - 45 * 60_000 - 30_000)).toBe("klines");
    expect(at(NOW - 90 * 60_000 - 30_000)).toBe("archive");
    // The closed klines were stored: a second warm start asks REST only for what is still open.
    const again = await warmStart({ symbol: "btcusdt", interval: "1m", archive, client: new BinanceRestClient({ baseUrl: rest.url }), now: NOW });
    expect(again.rest!.requests).toBe(0);
    for (const f of ["close", "volume", "count"] as const) expect(again.bars[f], f).toEqual(ref[f]);
    archive.closeSync();
  });

  it("warmStart() with REST unreachable returns the archived bars and lists what is missing, without throwing", async () => {
    const archive = SqliteArchive.open(join(dir, "warm2.sqlite"));
    record(archive, "ethusdt", NOW - 3_600_000, NOW);
    const down = await demoRest();
    await down.close();
    const ws = await warmStart({ symbol: "ethusdt", interval: "5m", hours: 3, archive, client: new BinanceRestClient({ baseUrl: down.url, maxRetries: 0 }), now: NOW });
    expect(ws.counts.archive).toBeGreaterThanOrEqual(12);
    expect(ws.counts.klines).toBe(0);
    expect(ws.missing.length).toBeGreaterThan(0);
    expect(ws.missing[0]).toMatchObject({ from: NOW - 30_000 - 3 * 3_600_000 });
    expect(ws.missing[0].reason).toMatch(/Binance REST .*no answer/);
    archive.closeSync();
  });

  it("warmStart({ hours: 25 }) throws RangeError", async () => {
    await expect(warmStart({ symbol: "btcusdt", interval: "1m", hours: 25 })).rejects.toThrow(/'hours' must be a number in \(0, 24\], got 25/);
  });
});

describe("repairGap", () => {
  it("repairGap(client, gap) returns exactly the missing trades, which make the bars over the gap exact", async () => {
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const all = source.trades("btcusdt", NOW - 20 * 60_000, NOW - 10 * 60_000)!;
    const a = 100;
    const b = all.id.length - 100; // received: [0, a] and [b, end]; missing ids between
    const gap = { symbol: "btcusdt", lastIdBefore: all.id[a], firstIdAfter: all.id[b], from: all.time[a], to: all.time[b] };
    const r = await repairGap(client, gap);
    expect(r.status).toBe("repaired");
    expect(r.expected).toBe(b - a - 1);
    expect(Array.from(r.trades.id)).toEqual(Array.from(all.id.subarray(a + 1, b)));
    expect(r.trades.price).toEqual(all.price.slice(a + 1, b));
    expect(r.trades.qty).toEqual(all.qty.slice(a + 1, b));
    expect(r.sharedQty).toBe(0);
    expect(r.trades).toMatchObject({ source: "rest", simulated: true });
    // Store: received + repaired -> the same bars as the full tape.
    const archive = SqliteArchive.open(join(dir, "gap.sqlite"));
    const sl = (x: Float64Array, i: number, j: number) => x.subarray(i, j);
    archive.writeTradesSync({ symbol: "btcusdt", id: sl(all.id, 0, a + 1), time: sl(all.time, 0, a + 1), price: sl(all.price, 0, a + 1), qty: sl(all.qty, 0, a + 1), source: "demo", simulated: true });
    archive.writeTradesSync({ symbol: "btcusdt", id: sl(all.id, b, all.id.length), time: sl(all.time, b, all.id.length), price: sl(all.price, b, all.id.length), qty: sl(all.qty, b, all.id.length), source: "demo", simulated: true });
    expect(archive.writeTradesSync(r.trades)).toBe(r.expected);
    expect(archive.writeTradesSync(r.trades)).toBe(0); // injected twice: still once
    const got = archive.readTradesSync("btcusdt");
    expect(resample(got, 60_000)).toEqual(resample({ time: all.time, price: all.price, qty: all.qty }, 60_000));
    archive.closeSync();
  });

  it("repairGap() reports 'partial' when the exchange no longer has part of the gap and 'unrepairable' when REST is down", async () => {
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const first = source.trades("btcusdt", 0, NOW)!;
    // A gap reaching before the tape's first trade: those ids are not returned.
    const partial = await repairGap(client, { symbol: "btcusdt", lastIdBefore: -5 + 0, firstIdAfter: first.id[50], from: first.time[0] - 10_000, to: first.time[50] });
    expect(partial.status).toBe("partial");
    expect(partial.trades.id.length).toBe(50);
    const down = await demoRest();
    await down.close();
    const none = await repairGap(new BinanceRestClient({ baseUrl: down.url }), { symbol: "btcusdt", lastIdBefore: 10, firstIdAfter: 20, from: NOW - 1000, to: NOW });
    expect(none.status).toBe("unrepairable");
    expect(none.reason).toMatch(/no answer/);
    expect(gapStats([partial, none, { ...none, status: "repaired" }])).toMatchObject({ found: 3, repaired: 1, unrepairable: 2, tradesRecovered: 50 });
  });
});

describe("findTradeGaps", () => {
  it("findTradeGaps(trades) lists each id jump with the ids and times around it; none for contiguous ids or < 2 trades", async () => {
    const { findTradeGaps } = await import("../../src/history");
    const f = (xs: number[]) => Float64Array.from(xs);
    expect(findTradeGaps({ symbol: "btcusdt", id: f([1, 2, 5, 6, 9]), time: f([10, 20, 50, 60, 90]) })).toEqual([
      { symbol: "btcusdt", lastIdBefore: 2, firstIdAfter: 5, from: 20, to: 50 },
      { symbol: "btcusdt", lastIdBefore: 6, firstIdAfter: 9, from: 60, to: 90 },
    ]);
    expect(findTradeGaps({ symbol: "x", id: f([1, 2, 3]), time: f([1, 2, 3]) })).toEqual([]);
    expect(findTradeGaps({ symbol: "x", id: f([7]), time: f([1]) })).toEqual([]);
  });
});
