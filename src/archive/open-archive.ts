import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parameterRangeError } from "../errors";
import type { Archive } from "./archive-types";
import { PostgresArchive } from "./postgres-archive";
import { SqliteArchive, type SqliteArchiveOptions } from "./sqlite-archive";

/**
 * The default archive: an SQLite file inside the project, `data/pairlab.sqlite` (gitignored). The relative path
 * is resolved against the pairlab project folder (where its package.json is), not the working directory, so a
 * notebook kernel (cwd notebooks/) and a script (cwd the project) share one file. Explicit `file:` paths are
 * relative to the working directory.
 */
export const DEFAULT_ARCHIVE = "file:data/pairlab.sqlite";

/** The pairlab project folder: the nearest parent of this module with a package.json named "pairlab". */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "pairlab") return dir;
      } catch {
        /* not JSON: keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** A parsed archive setting. */
export type ArchiveSpec = { kind: "off" } | { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/**
 * Parses an archive setting: the `archive` option, else `env.PAIRLAB_ARCHIVE`, else {@link DEFAULT_ARCHIVE}.
 * Accepted: `file:<path>` (SQLite; relative paths are relative to the working directory),
 * `postgres://…` / `postgresql://…` (PostgreSQL), `off` (no archive: nothing is recorded or read). O(1).
 *
 * @throws RangeError (E_PARAM) naming the value and the accepted forms.
 * @example
 * resolveArchiveSpec(undefined, {});                     // { kind: "sqlite", path: "<project>/data/pairlab.sqlite" }
 * resolveArchiveSpec(undefined, { PAIRLAB_ARCHIVE: "off" }); // { kind: "off" }
 * resolveArchiveSpec("postgres://u@127.0.0.1/db");        // { kind: "postgres", url: "postgres://u@127.0.0.1/db" }
 */
export function resolveArchiveSpec(option?: string, env: Record<string, string | undefined> = process.env): ArchiveSpec {
  const fromOption = option !== undefined;
  const field = fromOption ? "archive" : "PAIRLAB_ARCHIVE";
  const text = fromOption ? option : env.PAIRLAB_ARCHIVE;
  // Unset (or an empty variable): the default file inside the project.
  if (text === undefined || (!fromOption && typeof text === "string" && text.trim() === "")) return { kind: "sqlite", path: join(projectRoot(), "data", "pairlab.sqlite") };
  if (typeof text !== "string") throw parameterRangeError("openArchive", field, '"file:<path>", "postgres://…" or "off"', text);
  const s = text.trim();
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
