// Unopenable archive locations: openArchive throws a typed ArchiveError at once (never hangs), and
// startIngestion / openPair with such an archive keep ingesting in memory and say why nothing is recorded.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ArchiveError, openArchive } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { openPair } from "../../src/notebook";

const dir = mkdtempSync(join(tmpdir(), "pairlab-unopenable-"));
const roMount = join(dir, "ro");
let mounted = false;
afterAll(() => {
  if (mounted) execFileSync("umount", [roMount]);
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves to the error openArchive threw and how long it took (ms). */
async function failure(setting: string, busyTimeoutMs?: number): Promise<{ error: ArchiveError; ms: number }> {
  const t0 = Date.now();
  try {
    const a = await openArchive(setting, { busyTimeoutMs });
    await a?.close();
  } catch (error) {
    return { error: error as ArchiveError, ms: Date.now() - t0 };
  }
  throw new Error(`openArchive(${setting}) opened`);
}

/** A read-only folder: a read-only tmpfs when mount is permitted (root ignores permission bits), else chmod 0555 as a normal user. */
function readOnlyFolder(): string | null {
  mkdirSync(roMount);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", roMount], { stdio: "ignore" });
    mounted = true;
    return roMount;
  } catch {
    if (process.getuid?.() === 0) return null;
    execFileSync("chmod", ["0555", roMount]);
    return roMount;
  }
}

describe("openArchive(unopenable location)", () => {
  // Node 20's mkdirSync(…, { recursive: true }) loops forever on /proc/x: this hung the ingestion worker before.
  it("openArchive('file:/proc/x/pairlab.sqlite') throws E_ARCHIVE_IO naming the path and the folder within 1 s", async () => {
    const { error, ms } = await failure("file:/proc/x/pairlab.sqlite");
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error.code).toBe("E_ARCHIVE_IO");
    expect(error.location).toBe("/proc/x/pairlab.sqlite");
    expect(error.message).toContain("/proc/x/pairlab.sqlite");
    expect(error.detail).toMatch(/ENOENT.*\/proc\/x/);
    expect(ms).toBeLessThan(1000);
  });

  it("openArchive(path whose parent is a file) throws E_ARCHIVE_IO (ENOTDIR) within 1 s", async () => {
    const file = join(dir, "plain.txt");
    writeFileSync(file, "x");
    const { error, ms } = await failure(`file:${file}/sub/a.sqlite`);
    expect(error.code).toBe("E_ARCHIVE_IO");
    expect(error.message).toContain(`${file}/sub/a.sqlite`);
    expect(error.detail).toMatch(/ENOTDIR/);
    expect(ms).toBeLessThan(1000);
  });

  const ro = readOnlyFolder();
  it.skipIf(ro === null)("openArchive(file in a read-only folder, and in a missing sub-folder of it) throws E_ARCHIVE_IO within 1 s", async () => {
    const direct = await failure(`file:${ro}/a.sqlite`);
    expect(direct.error.code).toBe("E_ARCHIVE_IO");
    expect(direct.error.message).toContain(`${ro}/a.sqlite`);
    expect(direct.error.detail).toMatch(/CANTOPEN|EROFS|EACCES/);
    expect(direct.ms).toBeLessThan(1000);
    const nested = await failure(`file:${ro}/sub/a.sqlite`);
    expect(nested.error.code).toBe("E_ARCHIVE_IO");
    expect(nested.error.detail).toMatch(/EROFS|EACCES/);
    expect(nested.ms).toBeLessThan(1000);
  });

  it("openArchive(a directory) throws E_ARCHIVE_IO 'the path is a directory' within 1 s", async () => {
    const { error, ms } = await failure(`file:${dir}`);
    expect(error.code).toBe("E_ARCHIVE_IO");
    expect(error.location).toBe(dir);
    expect(error.detail).toMatch(/directory/);
    expect(ms).toBeLessThan(1000);
  });

  it("openArchive(a corrupt file) throws E_ARCHIVE_CORRUPT and openArchive(another application's database) E_ARCHIVE_FOREIGN, within 1 s", async () => {
    const junk = join(dir, "junk.sqlite");
    writeFileSync(junk, Buffer.alloc(8192, 0x5a));
    const c = await failure(`file:${junk}`);
    expect(c.error.code).toBe("E_ARCHIVE_CORRUPT");
    expect(c.error.message).toContain(junk);
    expect(c.ms).toBeLessThan(1000);
    const foreign = join(dir, "foreign.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    const f = await failure(`file:${foreign}`);
    expect(f.error.code).toBe("E_ARCHIVE_FOREIGN");
    expect(f.error.message).toContain(foreign);
    expect(f.ms).toBeLessThan(1000);
  });

  it("openArchive(a file another connection holds exclusively) throws E_ARCHIVE_LOCKED after busyTimeoutMs (200 ms), not later than 2 s", async () => {
    const file = join(dir, "held.sqlite");
    const holder = new Database(file);
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
    try {
      const { error, ms } = await failure(`file:${file}`, 200);
      expect(error.code).toBe("E_ARCHIVE_LOCKED");
      expect(error.message).toContain(file);
      expect(ms).toBeGreaterThanOrEqual(150);
      expect(ms).toBeLessThan(2000);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });
});

describe("startIngestion / openPair with an unopenable archive", () => {
  for (const [what, path] of [
    ["file:/proc/x/pairlab.sqlite", "/proc/x/pairlab.sqlite"],
    ["a directory", dir],
    ["a corrupt file", join(dir, "junk2.sqlite")],
  ] as const) {
    it(`startIngestion({ archive: ${what} }) goes on in memory with recording state "error" naming the path, within 10 s`, async () => {
      if (path.endsWith("junk2.sqlite")) writeFileSync(path, Buffer.alloc(8192, 0x5a));
      const t0 = Date.now();
      const ing = startIngestion({ symbols: ["btcusdt"], source: "demo", archive: `file:${path}`, demo: { rate: 50, historyMs: 0 }, repairGaps: false, shared: false, quiet: true });
      try {
        await ing.waitForTrades(20, 10_000);
        let s = ing.stats();
        for (let i = 0; i < 50 && s.recording?.state !== "error"; i++) {
          await new Promise((r) => setTimeout(r, 100));
          s = ing.stats();
        }
        expect(s.recording?.state).toBe("error");
        expect(s.recording?.error).toContain(path);
        expect(s.recording?.written).toBe(0);
        expect(s.warnings.some((w) => w.startsWith("archive: not recording") && w.includes(path))).toBe(true);
        expect(ing.store.ticks("btcusdt").price.length).toBeGreaterThanOrEqual(20); // ingestion goes on in memory
      } finally {
        await ing.stop();
      }
      expect(Date.now() - t0).toBeLessThan(10_000);
    }, 20_000);
  }

  it("openPair(…, { warmStart: { archive: 'file:/proc/x/…' } }) opens within 10 s and reports the archive failure as missing ranges", async () => {
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], historyMs: 600_000, restModule: DEMO_REST_MODULE });
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: "file:/proc/x/pairlab.sqlite", repairGaps: false, shared: false, quiet: true });
    const t0 = Date.now();
    try {
      const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: ingestion, timeframe: "1m", warmStart: { hours: 1, archive: "file:/proc/x/pairlab.sqlite" }, writer: null });
      expect(Date.now() - t0).toBeLessThan(10_000);
      const r = pair.warmStart!;
      expect(r.missing[0].some((m) => m.reason.includes("/proc/x/pairlab.sqlite") && m.reason.includes("cannot open"))).toBe(true);
      expect(ingestion.stats().recording?.state).toBe("error");
    } finally {
      await ingestion.stop();
      await feed.close();
    }
  }, 30_000);
});
