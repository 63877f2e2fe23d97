// Test helper: the archive backends the shared suite runs against. SQLite gets a fresh temp file per
// archive; PostgreSQL a fresh database per archive on a real server — the one in PAIRLAB_TEST_POSTGRES
// (set by `node scripts/postgres.mjs -- …`) or a throwaway cluster this helper starts (never a mock).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { PostgresArchive, SqliteArchive, type Archive } from "../../src/archive";

export interface Backend {
  name: "sqlite" | "postgres";
  /** A fresh, empty archive. */
  fresh(): Promise<Archive>;
  /** Opens the archive at the same location again (a second connection / "process"). */
  reopen(a: Archive): Promise<Archive>;
  /** Runs raw SQL on a fresh location and returns an archive opener for it (for foreign/version tests). */
  raw(sql: string): Promise<() => Promise<Archive>>;
  stop(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "pairlab-archive-"));
  let k = 0;
  return {
    name: "sqlite",
    fresh: async () => SqliteArchive.open(join(dir, `a${++k}.sqlite`)),
    reopen: async (a) => SqliteArchive.open(a.location),
    raw: async (sql) => {
      const file = join(dir, `raw${++k}.sqlite`);
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(file);
      db.exec(sql);
      db.close();
      return async () => SqliteArchive.open(file);
    },
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresBackend(): Promise<Backend> {
  let server: { url: string; stop(): Promise<void> } | null = null;
  let base = process.env.PAIRLAB_TEST_POSTGRES;
  if (!base) {
    // @ts-expect-error -- plain ESM script without types
    const { startPostgres } = (await import("../../scripts/postgres.mjs")) as { startPostgres(): Promise<{ url: string; stop(): Promise<void> }> };
    server = await startPostgres();
    base = server.url;
  }
  const admin = new pg.Client(base);
  await admin.connect();
  let k = 0;
  const run = `t${process.pid}_${Date.now() % 1e6}`;
  const newDb = async (): Promise<string> => {
    const name = `${run}_${++k}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(base!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    name: "postgres",
    fresh: async () => PostgresArchive.open(await newDb()),
    reopen: async (a) => PostgresArchive.open(a.location),
    raw: async (sql) => {
      const url = await newDb();
      const c = new pg.Client(url);
      await c.connect();
      await c.query(sql);
      await c.end();
      return () => PostgresArchive.open(url);
    },
    stop: async () => {
      await admin.end();
      await server?.stop();
    },
  };
}

/** What {@link useBackend} gives a suite. */
export interface BackendSuite {
  /** The backend (made in beforeAll). */
  backend(): Backend;
  /** A fresh, empty archive, closed after the suite. */
  fresh(): Promise<Archive>;
  /** Closes these archives after the suite too (e.g. second connections from `reopen`). */
  keep(...archives: Archive[]): void;
}

/**
 * Inside a `describe`: makes the backend before its tests; after them closes every archive handed out by
 * `fresh()` or passed to `keep()`, then stops the backend.
 */
export function useBackend(make: () => Backend | Promise<Backend>): BackendSuite {
  let backend: Backend | undefined;
  const open: Archive[] = [];
  beforeAll(async () => {
    backend = await make();
  });
  afterAll(async () => {
    for (const a of open) await a.close();
    await backend?.stop();
  });
  const current = (): Backend => {
    if (backend === undefined) throw new Error("the archive backend is made in beforeAll");
    return backend;
  };
  return {
    backend: current,
    fresh: async () => {
      const a = await current().fresh();
      open.push(a);
      return a;
    },
    keep: (...archives) => {
      open.push(...archives);
    },
  };
}
