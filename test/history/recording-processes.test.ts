import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteArchive } from "../../src/archive";
import { startReplayServer } from "../../src/history";
import { readLines, spawnTsx } from "../support/child-process";
import { NOW, demoSource } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-recproc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** True when ids are exactly 1…n (each once, ascending). */
const contiguousFromOne = (ids: Float64Array): boolean => ids.every((v, i) => v === i + 1);

describe("recording kernels (separate processes)", () => {
  it("kill -9 of a recording startIngestion process, then a restart: every trade once, nothing lost older than 1 s; two readers read meanwhile", async () => {
    // The "exchange": a fixed 20-minute tape (2 symbols × 5 trades/s) served by a paced replay server, so a
    // restarted recorder sees the same ids and times again (the server resumes with a rewind: overlap).
    const tape = SqliteArchive.open(join(dir, "tape.sqlite"));
    const from = NOW - 20 * 60_000;
    const src = demoSource(20 / 60); // the tape starts at `from`: ids 1…n
    for (const s of ["btcusdt", "ethusdt"]) {
      const t = src.trades(s, from, NOW)!;
      tape.writeTradesSync({ symbol: s, id: t.id, time: t.time, price: t.price, qty: t.qty, maker: t.maker, source: "demo", simulated: true });
    }
    const total = tape.readTradesSync("btcusdt").id.length;
    const firstId = tape.readTradesSync("btcusdt").id[0];
    const replay = await startReplayServer({ archive: tape, symbols: ["btcusdt", "ethusdt"], from, to: NOW + 1, speed: 200 });
    const file = join(dir, "recorded.sqlite");
    const recorder = join(__dirname, "children", "record-ingestion.ts");
    try {
      // 1. Record, then kill -9 mid-stream.
      const seen: { t: number; btc: number }[] = [];
      const first = spawnTsx(recorder, [replay.url, `file:${file}`]);
      const firstExit = readLines(first, (l) => {
        const [t, btc] = l.split(" ").map(Number);
        seen.push({ t, btc });
      });
      const deadline = Date.now() + 30_000;
      while ((seen.at(-1)?.btc ?? 0) < total / 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // Two readers in their own processes while the recorder writes.
      const readerScript = join(__dirname, "..", "archive", "children", "read.ts");
      const reads: string[][] = [[], []];
      const readers = [0, 1].map((k) => readLines(spawnTsx(readerScript, [file, "15", "50"]), (l) => reads[k].push(l)));
      await new Promise((r) => setTimeout(r, 400));
      first.kill("SIGKILL");
      const killedAt = Date.now();
      expect((await firstExit).signal).toBe("SIGKILL");
      const readersDone = await Promise.all(readers);
      for (const r of readersDone) expect(r.code, r.stderr).toBe(0);
      for (const rs of reads) {
        expect(rs.length).toBe(15);
        let last = 0;
        for (const line of rs) {
          const [, count, ok] = line.split(" ");
          expect(ok).toBe("true"); // ids 1…n once each, at every read
          expect(Number(count)).toBeGreaterThanOrEqual(last);
          last = Number(count);
        }
      }
      // Everything stored more than 1 s before the kill is in the archive, each id once.
      const secondBefore = [...seen].reverse().find((x) => x.t <= killedAt - 1000);
      const afterKill = SqliteArchive.open(file);
      const ids1 = afterKill.readTradesSync("btcusdt").id;
      afterKill.closeSync();
      expect(firstId).toBe(1);
      expect(contiguousFromOne(ids1)).toBe(true);
      expect(ids1.length).toBeGreaterThanOrEqual(secondBefore?.btc ?? 0);
      expect(ids1.length).toBeLessThan(total); // killed mid-stream

      // 2. Restart: the recorder resumes (the server rewinds: the overlap is stored once), to the end of the tape.
      const second = spawnTsx(recorder, [replay.url, `file:${file}`]);
      let last = "";
      const secondExit = readLines(second, (l) => (last = l));
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const a = SqliteArchive.open(file);
        const n = a.readTradesSync("btcusdt").id.length + a.readTradesSync("ethusdt").id.length;
        a.closeSync();
        if (n >= 2 * total - 10 && replay.stats().finished) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1000));
      second.kill("SIGKILL");
      await secondExit;
      const done = SqliteArchive.open(file);
      for (const s of ["btcusdt", "ethusdt"]) {
        const want = tape.readTradesSync(s);
        const got = done.readTradesSync(s);
        expect(got.id, `${s} ids (${last})`).toEqual(want.id); // every trade exactly once
        expect(got.time).toEqual(want.time);
        expect(got.price).toEqual(want.price);
        expect(got.simulated.every((v) => v === 1)).toBe(true);
      }
      done.closeSync();
    } finally {
      await replay.close();
      tape.closeSync();
    }
  });
});
