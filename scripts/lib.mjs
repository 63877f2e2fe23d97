// Shared helpers of the project scripts (start, test, build, bench). Plain Node: they must run on a
// fresh clone before `node_modules` exists.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs a command with inherited stdio from the repo root; returns its exit status (never throws). */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) {
    console.error(`pairlab: could not run ${command}: ${result.error.message}`);
    return 127;
  }
  return result.status ?? 1;
}

/** Runs a command and returns its trimmed stdout, or null when it cannot run or exits non-zero. */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

/** Exits the process with a message on stderr. */
export function die(message, status = 1) {
  console.error(`pairlab: ${message}`);
  process.exit(status);
}

/**
 * Installs the npm dependencies with `npm ci` when node_modules is missing or does not match
 * package-lock.json, so that `npm start` and `npm test` work as the very first command on a fresh clone.
 * `dir` is the package folder (default: the repository root; lab/ has its own lockfile). `ignoreScripts`
 * skips packages' install scripts (lab/: a browser bundle needs none of them, e.g. leveldown's node-gyp).
 * On failure it exits with a message, or throws an Error when `fatal` is false.
 */
export function ensureDependencies(dir = root, { ignoreScripts = false, fatal = true } = {}) {
  const installed = readLock(join(dir, "node_modules", ".package-lock.json"));
  const mismatch = installed ? firstMismatch(readLock(join(dir, "package-lock.json")), installed) : "node_modules is missing";
  if (mismatch === null) return;
  console.log(`pairlab: installing dependencies of ${dir === root ? "pairlab" : dir} with npm ci (${mismatch})…`);
  const started = Date.now();
  const status = run("npm", ["ci", "--no-audit", "--no-fund", ...(ignoreScripts ? ["--ignore-scripts"] : [])], { cwd: dir });
  if (status !== 0) {
    const message = `npm ci in ${dir} failed (see above). Behind a proxy? Set HTTPS_PROXY or npm's 'proxy' config, then retry.`;
    if (fatal) die(message);
    throw new Error(message);
  }
  console.log(`pairlab: dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// The "packages" map of a lockfile (package-lock.json, or npm's node_modules/.package-lock.json), or null.
function readLock(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8")).packages ?? null;
  } catch {
    return null;
  }
}

// Why node_modules does not match the lockfile, or null when it does. Optional packages for other
// platforms (esbuild's, say) are legitimately absent from node_modules, so only a version difference
// or a missing non-optional package counts.
function firstMismatch(locked, installed) {
  if (!locked) return "package-lock.json is unreadable";
  for (const [path, meta] of Object.entries(locked)) {
    if (!path.startsWith("node_modules/")) continue;
    const have = installed[path];
    if (!have) {
      if (meta.optional) continue;
      return `${path} is not installed`;
    }
    if (have.version !== meta.version) return `${path} is ${have.version}, the lockfile wants ${meta.version}`;
  }
  return null;
}

/** Builds `dist/` and the `node_modules/pairlab` entry notebooks import. Exits on failure. */
export function build() {
  if (run(process.execPath, [join(root, "scripts", "build.mjs")]) !== 0) die("build failed (see the TypeScript errors above)");
}

/**
 * Debian's Python with Jupyter, statsmodels and pandas (never a pyenv/venv python that lacks them). On a
 * Debian machine that has no python3 yet, apt will put it there (ensureDebianPackages), so it is named too.
 */
export const python = existsSync("/usr/bin/python3") || existsSync("/usr/bin/apt-get") ? "/usr/bin/python3" : "python3";

/**
 * How this process may install Debian packages: "root" (apt-get directly), "sudo" (passwordless
 * `sudo -n`), or null (neither: the caller prints the command for the user).
 */
export function aptAccess() {
  if (process.platform !== "linux" || capture("sh", ["-c", "command -v apt-get"]) === null) return null;
  if (process.getuid?.() === 0) return "root";
  if (capture("sudo", ["-n", "true"]) !== null) return "sudo";
  return null;
}

/**
 * Installs the missing ones of `requirements` ({ what, debian, check() }) with apt when running as root or
 * with passwordless sudo (`apt-get update` first when the package lists are empty or stale), then
 * re-checks them. Returns the requirements still missing; for those it prints the one command to run.
 * `access` defaults to {@link aptAccess}() (tests pass null).
 */
export function ensureDebianPackages(requirements, purpose, access = aptAccess()) {
  let missing = requirements.filter((r) => !r.check());
  if (missing.length === 0) return [];
  const packages = [...new Set(missing.map((r) => r.debian))];
  if (access) {
    console.log(`pairlab: ${purpose} needs ${missing.map((r) => r.what).join(", ")}: installing Debian packages ${packages.join(" ")} with apt (${access})…`);
    const started = Date.now();
    const apt = (args) => run(access === "sudo" ? "sudo" : "apt-get", [...(access === "sudo" ? ["-n", "apt-get"] : []), ...args], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    const install = () => apt(["install", "-y", "-q", ...packages]);
    if (install() !== 0) {
      apt(["update", "-q"]);
      install();
    }
    console.log(`pairlab: apt finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    missing = missing.filter((r) => !r.check());
  }
  if (missing.length > 0) {
    for (const r of missing) console.error(`pairlab: ${r.what} is missing (Debian package ${r.debian}).`);
    console.error(`pairlab: install ${missing.length === 1 ? "it" : "them"} with: sudo apt-get install ${[...new Set(missing.map((r) => r.debian))].join(" ")}`);
  }
  return missing;
}

/** True when `python -c "import <module>"` works with Debian's Python. */
export function pythonHas(module) {
  return run(python, ["-c", `import ${module}`], { stdio: "ignore" }) === 0;
}
