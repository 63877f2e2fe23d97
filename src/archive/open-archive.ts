import { parameterRangeError } from "../errors";
import type { Archive } from "./archive-types";
import { PostgresArchive } from "./postgres-archive";
import { SqliteArchive, type SqliteArchiveOptions } from "./sqlite-archive";

/** The default archive: an SQLite file inside the project (gitignored). */
export const DEFAULT_ARCHIVE = "file:data/pairlab.sqlite";

/** A parsed archive setting. */
export type ArchiveSpec = { kind: "off" } | { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/**
 * Parses an archive setting: the `archive` option, else `env.PAIRLAB_ARCHIVE`, else {@link DEFAULT_ARCHIVE}.
 * Accepted: `file:<path>` (SQLite; relative paths are relative to the working directory),
 * `postgres://…` / `postgresql://…` (PostgreSQL), `off` (no archive: nothing is recorded or read). O(1).
 *
 * @throws RangeError (E_PARAM) naming the value and the accepted forms.
 * @example
 * resolveArchiveSpec(undefined, {});                     // { kind: "sqlite", path: "data/pairlab.sqlite" }
 * resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: "off" }); // { kind: "off" }
 * resolveArchiveSpec("postgres://u@127.0.0.1/db");        // { kind: "postgres", url: "postgres://u@127.0.0.1/db" }
 */
export function resolveArchiveSpec(option?: string, env: Record<string, string | undefined> = process.env): ArchiveSpec {
  const fromOption = option !== undefined;
  const text = (fromOption ? option : env.PAIRLAB_ARCHIVE) ?? DEFAULT_ARCHIVE;
  const field = fromOption ? "archive" : "PAIRLAB_ARCHIVE";
  if (typeof text !== "string") throw parameterRangeError("openArchive", field, '"file:<path>", "postgres://…" or "off"', text);
  const s = text.trim();
  if (s === "" && !fromOption) return resolveArchiveSpec(DEFAULT_ARCHIVE, env);
  if (s.toLowerCase() === "off") return { kind: "off" };
  if (s.startsWith("file:") && s.length > 5) return { kind: "sqlite", path: s.slice(5).replace(/^\/\/(?=\/)/, "") };
  if (/^postgres(ql)?:\/\/./.test(s)) return { kind: "postgres", url: s };
  throw parameterRangeError("openArchive", field, '"file:<path>" (SQLite), "postgres://…" (PostgreSQL) or "off"', text);
}

/** Options of {@link openArchive}: the SQLite options apply to a file archive. */
export interface OpenArchiveOptions extends SqliteArchiveOptions {
  /** Environment to read `PAIRLAB_ARCHIVE` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Opens the archive selected by `archive` / `PAIRLAB_ARCHIVE` (see {@link resolveArchiveSpec});
 * resolves to `null` when the setting is `off`.
 *
 * @throws RangeError (E_PARAM) for a bad setting; ArchiveError when the file/server cannot be used.
 * @example
 * const archive = await openArchive();          // data/pairlab.sqlite unless PAIRLAB_ARCHIVE says otherwise
 * const none = await openArchive("off");       // null
 */
export async function openArchive(archive?: string, options: OpenArchiveOptions = {}): Promise<Archive | null> {
  const spec = resolveArchiveSpec(archive, options.env ?? process.env);
  if (spec.kind === "off") return null;
  if (spec.kind === "sqlite") return SqliteArchive.open(spec.path, options);
  return PostgresArchive.open(spec.url, { busyTimeoutMs: options.busyTimeoutMs });
}
