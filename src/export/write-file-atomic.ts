import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` atomically: a temp file in the same folder, written fully, fsync'd, closed, then
 * renamed over `path` (and the folder fsync'd). A crash leaves the old file or the new one, never half of
 * one; the temp file is removed on failure. O(bytes).
 *
 * @throws the fs error (ENOSPC, EACCES, …) after removing the temp file.
 * @example
 * writeFileAtomic("exports/a.csv", "x\r\n1\r\n"); // 6
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): number {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let fd = -1;
  try {
    fd = openSync(tmp, "wx");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  try {
    const dfd = openSync(dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    /* some filesystems cannot fsync a directory; the rename is done */
  }
  return bytes.length;
}
