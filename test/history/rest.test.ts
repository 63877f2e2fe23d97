import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resample } from "../../src/analytics";
import { BinanceRestClient, RestBannedError, RestError, fetchAggTradeRange, fetchKlineRange, klinesToBars, type DemoRestServer } from "../../src/history";
import { NOW, demoRest, demoSource, fakeClock } from "./helpers";

describe("BinanceRestClient against the demo REST server", () => {
  let rest: DemoRestServer;
  const source = demoSource();
  beforeAll(async () => {
    rest = await demoRest({ source });
  });
  afterAll(async () => rest.close());

  for (const [interval, ms] of [["1m", 60_000], ["1s", 1000]] as const) {
    it(`klinesToBars(klines ${interval}) equals resample() of the same trades exactly (OHLC, volume, VWAP, count; tolerance 0)`, async () => {
      const client = new BinanceRestClient({ baseUrl: rest.url });
      const from = NOW - 2 * 3_600_000 - 30_000; // a minute boundary
      const k = await fetchKlineRange(client, "btcusdt", interval, from, NOW);
      const bars = klinesToBars(k, ms, NOW);
      const t = source.trades("btcusdt", from, NOW)!;
      const ref = resample({ time: t.time, price: t.price, qty: t.qty }, ms, { now: NOW });
      expect(bars.time.length).toBe(ref.time.length);
      expect(bars.time).toEqual(ref.time);
      for (const f of ["open", "high", "low", "close", "volume", "count", "vwap"] as const) expect(bars[f], f).toEqual(ref[f]);
      expect(bars.partial).toBe(ref.partial);
      expect(client.stats()).toMatchObject({ simulated: true, requests: interval === "1m" ? 1 : 5, banned: false });
    });
  }

  it("fetchAggTradeRange(client, symbol, from, to) pages over < 1 h windows and by fromId, returning every trade once", async () => {
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const from = NOW - 90 * 60_000;
    const progress: number[] = [];
    const aggs = await fetchAggTradeRange(client, "ethusdt", from, NOW, (p) => progress.push(p.done / p.total));
    const t = source.trades("ethusdt", from, NOW)!;
    expect(aggs.length).toBe(t.id.length); // ≈ 27,000: 2 windows, ~14 pages each
    expect(aggs.map((a) => a.f)).toEqual(Array.from(t.id));
    expect(aggs.every((a) => a.f === a.l && a.a === a.f)).toBe(true);
    expect(aggs[100].p).toBe(t.price[100]);
    expect(aggs[100].q).toBe(t.qty[100]);
    expect(progress.at(-1)).toBeCloseTo(1, 2);
    expect(client.stats().requests).toBeGreaterThan(20);
  });

  it("fundingRate(symbol) returns 8-hourly events inside the tape with markPrice = last price", async () => {
    const five = demoSource(5); // the tape starts 07:00:30 UTC: one funding time (08:00) inside
    const server = await demoRest({ source: five });
    const client = new BinanceRestClient({ baseUrl: server.url });
    const f = await client.fundingRate("btcusdt", { startTime: NOW - 24 * 3_600_000, endTime: NOW });
    await server.close();
    expect(f.map((x) => new Date(x.fundingTime).toISOString())).toEqual(["2026-12-07T08:00:00.000Z"]);
    const last = five.trades("btcusdt", Date.parse("2026-12-07T07:00:00Z"), Date.parse("2026-12-07T08:00:00Z"))!;
    expect(f[0].markPrice).toBe(last.price[last.id.length - 1]);
    expect(Math.abs(f[0].fundingRate)).toBeLessThanOrEqual(0.0003);
  });

  it("klines(unknown symbol) rejects with RestError carrying status 400 and Binance code -1121", async () => {
    const client = new BinanceRestClient({ baseUrl: rest.url });
    const e = await client.klines("nosuch", "1m").catch((x: unknown) => x as RestError);
    expect(e).toBeInstanceOf(RestError);
    expect(e).toMatchObject({ status: 400, binanceCode: -1121, code: "E_REST" });
  });

  it("aggTrades(bad query) throws RangeError before sending", async () => {
    const client = new BinanceRestClient({ baseUrl: rest.url });
    await expect(client.aggTrades("btcusdt", { fromId: 1, startTime: 0 })).rejects.toThrow(/'query' must be either fromId or startTime\/endTime/);
    await expect(client.aggTrades("btcusdt", { startTime: 0, endTime: 3_600_000 })).rejects.toThrow(/'endTime' must be startTime <= endTime < startTime \+ 1 h/);
    await expect(client.klines("btcusdt", "1m", { limit: 1501 })).rejects.toThrow(/'limit' must be an integer in \[1, 1500\], got 1501/);
    expect(client.stats().requests).toBe(0);
  });
});

describe("BinanceRestClient rate limits", () => {
  it("BinanceRestClient waits for the next minute when its own weight budget is spent (injected clock, no sleep)", async () => {
    const rest = await demoRest();
    try {
      const clock = fakeClock(NOW);
      const client = new BinanceRestClient({ baseUrl: rest.url, weightPerMinute: 40, clock });
      for (let i = 0; i < 3; i++) await client.aggTrades("btcusdt", { fromId: 1 + i * 1000 }); // 20 each
      expect(clock.sleeps).toEqual([NOW - (NOW % 60_000) + 60_000 - NOW + 1]); // the 3rd waited for the next minute
      expect(client.stats()).toMatchObject({ requests: 3, weight: 60, serverUsedWeight: 60 });
    } finally {
      await rest.close();
    }
  });

  it("a 429 is retried after Retry-After; a 418 stops the client for good with RestBannedError", async () => {
    let t = NOW;
    const rest = await demoRest({ now: () => t, weightPerMinute: 20, banAfter429: 1 });
    try {
      const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
      const client = new BinanceRestClient({ baseUrl: rest.url, clock, maxRetries: 2 });
      await client.aggTrades("btcusdt", { fromId: 1 });
      await client.aggTrades("btcusdt", { fromId: 1 }); // 429 (Retry-After 30 s), retried in the next minute
      expect(client.stats()).toMatchObject({ throttled: 1, requests: 3 });
      await client.aggTrades("btcusdt", { fromId: 1 }).catch(() => undefined); // 429 again -> over banAfter429 -> 418
      const e = await client.aggTrades("btcusdt", { fromId: 1 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RestBannedError);
      expect((e as RestBannedError).code).toBe("E_REST_BANNED");
      expect(client.stats().banned).toBe(true);
    } finally {
      await rest.close();
    }
  });

  it("an unreachable server rejects with RestError status 0", async () => {
    const closed = await demoRest();
    await closed.close(); // a port nobody listens on any more
    const client = new BinanceRestClient({ baseUrl: closed.url, timeoutMs: 2000 });
    const e = (await client.klines("btcusdt", "1m").catch((x: unknown) => x)) as RestError;
    expect(e).toBeInstanceOf(RestError);
    expect(e.status).toBe(0);
    expect(e.message).toMatch(/ECONNREFUSED/);
  });
});
