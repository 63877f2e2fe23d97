import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasArchiveTables, openArchive, type ArchivedQuotes } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { startIngestion } from "../../src/ingestion";
import { sleep } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-replay-quotes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = ["updateId", "time", "bid", "bidQty", "ask", "askQty"] as const;

describe("replay of recorded quotes through the ingestion pipeline", () => {
  it("startIngestion({ source: 'replay', quotes: true }) stores the recorded book tickers exactly (every column, every quote once), labelled REPLAY — SIMULATED", async () => {
    const file = join(dir, "quotes.sqlite");
    const symbols = ["btcusdt", "ethusdt"];
    // Live run on the demo exchange with quotes, recorded by the ingestion worker (trades and the stored, conflated quotes).
    const live = startIngestion({ symbols, source: "demo", quotes: true, archive: `file:${file}`, demo: { seed: 5, rate: 50, historyMs: 5_000 }, shared: false, quiet: true, env: {} });
    await live.waitForTrades(300, 20_000);
    await sleep(800);
    await live.stop(); // flushes both recorders
    const archive = (await openArchive(`file:${file}`))!;
    const recorded: ArchivedQuotes[] = [];
    try {
      if (!hasArchiveTables(archive)) throw new Error("the SQLite archive has no quote table");
      for (const s of symbols) recorded.push(await archive.readQuotes(s));
    } finally {
      await archive.close();
    }
    for (const q of recorded) expect(q.time.length).toBeGreaterThan(100);
    const from = Math.min(...recorded.map((q) => q.time[0]), ...symbols.map((s) => live.store.ticks(s).time[0]));
    const to = Math.max(...recorded.map((q) => q.time[q.time.length - 1]), ...symbols.map((s) => live.store.ticks(s).time.at(-1)!)) + 1;

    const replay = startIngestion({ symbols, source: "replay", replay: { from, to, speed: "max" }, quotes: true, archive: `file:${file}`, shared: false, quiet: true });
    try {
      const until = Date.now() + 30_000;
      while (symbols.some((s, k) => (replay.quotes?.quotes(s).time.length ?? 0) < recorded[k].time.length) && Date.now() < until) await sleep(100);
      const st = replay.stats();
      expect(st.label).toBe("REPLAY — SIMULATED");
      expect(st.recording).toBeUndefined(); // a replay is not recorded again
      for (const [k, s] of symbols.entries()) {
        const got = replay.quotes!.quotes(s);
        for (const c of COLUMNS) expect(Array.from(got[c]), `${s} ${c}`).toEqual(Array.from(recorded[k][c]));
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
});
