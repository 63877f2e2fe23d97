// `npm start`: the first command on a fresh clone. Installs dependencies when missing (npm ci), builds
// dist/ + node_modules/pairlab, registers the "pairlab" TypeScript kernel (this checkout's tslab, no
// global install), then launches JupyterLab on notebooks/ — or classic Jupyter Notebook when that is
// what is installed. Extra arguments are passed to Jupyter: `npm start -- --port 9999 --no-browser`.
// The data source defaults to "auto" (live Binance, falling back to the labelled SIMULATED demo
// exchange when Binance is unreachable); set PAIRLAB_SOURCE=live|demo|auto|ws://… to override.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { build, capture, die, ensureDependencies, root } from "./lib.mjs";
import { kernelName, registerKernel } from "./kernel.mjs";

ensureDependencies();
build();
const folder = registerKernel();
console.log(`pairlab: kernel '${kernelName}' registered in ${folder}`);

const flavour = capture("jupyter", ["lab", "--version"]) !== null ? "lab" : capture("jupyter", ["notebook", "--version"]) !== null ? "notebook" : null;
if (flavour === null) {
  die("no Jupyter found. Install one: `sudo apt-get install jupyter-notebook` (Debian/Ubuntu) or `pip install jupyterlab`, then run `npm start` again.");
}
const args = [flavour, `--notebook-dir=${join(root, "notebooks")}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...process.argv.slice(2)];
console.log(`pairlab: starting jupyter ${args.join(" ")}`);
console.log(`pairlab: data source ${process.env.PAIRLAB_SOURCE ?? "auto"} (PAIRLAB_SOURCE); open 00_dashboard.ipynb and pick the 'TypeScript (pairlab)' kernel`);
const child = spawn("jupyter", args, { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
