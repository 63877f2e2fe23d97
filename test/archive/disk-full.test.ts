// A really full disk while recording: the archive lives on a 4 MiB tmpfs, a filler file takes the rest of
// the space while startIngestion records, then the filler is removed. Needs mount (root in CI); where mount
// is refused, this file is skipped and only the simulated cap (maxBytes, SQLITE_FULL) in sqlite-faults.test.ts
// runs.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { startIngestion } from "../../src/ingestion";

const dir = mkdtempSync(join(tmpdir(), "pairlab-disk-full-"));
const mnt = join(dir, "mnt");
mkdirSync(mnt);
let mounted = false;
try {
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt], { stdio: "ignore" });
  mounted = true;
} catch {
  /* not permitted here: skipped (see the header) */
}
afterAll(() => {
  if (mounted) execFileSync("umount", [mnt]);
  rmSync(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fills the file system holding `file` until ENOSPC; returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(4096, 1);
  let n = 0;
  try {
    for (;;) n += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  return n;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!mounted)("recording onto a full disk (real tmpfs, 4 MiB)", () => {
  it("startIngestion recording: disk full gives a status warning, ingestion goes on in memory, committed trades stay, and once space returns the backlog is stored exactly once", async () => {
    const file = join(mnt, "pairlab.sqlite");
    const filler = join(mnt, "filler");
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", archive: `file:${file}`, demo: { rate: 200, historyMs: 0 }, repairGaps: false, shared: false, quiet: true });
    try {
      await until("first commits", () => (ing.stats().recording?.written ?? 0) > 200);
      expect(fill(filler)).toBeGreaterThan(0);
      await until("the full disk to show", () => ing.stats().recording?.state === "failing");
      const failing = ing.stats();
      const committedBefore = failing.recording!.written;
      expect(failing.recording!.error).toMatch(/disk is full/);
      expect(failing.recording!.error).toContain(file);
      expect(failing.warnings.some((w) => w.startsWith("archive: not recording") && /disk is full/.test(w))).toBe(true);
      // In memory the store keeps growing while nothing more reaches the archive.
      const stored = ing.store.ticks("btcusdt").price.length;
      await sleep(1000);
      const later = ing.stats();
      expect(ing.store.ticks("btcusdt").price.length).toBeGreaterThan(stored + 50);
      expect(later.recording!.state).toBe("failing");
      expect(later.recording!.written).toBe(committedBefore);
      expect(later.recording!.pending).toBeGreaterThan(0);
      // Everything committed before the disk filled is readable (another connection, as another kernel would).
      const reader = (await openArchive(`file:${file}`, { readonly: true }))!;
      try {
        const n = (await reader.readTrades("btcusdt")).id.length + (await reader.readTrades("ethusdt")).id.length;
        expect(n).toBe(committedBefore);
      } finally {
        await reader.close();
      }
      // Space returns: the writer's next retry stores the backlog.
      unlinkSync(filler);
      await until("recovery", () => ing.stats().recording?.state === "ok");
      expect(ing.stats().warnings.some((w) => w.startsWith("archive:"))).toBe(false);
    } finally {
      await ing.stop();
      rmSync(filler, { force: true });
    }
    // After stop: the archive holds exactly the store's trades, each once (no loss across the full period, no duplicates).
    const archive = (await openArchive(`file:${file}`))!;
    try {
      for (const symbol of ["btcusdt", "ethusdt"]) {
        const t = await archive.readTrades(symbol);
        const ids = Float64Array.from(t.id).sort();
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
        const store = ing.store.ticks(symbol);
        expect(t.id.length).toBe(store.price.length);
      }
      expect(ing.stats().recording!.dropped).toBe(0);
    } finally {
      await archive.close();
    }
  }, 60_000);
});
