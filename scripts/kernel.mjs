// Registers the project's TypeScript kernel ("pairlab") as a user-level Jupyter kernelspec that runs
// THIS checkout's tslab (through scripts/tslab-kernel.cjs) with the Node that runs this script (no global install).
// Idempotent; rewriting it on every start/test keeps the path right if the checkout moves.
// The kernelspec folder also holds plotly-<version>.js: Jupyter serves a kernelspec's files at
// <base>/kernelspecs/pairlab/<file>, and every chart's HTML loads plotly.js from there when its page
// lacks it (after a reload, in a second tab); see src/charts/mime-bundle.ts.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { capture, die, root } from "./lib.mjs";

/** Name of the kernelspec; notebooks' metadata.kernelspec.name refers to it. */
export const kernelName = "pairlab";

/**
 * Writes the kernelspec and returns its folder. `dataDir` defaults to the user's Jupyter data dir
 * (`jupyter --data-dir`); the test suite passes a folder inside the checkout and points JUPYTER_PATH at
 * it, so tests of one checkout never rewrite the kernel another checkout registered.
 * Exits with a message when Jupyter is missing.
 */
export function registerKernel(dataDir = userDataDir()) {
  if (!existsSync(join(root, "node_modules", "tslab", "dist", "main.js"))) die("node_modules/tslab is missing: run `npm ci` first");
  // tslab-kernel.cjs starts tslab with its start-up race fixed (binds before reading; see the file).
  const tslab = join(root, "scripts", "tslab-kernel.cjs");
  const folder = resolve(dataDir, "kernels", kernelName);
  mkdirSync(folder, { recursive: true });
  const spec = {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (pairlab)",
    language: "typescript",
    interrupt_mode: "signal",
    env: { PAIRLAB_KERNEL_NAME: kernelName, PAIRLAB_KERNEL_DIR: folder },
    metadata: { pairlab: { checkout: root } },
  };
  writeFileSync(join(folder, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  writePlotly(folder);
  return folder;
}

// plotly-<version>.js next to kernel.json, written by the built library itself (one definition of the file).
function writePlotly(folder) {
  const loader = join(root, "dist", "charts", "plotly-loader.js");
  if (!existsSync(loader)) die("dist/ is missing: run `node scripts/build.mjs` before registering the kernel");
  createRequire(import.meta.url)(loader).writePlotlyScript(folder);
}

function userDataDir() {
  const dataDir = capture("jupyter", ["--data-dir"]);
  if (!dataDir) die("Jupyter is not installed. On Debian/Ubuntu: `sudo apt-get install jupyter-notebook python3-nbclient jupyter-client`; elsewhere: `pip install jupyterlab`.");
  return dataDir;
}

/** The kernelspec folder the test suite uses; put its parent's parent on JUPYTER_PATH. */
export const testDataDir = join(root, "test-artifacts", "jupyter");

// CLI: `node scripts/kernel.mjs` registers for the user; `--data-dir DIR` writes into DIR/kernels/pairlab.
if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--data-dir");
  const folder = at > 0 ? registerKernel(process.argv[at + 1]) : registerKernel();
  console.log(`pairlab: kernelspec '${kernelName}' written to ${folder}`);
}
