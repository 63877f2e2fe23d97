import * as nodeFs from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { ExportError } from "../errors";

/** The file-system calls {@link writeFileAtomic} makes (node:fs fits; tests inject failures such as ENOSPC). */
export interface AtomicFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

/**
 * Writes a file atomically: the data go to a temporary file in the target folder (`.<name>.<random>.tmp`),
 * which is flushed to disk (`fsync`), closed and renamed over `path`; the folder is then fsynced so the
 * rename itself survives a crash. A crash or an error leaves the old file or the new one, never half of
 * one: an existing file is replaced only by a complete new one. On any error the temporary file is
 * removed. Creates missing folders. O(bytes).
 *
 * @returns the number of bytes written.
 * @throws ExportError (E_EXPORT) naming `path` and the reason (ENOSPC full disk, EROFS read-only, ENOTDIR a file
 *   where a folder should be, EACCES…).
 * @example writeFileAtomic("exports/a.csv", "a,b\r\n1,2\r\n") // 10
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { fs?: AtomicFs } = {}): number {
  const fs = options.fs ?? (nodeFs as unknown as AtomicFs);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fd = fs.openSync(tmp, "wx", 0o644);
    created = true;
    let offset = 0;
    while (offset < bytes.length) {
      const n = fs.writeSync(fd, bytes, offset, bytes.length - offset);
      if (n <= 0) throw Object.assign(new Error("write returned no progress"), { code: "EIO" });
      offset += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
    created = false;
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: the write error is the one to report
      }
    }
    if (created) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing more can be done; the temporary name starts with "." and ends with ".tmp"
      }
    }
    throw new ExportError(path, error);
  }
  syncFolder(fs, dir);
  return bytes.length;
}

/** Flushes a folder's entries (the rename) to disk; some platforms cannot open folders, which is harmless. */
function syncFolder(fs: AtomicFs, dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort (EISDIR/EINVAL/EPERM on some systems): the file itself is complete either way
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // ignore
      }
    }
  }
}
