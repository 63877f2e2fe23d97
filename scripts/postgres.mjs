// A throwaway PostgreSQL 15 cluster for the archive tests (Debian's postgresql-15: initdb / pg_ctl).
//
//   import { startPostgres } from "./postgres.mjs";
//   const pg = await startPostgres();   // { url, port, dir, stop() }
//   ... use pg.url (postgres://pairlab@127.0.0.1:<port>/postgres) ...
//   await pg.stop();                    // pg_ctl stop -m immediate, then removes the folder
//
// CLI: `node scripts/postgres.mjs -- <command…>` starts a cluster, runs the command with
// PAIRLAB_TEST_POSTGRES=<url> in its environment, stops the cluster and exits with the command's status.
//
// The cluster lives in a fresh temp folder, listens on 127.0.0.1 only (no Unix socket outside the folder),
// on a free port, with trust authentication for the local user "pairlab". As root it runs as the
// unprivileged "postgres" user (runuser); as another user it runs as that user.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = "/usr/lib/postgresql/15/bin";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function asOwner(owner, cmd, args) {
  const [file, argv] = owner ? ["runuser", ["-u", owner, "--", cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
}

/** Starts a throwaway cluster; resolves to { url, port, dir, stop }. Throws naming the Debian package when missing. */
export async function startPostgres() {
  if (!existsSync(join(BIN, "initdb"))) {
    throw new Error(`PostgreSQL 15 is missing (${BIN}/initdb). Install it: apt-get install -y postgresql-15`);
  }
  const root = process.getuid?.() === 0;
  const owner = root ? "postgres" : null;
  const dir = mkdtempSync(join(tmpdir(), "pairlab-pg-"));
  chmodSync(dir, 0o700);
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  let started = false;
  const stopSync = () => {
    if (started) {
      try {
        asOwner(owner, join(BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already stopped */
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
    process.removeListener("exit", stopSync);
  };
  // A test process that exits without calling stop() (a failed hook, process.exit) still stops its cluster.
  process.once("exit", stopSync);
  const stop = async () => stopSync();
  try {
    asOwner(owner, join(BIN, "initdb"), ["-D", data, "-U", "pairlab", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=40`;
    asOwner(owner, join(BIN, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-o", opts, "-w", "-t", "60", "start"]);
    started = true;
  } catch (error) {
    await stop();
    throw new Error(`cannot start the test PostgreSQL: ${error.stderr || error.message}`);
  }
  return { url: `postgres://pairlab@127.0.0.1:${port}/postgres`, port, dir, stop };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sep = process.argv.indexOf("--");
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  if (command.length === 0) {
    console.error("usage: node scripts/postgres.mjs -- <command> [args…]");
    process.exit(2);
  }
  const pg = await startPostgres();
  console.log(`postgres: throwaway cluster on ${pg.url}`);
  let status = 1;
  try {
    status = spawnSync(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, PAIRLAB_TEST_POSTGRES: pg.url } }).status ?? 1;
  } finally {
    await pg.stop();
  }
  process.exit(status);
}
