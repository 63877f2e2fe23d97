import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { dirname, join, basename } from "node:path";

/**
 * Writes `data` to `path` atomically: a temp file in the same folder, written, fsync'd, closed, then
 * renamed over `path`, then the folder fsync'd (best effort). A crash leaves the old file or the new one,
 * never half of one. Synchronous (callers keep it off hot paths). O(bytes).
 * @throws the `fs` error (ENOENT for a missing folder, EACCES, ENOSPC…); the temp file is removed.
 * @example writeFileAtomic("/tmp/state.json", JSON.stringify({ a: 1 }))
 */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw error;
  }
  try {
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* some filesystems refuse fsync on a directory */
  }
}

/**
 * Asynchronous {@link writeFileAtomic} (same steps with `fs/promises`, so the event loop — ingestion,
 * evaluation — keeps running during the fsyncs). O(bytes).
 * @throws (rejects with) the `fs` error; the temp file is removed.
 * @example await writeFileAtomicAsync("/tmp/state.json", "{}")
 */
export async function writeFileAtomicAsync(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (error) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  try {
    const d = await open(dirname(path), "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* some filesystems refuse fsync on a directory */
  }
}

/**
 * Appends `text` to `path` and fsyncs, asynchronously (one `write` call, so a line is never interleaved).
 * @example await appendFileSynced("/tmp/log.jsonl", '{"a":1}\n')
 */
export async function appendFileSynced(path: string, text: string): Promise<void> {
  const fh = await open(path, "a", 0o600);
  try {
    await fh.write(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
