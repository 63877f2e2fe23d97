import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resample, rollingOls } from "../../src/analytics";
import { openArchive } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { expectOutageRepairedThenStop, sleep } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-rec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every id once, ascending. */
function uniqueSorted(ids: Float64Array): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i] > ids[i - 1])) return false;
  return true;
}

describe("startIngestion recording (history extension in the worker)", () => {
  it("startIngestion({ archive: file }) records every stored trade once, labelled simulated, and reports counters", async () => {
    const file = join(dir, "rec.sqlite");
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", archive: `file:${file}`, demo: { rate: 50, historyMs: 30_000 }, shared: false, quiet: true });
    await ing.waitForTrades(500);
    await sleep(800);
    const s = ing.stats();
    expect(s.recording?.state).toBe("ok");
    expect(s.recording?.archive).toBe(file);
    expect(s.recording!.written).toBeGreaterThan(0);
    await ing.stop();
    const stored = ing.store.ticks("btcusdt").price.length;
    const archive = (await openArchive(`file:${file}`))!;
    try {
      const t = await archive.readTrades("btcusdt");
      expect(t.id.length).toBe(stored); // every stored trade, flushed on stop
      expect(uniqueSorted(Float64Array.from(t.id).sort())).toBe(true);
      expect(t.simulated.every((v) => v === 1)).toBe(true);
      const sum = await archive.summary();
      expect(sum.find((x) => x.symbol === "btcusdt")?.sources).toContain("demo");
    } finally {
      await archive.close();
    }
  });

  it("startIngestion({ archive: 'off' }) records nothing and reports no recording", async () => {
    const ing = startIngestion({ symbols: ["btcusdt"], source: "demo", archive: "off", shared: false, quiet: true, demo: { historyMs: 0 } });
    await ing.waitForTrades(5);
    expect(ing.stats().recording).toBeUndefined();
    await ing.stop();
  });

  it("startIngestion({ archive: 'nonsense' }) throws RangeError naming the value", () => {
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", archive: "nonsense", shared: false })).toThrow(/nonsense/);
  });

  it("a reconnect gap becomes final, is repaired from the demo exchange's REST and injected once (store and archive)", async () => {
    const file = join(dir, "gap.sqlite");
    // maxRetained 10 (≥ the trades of a delayed 100 ms tick at 20/s): a reconnect replays only the last ~500 ms of
    // trades, and the backoff waits at least 1 s (2 s with equal jitter: [1 s, 2 s]), so the outage always leaves a
    // gap of ≥ 10 trades per symbol. (With maxRetained 20 — 1 s of replay — a 1 s wait left no gap: flaky.)
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], rate: 20, historyMs: 0, maxRetained: 10, restModule: DEMO_REST_MODULE });
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: `file:${file}`, gapGraceMs: 300, shared: false, quiet: true, backoff: { initialMs: 2000, maxMs: 2000 } });
    try {
      await ing.waitForTrades(50);
      feed.killConnections();
      const s = await expectOutageRepairedThenStop(ing);
      expect(s.gapRepair?.restUrl).toBe(feed.url.replace("ws://", "http://"));
      // The store holds the demo's tape without a hole: its count equals the id span of the archive.
      const archive = (await openArchive(`file:${file}`))!;
      try {
        for (const sym of ["btcusdt", "ethusdt"]) {
          const t = await archive.readTrades(sym);
          const ids = Float64Array.from(t.id).sort();
          expect(uniqueSorted(ids)).toBe(true);
          const holes: number[] = [];
          for (let i = 1; i < ids.length; i++) for (let v = ids[i - 1] + 1; v < ids[i]; v++) holes.push(v);
          expect(holes, `${sym} missing ids; stats ${JSON.stringify({ ...ing.stats().gapRepair, ...ing.stats().symbols[sym] })}`).toEqual([]);
          expect(ids[ids.length - 1] - ids[0] + 1).toBe(ids.length); // contiguous: the gap was filled, exactly once
          const stored = ing.store.ticks(sym);
          expect(stored.price.length, `${sym}: store times ${JSON.stringify(Array.from(stored.time).slice(-8))} archive last ids ${JSON.stringify(Array.from(ids).slice(-5))} repair ${JSON.stringify(ing.stats().gapRepair)} sym ${JSON.stringify(ing.stats().symbols[sym])}`).toBe(ids.length);
        }
        expect((await archive.summary()).find((x) => x.symbol === "btcusdt")?.sources, JSON.stringify({ summary: await archive.summary(), repair: s.gapRepair, btc: s.symbols.btcusdt })).toContain("rest");
      } finally {
        await archive.close();
      }
    } finally {
      await ing.stop();
      await feed.close();
    }
  });

  it("startIngestion({ source: 'replay' }) of a recorded hour gives the live run's 1m bars and rolling hedge ratio exactly, labelled REPLAY — SIMULATED", async () => {
    const file = join(dir, "hour.sqlite");
    const symbols = ["btcusdt", "ethusdt"];
    // Live run: the demo exchange's hour of history plus live trades, recorded by the ingestion worker.
    const live = startIngestion({ symbols, source: "demo", archive: `file:${file}`, demo: { rate: 10, historyMs: 3_600_000 }, shared: false, quiet: true });
    await live.waitForTrades(30_000, 60_000);
    await sleep(500);
    await live.stop(); // flushes the recorder
    const liveTicks = symbols.map((s) => live.store.ticks(s));
    const from = Math.min(...liveTicks.map((t) => t.time[0]));
    const to = Math.max(...liveTicks.map((t) => t.time[t.time.length - 1])) + 1;
    const replay = startIngestion({ symbols, source: "replay", replay: { from, to, speed: "max" }, archive: `file:${file}`, shared: false, quiet: true });
    try {
      await replay.waitForTrades(Math.min(...liveTicks.map((t) => t.price.length)), 60_000);
      const until = Date.now() + 30_000;
      while (symbols.some((s, k) => replay.store.ticks(s).price.length < liveTicks[k].price.length) && Date.now() < until) await sleep(100);
      const st = replay.stats();
      expect(st.label).toBe("REPLAY — SIMULATED");
      expect(st.recording).toBeUndefined(); // a replay is not recorded again
      const now = to + 60_000;
      const bars = symbols.map((s, k) => [resample(liveTicks[k], 60_000, { now }), resample(replay.store.ticks(s), 60_000, { now })]);
      // The replayed store holds the live store's ticks exactly (same times, prices, quantities, order).
      for (const [k, s] of symbols.entries()) expect(replay.store.ticks(s)).toEqual(liveTicks[k]);
      for (const [a, b] of bars) for (const f of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) expect(b[f], f).toEqual(a[f]);
      const n = Math.min(bars[0][0].close.length, bars[1][0].close.length);
      const hedge = (k: 0 | 1) => rollingOls(bars[1][k].close.subarray(0, n), bars[0][k].close.subarray(0, n), 30);
      expect(hedge(1)).toEqual(hedge(0));
    } finally {
      await replay.stop();
    }
  });

  it("startIngestion({ source: 'replay' }) without replay: { from, to } throws TypeError naming the field", () => {
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "replay", shared: false })).toThrow(/replay/);
  });
});

describe("startIngestion recording into PostgreSQL (a real throwaway server)", () => {
  it("startIngestion({ archive: 'postgres://…' }) records every stored trade once, labelled simulated", async () => {
    const { postgresBackend } = await import("../archive/backends");
    const backend = await postgresBackend();
    try {
      const empty = await backend.fresh();
      const url = empty.location;
      await empty.close();
      const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", archive: url, demo: { rate: 50, historyMs: 30_000 }, shared: false, quiet: true });
      await ing.waitForTrades(500);
      await sleep(800);
      expect(ing.stats().recording?.state).toBe("ok");
      await ing.stop();
      const archive = (await openArchive(url))!;
      try {
        for (const s of ["btcusdt", "ethusdt"]) {
          const t = await archive.readTrades(s);
          expect(t.id.length).toBe(ing.store.ticks(s).price.length);
          expect(new Set(t.id).size).toBe(t.id.length);
          expect(t.simulated.every((v) => v === 1)).toBe(true);
        }
      } finally {
        await archive.close();
      }
    } finally {
      await backend.stop();
    }
  });
});
