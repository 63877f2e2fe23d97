import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
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
