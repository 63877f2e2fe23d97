import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { readLines, spawnTsx } from "../support/child-process";
import { ArchiveError, ArchiveWriter, SqliteArchive, openArchive, resolveArchiveSpec } from "../../src/archive";

const dir = mkdtempSync(join(tmpdir(), "pairlab-sqlite-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = (script: string, args: (string | number)[]) => spawnTsx(join(__dirname, "children", script), args);

const catchError = (fn: () => unknown): ArchiveError => {
  try {
    fn();
  } catch (e) {
    return e as ArchiveError;
  }
  throw new Error("expected a throw");
};

describe("SqliteArchive faults", () => {
  it("SqliteArchive.open(non-database file) throws E_ARCHIVE_CORRUPT naming the path", () => {
    const file = join(dir, "garbage.sqlite");
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const e = catchError(() => SqliteArchive.open(file));
    expect(e).toBeInstanceOf(ArchiveError);
    expect(e.code).toBe("E_ARCHIVE_CORRUPT");
    expect(e.message).toContain(file);
    expect(e.detail).toMatch(/not a database/);
  });

  it("SqliteArchive read of a damaged page throws E_ARCHIVE_CORRUPT", () => {
    const file = join(dir, "damaged.sqlite");
    const a = SqliteArchive.open(file);
    const ids = Float64Array.from({ length: 50_000 }, (_, i) => i + 1);
    a.writeTradesSync({ symbol: "btcusdt", id: ids, time: ids, price: ids, qty: ids, source: "demo", simulated: true });
    a.closeSync();
    const db = new Database(file);
    db.pragma("journal_mode = DELETE");
    db.close();
    const bytes = require("node:fs").readFileSync(file) as Buffer;
    // Overwrite every page after the first three (schema + roots survive) with junk.
    bytes.fill(0xa5, 4096 * 3);
    writeFileSync(file, bytes);
    const e = catchError(() => SqliteArchive.open(file).readTradesSync("btcusdt"));
    expect(e.code).toBe("E_ARCHIVE_CORRUPT");
    expect(e.message).toContain(file);
  });

  it("SqliteArchive write while another process holds the write lock throws E_ARCHIVE_LOCKED after busyTimeoutMs", () => {
    const file = join(dir, "locked.sqlite");
    SqliteArchive.open(file).closeSync();
    const holder = new Database(file);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const a = SqliteArchive.open(file, { busyTimeoutMs: 100 });
      const e = catchError(() => a.writeTradesSync({ symbol: "btcusdt", id: [1], time: [1], price: [1], qty: [1], source: "demo", simulated: true }));
      expect(e.code).toBe("E_ARCHIVE_LOCKED");
      expect(e.message).toContain(file);
      a.closeSync();
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("a full disk (maxBytes cap) gives E_ARCHIVE_FULL, keeps every committed trade, and the writer reports 'failing' and keeps the batch", async () => {
    const file = join(dir, "full.sqlite");
    const a = SqliteArchive.open(file, { maxBytes: 1024 * 1024 });
    const batch = (from: number, n: number) => {
      const ids = Float64Array.from({ length: n }, (_, i) => from + i);
      return { symbol: "btcusdt", id: ids, time: ids, price: ids.map((x) => x * 1.5), qty: ids, source: "demo", simulated: true };
    };
    a.writeTradesSync(batch(1, 5000));
    const e = catchError(() => a.writeTradesSync(batch(5001, 50_000)));
    expect(e.code).toBe("E_ARCHIVE_FULL");
    expect(a.readTradesSync("btcusdt").id.length).toBe(5000);
    const warnings: string[] = [];
    const w = new ArchiveWriter(a, { commitMs: 10, onStatus: (s) => warnings.push(`${s.state}:${s.error?.code ?? ""}`) });
    w.append(batch(5001, 50_000));
    await w.flush();
    expect(w.status()).toMatchObject({ state: "failing", pending: 50_000, written: 0 });
    expect(warnings).toEqual(["failing:E_ARCHIVE_FULL"]);
    expect(a.integrityCheck()).toBe("ok");
    expect(a.readTradesSync("btcusdt").id.length).toBe(5000);
    await w.close();
    a.closeSync();
  });

  it("resolveArchiveSpec() defaults to <project>/data/pairlab.sqlite, honours PAIRLAB_ARCHIVE and rejects other values", async () => {
    // The default file is inside the project (where package.json says "pairlab"), whatever the working directory.
    expect(resolveArchiveSpec(undefined, {})).toEqual({ kind: "sqlite", path: join(__dirname, "..", "..", "data", "pairlab.sqlite") });
    expect(resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: " " })).toEqual(resolveArchiveSpec(undefined, {}));
    expect(resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: "OFF" })).toEqual({ kind: "off" });
    expect(resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: "postgres://u@127.0.0.1:1/x" })).toEqual({ kind: "postgres", url: "postgres://u@127.0.0.1:1/x" });
    expect(resolveArchiveSpec("file:/tmp/x.sqlite", { PAIRLAB_ARCHIVE: "off" })).toEqual({ kind: "sqlite", path: "/tmp/x.sqlite" });
    expect(() => resolveArchiveSpec("mysql://x")).toThrow(/'archive' must be "file:<path>" \(SQLite\), "postgres:\/\/…" \(PostgreSQL\) or "off", got "mysql:\/\/x"/);
    expect(() => resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: "data.sqlite" })).toThrow(/'PAIRLAB_ARCHIVE'/);
    expect(await openArchive("off")).toBeNull();
    const unreachable = await openArchive("postgres://nobody@127.0.0.1:1/none").then(() => null, (e: unknown) => e as ArchiveError);
    expect(unreachable?.code).toBe("E_ARCHIVE_IO");
  });

  it("kill -9 of a recording process: reopened archive is consistent and holds every committed trade exactly once; recording resumes without duplicates", async () => {
    const file = join(dir, "crash.sqlite");
    SqliteArchive.open(file).closeSync();
    const p = child("record.ts", [file, 1, 100_000, 2000, 0]);
    let committed = 0;
    let killed = false;
    const exit = await readLines(p, (line) => {
      const m = /^committed (\d+)$/.exec(line);
      if (m) committed = Number(m[1]);
      if (committed >= 60_000 && !killed) {
        killed = true;
        p.kill("SIGKILL");
      }
    });
    expect(exit.signal).toBe("SIGKILL");
    const a = SqliteArchive.open(file);
    expect(a.integrityCheck()).toBe("ok");
    const t = a.readTradesSync("btcusdt");
    expect(t.id.length).toBeGreaterThanOrEqual(committed);
    for (let i = 0; i < t.id.length; i++) if (t.id[i] !== i + 1) throw new Error(`id ${t.id[i]} at ${i}: not exactly once`);
    const stored = t.id.length;
    a.closeSync();
    // Restart recording from id 1 (overlapping everything stored): nothing is duplicated.
    const again = await readLines(child("record.ts", [file, 1, 5, (stored + 10_000) / 5, 0]), () => undefined);
    expect(again.code, again.stderr).toBe(0);
    const b = SqliteArchive.open(file);
    const u = b.readTradesSync("btcusdt");
    expect(u.id.length).toBe(stored + 10_000);
    for (let i = 0; i < u.id.length; i++) if (u.id[i] !== i + 1) throw new Error(`id ${u.id[i]} at ${i} after restart`);
    b.closeSync();
  });

  it("two reader processes read while a third records, without lock errors, each seeing a growing consistent prefix", async () => {
    const file = join(dir, "concurrent.sqlite");
    SqliteArchive.open(file).closeSync();
    const writer = readLines(child("record.ts", [file, 1, 80, 1000, 20]), () => undefined);
    const counts: number[][] = [[], []];
    const readers = [0, 1].map((k) =>
      readLines(child("read.ts", [file, 150, 10]), (line) => {
        const [, n, ok] = line.split(" ");
        expect(ok).toBe("true");
        counts[k].push(Number(n));
      }),
    );
    const [w, r1, r2] = await Promise.all([writer, ...readers]);
    expect(w.code, w.stderr).toBe(0);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    for (const c of counts) {
      expect(c.length).toBe(150);
      for (let i = 1; i < c.length; i++) expect(c[i]).toBeGreaterThanOrEqual(c[i - 1]);
      expect(new Set(c).size).toBeGreaterThan(2); // they did read while the writer wrote
    }
    const a = SqliteArchive.open(file);
    expect(a.readTradesSync("btcusdt").id.length).toBe(80_000);
    a.closeSync();
  });
});

describe("ArchiveWriter in a worker thread", () => {
  it("ArchiveWriter runs inside a worker_threads Worker fed transferred typed arrays, and commits every trade once", async () => {
    const { Worker } = await import("node:worker_threads");
    const file = join(dir, "worker.sqlite");
    // A plain-JS entry that registers tsx's CommonJS hook, then loads the TypeScript worker module.
    const entry = `require("tsx/cjs"); require(${JSON.stringify(join(__dirname, "children", "worker-writer.ts"))});`;
    const worker = new Worker(entry, { eval: true, workerData: { file } });
    try {
      for (let b = 0; b < 20; b++) {
        const id = Float64Array.from({ length: 1000 }, (_, i) => 1 + b * 500 + i); // overlapping batches
        const time = id.map((x) => 1.7e12 + x);
        const price = id.map((x) => 100 + (x % 13));
        const qty = id.map(() => 0.25);
        worker.postMessage({ type: "batch", batch: { symbol: "btcusdt", id, time, price, qty, source: "demo", simulated: true } }, [id.buffer, time.buffer, price.buffer, qty.buffer]);
      }
      const result = await new Promise<{ written: number; commits: number; state: string }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage({ type: "close" });
      });
      expect(result).toMatchObject({ written: 19 * 500 + 1000, state: "closed" });
      const a = SqliteArchive.open(file);
      const t = a.readTradesSync("btcusdt");
      expect(t.id.length).toBe(10_500);
      for (let i = 0; i < t.id.length; i++) if (t.id[i] !== i + 1) throw new Error(`id ${t.id[i]} at ${i}`);
      a.closeSync();
    } finally {
      await worker.terminate();
    }
  });
});
