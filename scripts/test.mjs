// `npm test`: the whole suite, usable as the very first command on a fresh clone.
//   1. installs dependencies if missing (npm ci) and builds dist/ + node_modules/pairlab;
//   2. checks the system prerequisites and fails naming the Debian package when one is missing
//      (never skips: a missing Jupyter or Chromium is a failure, not a pass);
//   3. registers the "pairlab" kernelspec in test-artifacts/jupyter (on JUPYTER_PATH for the run);
//   4. typechecks src/, test/, bench/;
//   5. runs vitest (unit + integration, sockets on 127.0.0.1 only);
//   6. executes every notebook through the real tslab kernel (scripts/run-notebooks.py, PAIRLAB_SOURCE=demo);
//   7. runs the real-browser checks (test/browser/*.browser.mjs).
// Ends with one "N passed, N failed" line counting every test, notebook and browser check.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build, capture, ensureDependencies, python, root, run } from "./lib.mjs";
import { registerKernel, testDataDir } from "./kernel.mjs";

const started = Date.now();
ensureDependencies();
build();

const prerequisites = [
  { what: "Jupyter Notebook", check: () => capture("jupyter", ["notebook", "--version"]) !== null, debian: "jupyter-notebook" },
  { what: "jupyter_client", check: () => capture(python, ["-c", "import jupyter_client"]) !== null, debian: "jupyter-client" },
  { what: "nbclient", check: () => capture(python, ["-c", "import nbclient"]) !== null, debian: "python3-nbclient" },
  { what: "pandas", check: () => capture(python, ["-c", "import pandas"]) !== null, debian: "python3-pandas" },
  { what: "statsmodels", check: () => capture(python, ["-c", "import statsmodels"]) !== null, debian: "python3-statsmodels" },
  { what: "Chromium", check: () => existsSync("/usr/bin/chromium"), debian: "chromium" },
];
const missing = prerequisites.filter((p) => !p.check());
if (missing.length > 0) {
  for (const p of missing) console.error(`pairlab: ${p.what} is missing. Install it: sudo apt-get install ${p.debian}`);
  console.error(`pairlab: or all at once: sudo apt-get install ${prerequisites.map((p) => p.debian).join(" ")}`);
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

step("typecheck", () => {
  const status = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.check.json"]);
  return status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
});

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

const browserDir = join(root, "test", "browser");
const browserTests = existsSync(browserDir) ? readdirSync(browserDir).filter((f) => f.endsWith(".browser.mjs")).sort() : [];
for (const file of browserTests) {
  step(`browser ${file}`, () => (run(process.execPath, [join(browserDir, file)], { env: { ...process.env, PAIRLAB_SOURCE: "demo" } }) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }));
}

console.log("\n== pairlab test summary ==");
for (const line of steps) console.log(line);
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
