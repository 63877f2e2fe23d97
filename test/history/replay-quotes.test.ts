import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasArchiveTables, openArchive, type ArchivedQuotes, type ArchivedTrades } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { startIngestion } from "../../src/ingestion";
import { openPair } from "../../src/notebook";
import { sleep } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-replay-quotes-"));
const file = join(dir, "quotes.sqlite");
const symbols = ["btcusdt", "ethusdt"];
const COLUMNS = ["updateId", "time", "bid", "bidQty", "ask", "askQty"] as const;
/** What the live run recorded, per symbol. */
const recorded: { trades: ArchivedTrades; quotes: ArchivedQuotes }[] = [];

beforeAll(async () => {
  // Live run on the demo exchange with quotes (10 min of history, then live), recorded by the ingestion worker:
  // the trades and the stored (conflated, one per ms) quotes.
  const live = startIngestion({ symbols, source: "demo", quotes: true, archive: `file:${file}`, demo: { seed: 5, rate: 20, historyMs: 600_000 }, shared: false, quiet: true, env: {} });
  await live.waitForTrades(3_000, 30_000);
  await sleep(800);
  await live.stop(); // flushes both recorders
  const archive = (await openArchive(`file:${file}`))!;
  try {
    if (!hasArchiveTables(archive)) throw new Error("the SQLite archive has no quote table");
    for (const s of symbols) recorded.push({ trades: await archive.readTrades(s), quotes: await archive.readQuotes(s) });
  } finally {
    await archive.close();
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("replay of recorded quotes through the ingestion pipeline", () => {
  it("startIngestion({ source: 'replay', quotes: true }) stores the recorded book tickers exactly (every column, every quote once), labelled REPLAY — SIMULATED", async () => {
    for (const r of recorded) expect(r.quotes.time.length).toBeGreaterThan(1_000);
    const from = Math.min(...recorded.map((r) => Math.min(r.quotes.time[0], r.trades.time[0])));
    const to = Math.max(...recorded.map((r) => Math.max(r.quotes.time.at(-1)!, r.trades.time.at(-1)!))) + 1;
    const replay = startIngestion({ symbols, source: "replay", replay: { from, to, speed: "max" }, quotes: true, archive: `file:${file}`, shared: false, quiet: true });
    try {
      const until = Date.now() + 30_000;
      while (symbols.some((s, k) => (replay.quotes?.quotes(s).time.length ?? 0) < recorded[k].quotes.time.length) && Date.now() < until) await sleep(100);
      const st = replay.stats();
      expect(st.label).toBe("REPLAY — SIMULATED");
      expect(st.recording).toBeUndefined(); // a replay is not recorded again
      for (const [k, s] of symbols.entries()) {
        const got = replay.quotes!.quotes(s);
        for (const c of COLUMNS) expect(Array.from(got[c]), `${s} ${c}`).toEqual(Array.from(recorded[k].quotes[c]));
      }
      const counters = st.quotes!;
      expect(counters.malformed).toBe(0);
      for (const s of symbols) {
        expect(Object.values(counters.symbols[s].rejected).every((n) => n === 0), s).toBe(true);
        expect(counters.symbols[s].conflated, s).toBe(0); // the recording holds one quote per ms already
      }
    } finally {
      await replay.stop();
    }
  }, 60_000);

  it("openPair({ source: 'replay', quotes: true }) of an old period is caught up once the replay is (lag against the replay's clock), not after waitMs", async () => {
    // The first 5 minutes of the recording: every trade and quote in it is minutes old by the wall clock.
    const from = Math.min(...recorded.map((r) => r.trades.time[0]));
    const to = from + 300_000;
    expect(Date.now() - to).toBeGreaterThan(60_000);
    const inWindow = (t: Float64Array) => t.filter((v) => v >= from && v < to).length;
    const t0 = Date.now();
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { source: "replay", quotes: true, ingestion: { replay: { from, to, speed: "max" }, archive: `file:${file}`, shared: false, quiet: true }, waitMs: 60_000, warmStart: false });
    const waited = Date.now() - t0;
    try {
      const st = pair.ingestion.stats();
      expect(st.label).toBe("REPLAY — SIMULATED");
      expect(st.replay?.clock).toBe(Infinity); // speed "max": everything is due at once
      for (const [k, s] of symbols.entries()) {
        // Caught up means the whole period arrived: every recorded trade of the window, and its quotes up to the last 5 s.
        expect(pair.ingestion.store.ticks(s).time.length, s).toBe(inWindow(recorded[k].trades.time));
        expect(st.symbols[s].lagMs, s).toBe(0);
        expect(pair.ingestion.quotes!.latest(s)!.time, s).toBeGreaterThanOrEqual(st.replay!.lastQuote[s] - 5_000);
      }
      // A wall-clock lag (minutes) would never fall under 5 s: openPair used to wait all of waitMs, then 30 s more for quotes.
      expect(waited).toBeLessThan(30_000);
    } finally {
      await pair.ingestion.stop();
    }
  }, 120_000);
});
