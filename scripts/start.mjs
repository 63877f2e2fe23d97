// `npm start`: the first command on a fresh clone. Installs what is missing, then opens JupyterLab on notebooks/:
//   1. npm dependencies (npm ci) when node_modules does not match the lockfile; builds dist/ + node_modules/pairlab;
//   2. the Jupyter frontend, in this order of preference:
//      a. the user's own JupyterLab (`jupyter lab` on PATH) — used as is;
//      b. otherwise pairlab's own JupyterLab 3.6 build (lab/, the one the tests use; built once into
//         .cache/lab/<variant>) on Debian's jupyterlab_server. Its Debian packages (python3-jupyterlab-server,
//         python3-jupyter-server, jupyter-client) are installed with apt when running as root or with
//         passwordless sudo;
//      c. otherwise classic Jupyter Notebook, if that is what is installed;
//      d. otherwise a message naming the one command to run;
//   3. registers the "pairlab" TypeScript kernel (this checkout's tslab, no global install) and launches.
// Extra arguments go to Jupyter: `npm start -- --port=9999 --no-browser`. PAIRLAB_LAB_VARIANT=plotly picks the
// build with the jupyterlab-plotly renderer (default plain). The data source defaults to "auto" (live Binance,
// falling back to the labelled SIMULATED demo exchange when Binance is unreachable); set
// PAIRLAB_SOURCE=live|demo|auto|ws://… to override.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { build, capture, die, ensureDebianPackages, ensureDependencies, pythonHas, root } from "./lib.mjs";
import { kernelName, registerKernel } from "./kernel.mjs";
import { ensureLabBuild, labServerCommand, labVariants } from "./lab.mjs";

ensureDependencies();
build();

const notebookDir = join(root, "notebooks");
const rootFlag = process.getuid?.() === 0 ? ["--allow-root"] : [];
const extra = process.argv.slice(2);
let launch;
if (capture("jupyter", ["lab", "--version"]) !== null) {
  launch = { what: "your JupyterLab", command: "jupyter", args: ["lab", `--notebook-dir=${notebookDir}`, ...rootFlag, ...extra] };
} else {
  const labServer = [
    { what: "jupyter_server", debian: "python3-jupyter-server", check: () => pythonHas("jupyter_server") },
    { what: "jupyterlab_server (LabServerApp)", debian: "python3-jupyterlab-server", check: () => pythonHas("jupyterlab_server") },
    { what: "jupyter_client", debian: "jupyter-client", check: () => pythonHas("jupyter_client") && capture("jupyter", ["--data-dir"]) !== null },
  ];
  const missing = ensureDebianPackages(labServer, "pairlab's JupyterLab");
  if (missing.length === 0) {
    const variant = process.env.PAIRLAB_LAB_VARIANT ?? "plain";
    if (!labVariants.includes(variant)) die(`PAIRLAB_LAB_VARIANT must be one of ${labVariants.join(", ")}, got '${variant}'`);
    try {
      ensureLabBuild(variant);
    } catch (error) {
      die(error.message);
    }
    const { command, args } = labServerCommand(variant, { notebookDir, args: extra });
    launch = { what: `pairlab's JupyterLab 3.6 (${variant}) on Debian's jupyterlab_server`, command, args };
  } else if (capture("jupyter", ["notebook", "--version"]) !== null) {
    console.error("pairlab: falling back to classic Jupyter Notebook (JupyterLab needs the packages above).");
    launch = { what: "classic Jupyter Notebook", command: "jupyter", args: ["notebook", `--notebook-dir=${notebookDir}`, ...rootFlag, ...extra] };
  } else {
    die("no Jupyter to start. Run the command above (or `pip install jupyterlab`), then `npm start` again.");
  }
}

const folder = registerKernel();
console.log(`pairlab: kernel '${kernelName}' registered in ${folder}`);
console.log(`pairlab: starting ${launch.what}: ${launch.command} ${launch.args.join(" ")}`);
console.log(`pairlab: data source ${process.env.PAIRLAB_SOURCE ?? "auto"} (PAIRLAB_SOURCE); open 00_dashboard.ipynb and pick the 'TypeScript (pairlab)' kernel`);
const child = spawn(launch.command, launch.args, { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
