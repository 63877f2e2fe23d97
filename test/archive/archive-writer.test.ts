import { describe, expect, it } from "vitest";
import { ArchiveError, ArchiveWriter, type Archive, type TradeBatch } from "../../src/archive";

/** An archive whose writes fail with E_ARCHIVE_FULL until `heal()` (failure injection; the real backends are tested elsewhere). */
function failingArchive(): Archive & { heal(): void; stored: number[] } {
  let full = true;
  const stored: number[] = [];
  return {
    kind: "sqlite",
    location: "/fake/full.sqlite",
    stored,
    heal: () => void (full = false),
    writeTrades: async (b: TradeBatch) => {
      if (full) throw new ArchiveError("E_ARCHIVE_FULL", "/fake/full.sqlite", "write trades", "SQLITE_FULL: database or disk is full");
      const fresh = Array.from(b.id).filter((id) => !stored.includes(id));
      stored.push(...fresh);
      return fresh.length;
    },
    readTrades: async () => { throw new Error("unused"); },
    writeBars: async () => 0,
    readBars: async () => { throw new Error("unused"); },
    summary: async () => [],
    hasTradeIds: async (_s, ids) => new Uint8Array(ids.length),
    close: async () => undefined,
  };
}

const batch = (from: number, n: number): TradeBatch => {
  const id = Array.from({ length: n }, (_, i) => from + i);
  return { symbol: "btcusdt", id, time: id, price: id, qty: id, source: "demo", simulated: true };
};

describe("ArchiveWriter", () => {
  it("ArchiveWriter keeps failing batches queued up to maxBacklog, drops the oldest beyond it, and recovers when the disk frees up", async () => {
    const archive = failingArchive();
    const states: string[] = [];
    const w = new ArchiveWriter(archive, { commitMs: 5, maxPending: 100, maxBacklog: 250, onStatus: (s) => states.push(`${s.state}${s.error ? ":" + s.error.code : ""}`) });
    w.append(batch(1, 100));
    await w.flush();
    w.append(batch(101, 100));
    w.append(batch(201, 100)); // 300 pending > 250: the oldest 50 leave the archive queue
    expect(w.status()).toMatchObject({ state: "failing", pending: 250, dropped: 50, written: 0 });
    archive.heal();
    await w.flush();
    expect(w.status()).toMatchObject({ state: "ok", pending: 0, dropped: 50, written: 250, error: null });
    expect(archive.stored[0]).toBe(51);
    expect(states).toEqual(["failing:E_ARCHIVE_FULL", "ok"]);
    await w.close();
  });

  it("new ArchiveWriter(archive, { commitMs: 0 }) throws RangeError naming commitMs", () => {
    expect(() => new ArchiveWriter(failingArchive(), { commitMs: 0 })).toThrow(/'commitMs' must be an integer number of ms in \[1, 1000\], got 0/);
    expect(() => new ArchiveWriter(failingArchive(), { maxPending: 10, maxBacklog: 5 })).toThrow(/'maxBacklog' must be an integer >= maxPending \(10\), got 5/);
  });

  it("ArchiveWriter.close() stops its timer (no commit after close) and append after close throws E_ARCHIVE_CLOSED", async () => {
    const archive = failingArchive();
    archive.heal();
    const w = new ArchiveWriter(archive, { commitMs: 1000 });
    w.append(batch(1, 3));
    await w.close(); // commits the 3 pending trades now, not in 1 s
    expect(archive.stored).toEqual([1, 2, 3]);
    expect(() => w.append(batch(4, 1))).toThrow(expect.objectContaining({ code: "E_ARCHIVE_CLOSED" }));
  });
});

describe("ArchiveWriter with an asynchronous backend", () => {
  it("ArchiveWriter.append() during a commit in flight (PostgreSQL-like latency) queues for the next commit: every trade stored once", async () => {
    const archive = failingArchive();
    archive.heal();
    const slow: Archive = { ...archive, writeTrades: async (b: TradeBatch) => { await new Promise((r) => setTimeout(r, 20)); return archive.writeTrades(b); } };
    const w = new ArchiveWriter(slow, { commitMs: 1 });
    for (let k = 0; k < 20; k++) {
      w.append(batch(1 + k * 10, 10));
      await new Promise((r) => setTimeout(r, 3)); // appends land while a 20 ms commit is in flight
    }
    await w.close();
    expect(archive.stored.length).toBe(200);
    expect(new Set(archive.stored).size).toBe(200);
    expect(w.status().pending).toBe(0);
    expect(w.status().written).toBe(200);
  });
});
