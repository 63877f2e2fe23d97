import { PairlabError } from "../errors";

/** Stable codes of {@link ArchiveError}. */
export type ArchiveErrorCode =
  | "E_ARCHIVE_CORRUPT"
  | "E_ARCHIVE_LOCKED"
  | "E_ARCHIVE_FOREIGN"
  | "E_ARCHIVE_VERSION"
  | "E_ARCHIVE_FULL"
  | "E_ARCHIVE_IO"
  | "E_ARCHIVE_CLOSED";

/**
 * An archive that cannot be used as asked. `code` says why, `location` names the file path (SQLite) or
 * the server with its password removed (PostgreSQL), `detail` carries the backend's own message.
 *
 * - `E_ARCHIVE_CORRUPT`: the file is not a database or its pages are damaged (SQLITE_NOTADB / SQLITE_CORRUPT).
 * - `E_ARCHIVE_LOCKED`: another process held the lock longer than `busyTimeoutMs` (SQLITE_BUSY).
 * - `E_ARCHIVE_FOREIGN`: a database that is not a pairlab archive (other tables, another application id).
 * - `E_ARCHIVE_VERSION`: written by a newer pairlab (schema version above the supported one).
 * - `E_ARCHIVE_FULL`: the disk (or the configured size cap) is full; what was committed before is intact.
 * - `E_ARCHIVE_IO`: the file or server cannot be opened, read or written (permissions, network, …).
 * - `E_ARCHIVE_CLOSED`: the archive was used after `close()`.
 *
 * @example
 * try { openArchive("file:/etc/passwd"); } catch (e) { (e as ArchiveError).code; } // "E_ARCHIVE_CORRUPT"
 */
export class ArchiveError extends PairlabError {
  declare readonly code: ArchiveErrorCode;
  /** File path or redacted server URL. */
  readonly location: string;
  /** Backend message (e.g. "database disk image is malformed"). */
  readonly detail: string;
  constructor(code: ArchiveErrorCode, location: string, action: string, detail: string) {
    super(code, `Archive ${location}: cannot ${action}: ${describe(code)} (${detail})`);
    this.location = location;
    this.detail = detail;
  }
}

function describe(code: ArchiveErrorCode): string {
  switch (code) {
    case "E_ARCHIVE_CORRUPT":
      return "the file is corrupt or not a database";
    case "E_ARCHIVE_LOCKED":
      return "the database is locked by another process";
    case "E_ARCHIVE_FOREIGN":
      return "the database is not a pairlab archive";
    case "E_ARCHIVE_VERSION":
      return "the archive was written by a newer pairlab";
    case "E_ARCHIVE_FULL":
      return "the disk is full (everything committed before is kept)";
    case "E_ARCHIVE_IO":
      return "the file or server cannot be opened, read or written";
    case "E_ARCHIVE_CLOSED":
      return "the archive is closed";
  }
}

/**
 * Maps a better-sqlite3 / pg error to an {@link ArchiveError} (an ArchiveError passes through). O(1).
 *
 * @example
 * toArchiveError(Object.assign(new Error("disk full"), { code: "SQLITE_FULL" }), "a.sqlite", "write").code; // "E_ARCHIVE_FULL"
 */
export function toArchiveError(error: unknown, location: string, action: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : String(error);
  const detail = code ? `${code}: ${message}` : message;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return new ArchiveError("E_ARCHIVE_LOCKED", location, action, detail);
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return new ArchiveError("E_ARCHIVE_CORRUPT", location, action, detail);
  if (code === "SQLITE_FULL" || code === "53100" /* pg disk_full */ || code === "ENOSPC") return new ArchiveError("E_ARCHIVE_FULL", location, action, detail);
  if (code === "XX001" || code === "XX002") return new ArchiveError("E_ARCHIVE_CORRUPT", location, action, detail);
  return new ArchiveError("E_ARCHIVE_IO", location, action, detail);
}
