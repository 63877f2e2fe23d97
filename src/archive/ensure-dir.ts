import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ArchiveError } from "./archive-error";

/**
 * Creates folder `dir` and its missing parents, one level at a time, or throws at once. Node 20's
 * `mkdirSync(dir, { recursive: true })` never returns for some unusable paths (e.g. `/proc/x/y`: the kernel
 * answers ENOENT for a parent that exists, and Node retries forever), which hung the ingestion worker; here the
 * nearest existing ancestor is found with `stat`, and each missing level is made with a plain `mkdir`, so any
 * refusal (ENOENT, EACCES, EROFS, EPERM, ENOTDIR, ENOSPC) surfaces as one error. O(depth) system calls.
 *
 * @throws ArchiveError `E_ARCHIVE_IO` naming `location` (the archive file) and the failing folder and cause.
 * @example
 * ensureDir("data", "data/pairlab.sqlite");               // creates data/ if missing
 * ensureDir("/proc/x", "/proc/x/pairlab.sqlite");         // throws E_ARCHIVE_IO (ENOENT: mkdir '/proc/x')
 */
export function ensureDir(dir: string, location: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw folderError(location, d, error);
      const up = dirname(d);
      if (up === d) throw folderError(location, d, error);
      missing.push(d);
      d = up;
      continue;
    }
    if (!isDir) throw new ArchiveError("E_ARCHIVE_IO", location, "open", `ENOTDIR: ${d} is not a folder`);
    break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST" && isFolder(missing[i])) continue; // another process made it meanwhile
      throw folderError(location, missing[i], error);
    }
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function folderError(location: string, folder: string, error: unknown): ArchiveError {
  const e = error as NodeJS.ErrnoException;
  return new ArchiveError("E_ARCHIVE_IO", location, "open", `${e.code ?? "error"}: cannot create folder ${folder} (${e.message})`);
}
