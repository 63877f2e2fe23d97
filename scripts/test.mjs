// `npm test`: the whole suite, usable as the very first command on a fresh clone.
//   1. installs dependencies if missing (npm ci) and builds dist/ + node_modules/pairlab;
//   2. installs the missing system prerequisites with apt (as root, or with passwordless sudo): Jupyter
//      Notebook 6, jupyter_server + jupyterlab_server (LabServerApp), nbclient, ipykernel, nbconvert,
//      pandas, statsmodels, Chromium, Liberation fonts, PostgreSQL 15. Without apt access it names the one
//      command to run and fails (never skips: a missing Jupyter or Chromium is a failure, not a pass);
//   3. registers the "pairlab" kernelspec in test-artifacts/jupyter (on JUPYTER_PATH for the run);
//   4. builds pairlab's JupyterLab 3.6 (both variants, into .cache/lab; reused while lab/ is unchanged);
//   5. typechecks src/, test/, bench/;
//   6. runs vitest (unit + integration, sockets on 127.0.0.1 only);
//   7. executes every notebook through the real tslab kernel (scripts/run-notebooks.py, PAIRLAB_SOURCE=demo);
//   8. runs the real-browser checks (test/browser/*.browser.mjs: Notebook 6, nbconvert HTML, JupyterLab).
// Ends with one "N passed, N failed" line counting every test, notebook and browser check.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, ensureDebianPackages, ensureDependencies, python, pythonHas, root, run } from "./lib.mjs";
import { registerKernel, testDataDir } from "./kernel.mjs";
import { ensureLabBuild, labVariants } from "./lab.mjs";
import { startPostgres } from "./postgres.mjs";
import { tmpdir } from "node:os";

const started = Date.now();
ensureDependencies();
build();

/** What the suite needs from Debian, each with the package that provides it. */
const testPrerequisites = [
  { what: "Jupyter Notebook 6", debian: "jupyter-notebook", check: () => pythonHas("notebook") },
  { what: "jupyter_client", debian: "jupyter-client", check: () => pythonHas("jupyter_client") },
  { what: "jupyter_server", debian: "python3-jupyter-server", check: () => pythonHas("jupyter_server") },
  { what: "jupyterlab_server (LabServerApp)", debian: "python3-jupyterlab-server", check: () => pythonHas("jupyterlab_server") },
  { what: "nbclient", debian: "python3-nbclient", check: () => pythonHas("nbclient") },
  { what: "ipykernel", debian: "python3-ipykernel", check: () => pythonHas("ipykernel") },
  { what: "nbconvert", debian: "python3-nbconvert", check: () => pythonHas("nbconvert") },
  { what: "pandas", debian: "python3-pandas", check: () => pythonHas("pandas") },
  { what: "statsmodels", debian: "python3-statsmodels", check: () => pythonHas("statsmodels") },
  { what: "Chromium", debian: "chromium", check: () => existsSync("/usr/bin/chromium") },
  { what: "Liberation fonts", debian: "fonts-liberation", check: () => existsSync("/usr/share/fonts/truetype/liberation") },
  { what: "PostgreSQL 15", debian: "postgresql-15", check: () => existsSync("/usr/lib/postgresql/15/bin/postgres") },
];
if (ensureDebianPackages(testPrerequisites, "the test suite").length > 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// A kernelspec private to this checkout's test run (JUPYTER_PATH wins over the user's kernels), so a test
// run in another clone never rewrites the kernel `npm start` registered.
registerKernel(testDataDir);
process.env.JUPYTER_PATH = [testDataDir, process.env.JUPYTER_PATH].filter(Boolean).join(":");

mkdirSync(join(root, "test-artifacts"), { recursive: true });
const steps = [];
let passed = 0;
let failed = 0;

function step(name, fn) {
  const t0 = Date.now();
  const outcome = fn();
  passed += outcome.passed;
  failed += outcome.failed;
  steps.push(`${outcome.failed === 0 ? "ok  " : "FAIL"} ${name}: ${outcome.passed} passed, ${outcome.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

// Before vitest: test/foundation/start.test.ts starts `npm start`, which serves this build.
step("jupyterlab build", () => {
  let built = 0;
  for (const variant of labVariants) {
    try {
      ensureLabBuild(variant);
      built++;
    } catch (error) {
      console.error(`pairlab: ${error.message}`);
    }
  }
  return { passed: built, failed: labVariants.length - built };
});

step("typecheck", () => {
  const status = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.check.json"]);
  return status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
});

// The PostgreSQL archive suite runs against one throwaway cluster started here for the vitest step (vitest's
// own default archive is "off", see vitest.config.ts).
let postgres = null;
try {
  postgres = await startPostgres();
  process.env.PAIRLAB_TEST_POSTGRES = postgres.url;
} catch (error) {
  console.error(`pairlab: ${error.message}`);
  failed++;
  steps.push(`FAIL postgres cluster: ${error.message}`);
}

step("vitest", () => {
  const report = join(root, "test-artifacts", "vitest.json");
  const status = run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile=${report}`]);
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    const failedCount = json.numFailedTests + (status !== 0 && json.numFailedTests === 0 ? 1 : 0);
    if (json.numTotalTests === 0) return { passed: 0, failed: 1 };
    return { passed: json.numPassedTests, failed: failedCount };
  } catch {
    return { passed: 0, failed: 1 };
  }
});

if (postgres !== null) await postgres.stop();
delete process.env.PAIRLAB_TEST_POSTGRES;
// The notebooks record (the default) into a throwaway SQLite file, never into data/.
const archiveDir = mkdtempSync(join(tmpdir(), "pairlab-test-archive-"));
process.env.PAIRLAB_ARCHIVE = `file:${join(archiveDir, "pairlab.sqlite")}`;

step("notebooks", () => {
  // run-notebooks.py prints "notebooks: N passed, N failed"; pass its output through and count from it.
  const result = spawnSync(python, [join(root, "scripts", "run-notebooks.py")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PAIRLAB_SOURCE: "demo" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.stdout.write(result.stdout ?? "");
  const counts = /notebooks: (\d+) passed, (\d+) failed/.exec(result.stdout ?? "");
  if (!counts || result.status !== 0) return { passed: counts ? Number(counts[1]) : 0, failed: Math.max(1, counts ? Number(counts[2]) : 1) };
  return { passed: Number(counts[1]), failed: 0 };
});

// Each browser file prints one line per check and "browser: N passed, N failed"; count those checks.
const browserDir = join(root, "test", "browser");
const browserTests = existsSync(browserDir) ? readdirSync(browserDir).filter((f) => f.endsWith(".browser.mjs")).sort() : [];
for (const file of browserTests) {
  step(`browser ${file}`, () => {
    const result = spawnSync(process.execPath, [join(browserDir, file)], { cwd: root, encoding: "utf8", env: { ...process.env, PAIRLAB_SOURCE: "demo" }, stdio: ["ignore", "pipe", "inherit"] });
    process.stdout.write(result.stdout ?? "");
    const counts = /browser: (\d+) passed, (\d+) failed/.exec(result.stdout ?? "");
    const passedChecks = counts ? Number(counts[1]) : 0;
    const failedChecks = counts ? Number(counts[2]) : 0;
    return { passed: passedChecks, failed: result.status === 0 && counts ? failedChecks : Math.max(1, failedChecks) };
  });
}

rmSync(archiveDir, { recursive: true, force: true });
console.log("\n== pairlab test summary ==");
for (const line of steps) console.log(line);
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
