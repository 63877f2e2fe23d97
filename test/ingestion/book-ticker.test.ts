import { afterEach, describe, expect, it } from "vitest";
import { startIngestion, stopAllIngestion } from "../../src/ingestion/start-ingestion";
import { SharedQuoteStore } from "../../src/ingestion/shared-quote-store";
import { bookTickerUrls } from "../../src/ingestion/book-ticker-feed";
import { settle, startScriptedServer, until, type ScriptedServer } from "./helpers";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await stopAllIngestion();
  await server?.close();
  server = undefined;
});

const T0 = 1_780_000_000_000;
function bt(u: number, t: number, b: string, bq: string, a: string, aq: string, symbol = "BTCUSDT"): string {
  return JSON.stringify({ stream: `${symbol.toLowerCase()}@bookTicker`, data: { e: "bookTicker", u, s: symbol, b, B: bq, a, A: aq, T: t, E: t } });
}

describe("SharedQuoteStore", () => {
  it("SharedQuoteStore.ingest(frames) keeps the last quote per ms, counts rejections per reason and never stores them, counts u gaps", () => {
    const w = SharedQuoteStore.create(["btcusdt"], 100);
    expect(w.ingest(bt(1, T0, "100.0", "1", "100.1", "2"))).toBe("quote");
    expect(w.ingest(bt(2, T0, "100.0", "3", "100.1", "2"))).toBe("quote"); // same ms: conflated
    expect(w.ingest(bt(3, T0 + 1, "100.2", "1", "100.1", "2"))).toBe("rejected"); // crossed
    expect(w.ingest(bt(3, T0 + 1, "100.0", "0", "100.1", "2"))).toBe("rejected"); // zero qty
    expect(w.ingest(bt(3, T0 + 1, "100.0", "-1", "100.1", "2"))).toBe("rejected"); // negative qty
    expect(w.ingest(bt(1, T0 + 1, "100.0", "1", "100.1", "2"))).toBe("rejected"); // u backwards
    expect(w.ingest(bt(7, T0 + 2, "100.1", "1", "100.2", "2"))).toBe("quote"); // gap 3..6
    const r = SharedQuoteStore.attach(w.init());
    const q = r.quotes("btcusdt");
    expect(Array.from(q.time)).toEqual([T0, T0 + 2]);
    expect(Array.from(q.bidQty)).toEqual([3, 1]);
    expect(Array.from(q.updateId)).toEqual([2, 7]);
    const st = w.stats("btcusdt");
    expect(st).toMatchObject({ size: 2, accepted: 3, conflated: 1, gaps: 1, missingIds: 4, evicted: 0 });
    expect(st.rejected["crossed-book"]).toBe(1);
    expect(st.rejected["non-positive-quantity"]).toBe(2);
    expect(st.rejected["update-id-backwards"]).toBe(1);
    expect(r.latest("btcusdt")).toMatchObject({ time: T0 + 2, bid: 100.1, ask: 100.2 });
    expect(r.firstAtOrAfter("btcusdt", T0 + 1)).toMatchObject({ time: T0 + 2 });
    expect(r.firstAtOrAfter("btcusdt", T0 + 3)).toBeNull();
  });

  it("SharedQuoteStore(capacity 3) evicts the oldest and quotesSince reports the dropped", () => {
    const w = SharedQuoteStore.create(["btcusdt"], 3);
    for (let i = 1; i <= 5; i++) w.ingest(bt(i, T0 + i, "100.0", String(i), "100.1", "1"));
    expect(Array.from(w.quotes("btcusdt").bidQty)).toEqual([3, 4, 5]);
    expect(w.stats("btcusdt").evicted).toBe(2);
    const since = w.quotesSince("btcusdt", 1);
    expect(since.dropped).toBe(1);
    expect(since.nextSeq).toBe(5);
    expect(Array.from(since.quotes.bidQty)).toEqual([3, 4, 5]);
    expect(() => w.quotesSince("btcusdt", -1)).toThrow(RangeError);
    expect(() => SharedQuoteStore.create(["btcusdt"], 0)).toThrow(RangeError);
  });

  it("bookTickerUrls(base, symbols) uses the /public route", () => {
    expect(bookTickerUrls("ws://127.0.0.1:9/", ["btcusdt", "ethusdt"])).toEqual(["ws://127.0.0.1:9/public/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker"]);
  });
});

describe("book tickers through the ingestion worker", () => {
  it("startIngestion({ quotes: true }) subscribes @bookTicker on /public in the worker: bad updates counted, never stored; u gaps reported", async () => {
    server = await startScriptedServer();
    const ing = startIngestion({ symbols: ["btcusdt"], source: server.url, quotes: true, quiet: true, env: {} });
    expect(ing.stats().thread).toBe("worker");
    const c0 = await server.connection(0);
    const c1 = await server.connection(1);
    const quoteConn = [c0, c1].find((c) => c.path.includes("@bookTicker"));
    expect(quoteConn?.path).toBe("/public/stream?streams=btcusdt@bookTicker");
    const frames = [
      bt(10, T0, "100.0", "1", "100.1", "1"),
      bt(11, T0 + 1, "100.2", "1", "100.1", "1"), // crossed
      bt(11, T0 + 1, "100.0", "0", "100.1", "1"), // zero bid qty
      bt(11, T0 + 1, "100.0", "1", "100.1", "-2"), // negative ask qty
      bt(9, T0 + 1, "100.0", "1", "100.1", "1"), // u backwards
      bt(11, T0 + 1, "100.0", "2", "100.1", "1"),
      bt(15, T0 + 2, "100.0", "3", "100.1", "1"), // gap: 12..14
      bt(16, T0 + 2, "100.0", "4", "100.1", "1"), // same ms: conflated
    ];
    for (const f of frames) quoteConn!.ws.send(f);
    const quotes = ing.quotes!;
    await until(() => quotes.sequence("btcusdt") === 3 && quotes.latest("btcusdt")?.bidQty === 4, "3 stored quotes");
    await settle(50);
    const q = quotes.quotes("btcusdt");
    expect(Array.from(q.updateId)).toEqual([10, 11, 16]);
    expect(Array.from(q.bidQty)).toEqual([1, 2, 4]);
    for (let i = 0; i < q.time.length; i++) expect(q.bid[i]).toBeLessThan(q.ask[i]);
    const st = ing.stats().quotes!;
    expect(st.route).toBe("/public bookTicker");
    expect(st.messages).toBe(8);
    expect(st.symbols.btcusdt).toMatchObject({ accepted: 4, conflated: 1, gaps: 1, missingIds: 3, size: 3 });
    expect(st.symbols.btcusdt.rejected).toMatchObject({ "crossed-book": 1, "non-positive-quantity": 2, "update-id-backwards": 1 });
    // The trade store is untouched by quotes.
    expect(ing.store.sequence("btcusdt")).toBe(0);
    await ing.stop();
  });

  it("startIngestion without quotes opens no bookTicker connection and has no quote store", async () => {
    server = await startScriptedServer();
    const ing = startIngestion({ symbols: ["btcusdt"], source: server.url, quiet: true, env: {} });
    await server.connection(0);
    await settle(200);
    expect(server.connections.length).toBe(1);
    expect(ing.quotes).toBeUndefined();
    expect(ing.stats().quotes).toBeUndefined();
    await ing.stop();
  });

  it("the demo exchange's book tickers reach the worker's quote store and every trade prints at the bid or the ask", async () => {
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", quotes: true, demo: { seed: 7, rate: 50, historyMs: 30_000 }, quiet: true, env: {} });
    await ing.waitForTrades(1500, 20_000);
    const quotes = ing.quotes!;
    await until(() => quotes.size("btcusdt") > 3000 && quotes.size("ethusdt") > 3000, "demo quotes", 20_000);
    const st = ing.stats().quotes!;
    for (const s of ["btcusdt", "ethusdt"]) {
      const sym = st.symbols[s];
      expect(Object.values(sym.rejected).reduce((a, b) => a + b, 0)).toBe(0);
      expect(sym.gaps).toBe(0); // the demo's ids are contiguous
      const q = quotes.quotes(s);
      const t = ing.store.ticks(s);
      // Each trade whose millisecond holds no other trade prints at the bid or the ask of the quote stored for that ms.
      let checked = 0;
      let j = 0;
      for (let i = 0; i < t.time.length; i++) {
        if ((i > 0 && t.time[i - 1] === t.time[i]) || (i + 1 < t.time.length && t.time[i + 1] === t.time[i])) continue;
        while (j < q.time.length && q.time[j] < t.time[i]) j++;
        if (j === q.time.length) break;
        expect(q.time[j]).toBe(t.time[i]);
        expect(t.price[i] === q.bid[j] || t.price[i] === q.ask[j]).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(1000);
    }
    expect(ing.stats().simulated).toBe(true);
    await ing.stop();
  }, 40_000);
});

describe("SharedQuoteStore across threads", () => {
  it("SharedQuoteStore readers racing a writer thread (200,000 updates, half conflated, capacity 1,000) never see a torn, reordered or stale-overwritten row", async () => {
    const { Worker } = await import("node:worker_threads");
    const store = SharedQuoteStore.create(["btcusdt"], 1000);
    const code = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(require.resolve("./fixtures-quote-writer.ts"))});`;
    const w = new Worker(code, { eval: true, workerData: { init: store.init(), n: 200_000 } });
    const done = new Promise<void>((resolve) => w.once("message", () => resolve()));
    let finished = false;
    void done.then(() => (finished = true));
    let reads = 0;
    const check = (u: number, bid: number, bidQty: number, ask: number, askQty: number, t: number): void => {
      const b = 100 + (u % 1000) / 10;
      if (Math.abs(bid - b) > 1e-9 || Math.abs(ask - (b + 0.1)) > 1e-9 || bidQty !== (u % 7) + 1 || askQty !== (u % 5) + 1 || t !== 1_780_000_000_000 + Math.floor(u / 2)) {
        throw new Error(`torn row: u ${u} bid ${bid} ask ${ask} qty ${bidQty}/${askQty} T ${t}`);
      }
    };
    while (!finished || reads < 50) {
      const q = store.quotes("btcusdt");
      for (let i = 0; i < q.time.length; i++) {
        check(q.updateId[i], q.bid[i], q.bidQty[i], q.ask[i], q.askQty[i], q.time[i]);
        if (i > 0 && !(q.time[i] > q.time[i - 1] && q.updateId[i] > q.updateId[i - 1])) throw new Error(`reordered at ${i}`);
      }
      const l = store.latest("btcusdt");
      if (l !== null) check(l.updateId, l.bid, l.bidQty, l.ask, l.askQty, l.time);
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    await w.terminate();
    const q = store.quotes("btcusdt");
    expect(q.time.length).toBe(1000);
    expect(q.updateId[q.updateId.length - 1]).toBe(200_000);
    expect(reads).toBeGreaterThanOrEqual(50);
  }, 60_000);
});
