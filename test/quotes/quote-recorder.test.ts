import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasArchiveTables, openArchive, SqliteArchive, type ArchiveTables } from "../../src/archive";
import { QuoteRecorder } from "../../src/archive/quote-recorder";
import "../../src/history"; // registers the history extension (recording) as the pairlab entry does
import { startIngestion } from "../../src/ingestion";
import { QuoteStore } from "../../src/quotes";

const dir = mkdtempSync(join(tmpdir(), "pairlab-qrec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

function quote(store: QuoteStore, u: number, t: number, bidQty: number): void {
  store.append({ symbol: "btcusdt", updateId: u, eventTime: t, time: t, bid: 100, bidQty, ask: 100.1, askQty: 1 });
}

describe("QuoteRecorder", () => {
  it("QuoteRecorder.tick(false) holds back the newest (still conflating) slot; close() writes it in its final state", async () => {
    const archive = SqliteArchive.open(join(dir, "a.sqlite"));
    const store = new QuoteStore(1000);
    const rec = new QuoteRecorder(archive, store, { symbols: ["btcusdt"], source: () => "demo", simulated: () => true, commitMs: 1000 });
    quote(store, 1, T0, 1);
    quote(store, 2, T0 + 1, 2);
    await rec.tick(false);
    expect(Array.from((await archive.readQuotes("btcusdt")).updateId)).toEqual([1]); // u=2's ms may still conflate
    quote(store, 3, T0 + 1, 3); // conflates u=2 (same ms)
    quote(store, 4, T0 + 2, 4);
    await rec.tick(false);
    await rec.tick(false); // nothing new: nothing written twice
    await rec.close();
    const q = await archive.readQuotes("btcusdt");
    const s = store.quotes("btcusdt");
    expect(Array.from(q.updateId)).toEqual(Array.from(s.updateId)); // [1, 3, 4]: the stored (conflated) quotes, once each
    expect(Array.from(q.bidQty)).toEqual(Array.from(s.bidQty));
    expect(rec.status()).toMatchObject({ state: "closed", written: 3, pending: 0, dropped: 0, missed: 0 });
    await archive.close();
  });

  it("QuoteRecorder keeps quotes queued while the archive fails and writes them once it recovers", async () => {
    const real = SqliteArchive.open(join(dir, "b.sqlite"));
    let fail = 2;
    const flaky: ArchiveTables = {
      writeQuotes: (b) => (fail-- > 0 ? Promise.reject(new Error("E_ARCHIVE_FULL: disk full")) : real.writeQuotes(b)),
      readQuotes: (s, r) => real.readQuotes(s, r),
      appendAlertLog: (e) => real.appendAlertLog(e),
      readAlertLog: (r) => real.readAlertLog(r),
    };
    const store = new QuoteStore(1000);
    const rec = new QuoteRecorder(flaky, store, { symbols: ["btcusdt"], source: () => "demo", simulated: () => true, commitMs: 1000 });
    for (let u = 1; u <= 5; u++) quote(store, u, T0 + u, u);
    await rec.tick(false);
    expect(rec.status()).toMatchObject({ state: "failing", pending: 4 });
    expect(rec.status().error).toContain("disk full");
    for (let u = 6; u <= 9; u++) quote(store, u, T0 + u, u);
    await rec.tick(false);
    expect(rec.status().pending).toBe(8);
    await rec.tick(false);
    expect(rec.status()).toMatchObject({ state: "ok", pending: 0, written: 8, error: "" });
    await rec.close();
    expect(Array.from((await real.readQuotes("btcusdt")).updateId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await real.close();
  });

  it("new QuoteRecorder(archive, store, { commitMs: 0 }) throws RangeError naming commitMs", () => {
    const store = new QuoteStore(10);
    expect(() => new QuoteRecorder({} as ArchiveTables, store, { symbols: [], source: () => "x", simulated: () => false, commitMs: 0 })).toThrow(/commitMs/);
  });
});

describe("startIngestion({ quotes: true, archive }) records book tickers", () => {
  it("every stored (conflated) demo quote lands in the archive's quote table once, labelled simulated", async () => {
    const file = join(dir, "rec.sqlite");
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", quotes: true, archive: `file:${file}`, demo: { seed: 3, rate: 50, historyMs: 5_000 }, shared: false, quiet: true, env: {} });
    await ing.waitForTrades(300, 20_000);
    await new Promise((r) => setTimeout(r, 800));
    const rec = ing.stats().recording?.quotes;
    expect(rec?.state).toBe("ok");
    expect(rec!.written).toBeGreaterThan(0);
    await ing.stop();
    const archive = (await openArchive(`file:${file}`))!;
    try {
      if (!hasArchiveTables(archive)) throw new Error("no quote tables");
      for (const s of ["btcusdt", "ethusdt"]) {
        const held = ing.quotes!.quotes(s);
        const q = await archive.readQuotes(s);
        expect(q.updateId.length).toBe(held.updateId.length);
        expect(Array.from(q.updateId)).toEqual(Array.from(held.updateId));
        expect(Array.from(q.ask)).toEqual(Array.from(held.ask));
        expect(q.simulated.every((v) => v === 1)).toBe(true);
      }
    } finally {
      await archive.close();
    }
  }, 30_000);
});
