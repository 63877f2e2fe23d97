// pairlab's own JupyterLab 3.6 (see lab/): building it into the gitignored cache folder .cache/lab/<variant>
// and the command line that serves it with Debian's jupyterlab_server (LabServerApp on jupyter_server 1.23).
// Variants: "plain" (charts render through their text/html fallback) and "plotly" (with the npm
// jupyterlab-plotly renderer). A build is reused while lab/'s sources and lockfile are unchanged.
//   node scripts/lab.mjs build [plain|plotly|all]      build (or reuse) and print the folder
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { die, ensureDependencies, python, root, run } from "./lib.mjs";

/** The two builds. */
export const labVariants = ["plain", "plotly"];

/** Folder of pairlab's JupyterLab app definition (its own package.json + package-lock.json). */
export const labSource = join(root, "lab");

/** The gitignored cache folder holding the builds, one sub-folder per variant. */
export const labCache = join(root, ".cache", "lab");

const STAMP = "pairlab-build.json";
const INPUTS = ["package.json", "package-lock.json", "index.js", "webpack.config.js", "build.js", join("templates", "index.html")];

function fingerprint(variant) {
  const hash = createHash("sha256").update(variant);
  for (const file of INPUTS) hash.update(file).update(readFileSync(join(labSource, file)));
  return hash.digest("hex");
}

/** True when the variant's build in the cache matches lab/'s current sources. */
export function labIsBuilt(variant) {
  try {
    return JSON.parse(readFileSync(join(labCache, variant, STAMP), "utf8")).fingerprint === fingerprint(variant);
  } catch {
    return false;
  }
}

/**
 * Builds the variant into .cache/lab/<variant> unless an up-to-date build is there: installs lab/'s npm
 * dependencies when missing (npm ci in lab/), runs webpack (lab/build.js) into a temporary sibling folder and
 * renames it into place, so an interrupted build never leaves a half build that looks complete.
 * Returns the folder. Throws an Error (naming the variant) when the install or the build fails.
 */
export function ensureLabBuild(variant) {
  if (!labVariants.includes(variant)) throw new RangeError(`Cannot build JupyterLab: 'variant' must be one of ${labVariants.join(", ")}, got '${variant}'`);
  const target = join(labCache, variant);
  if (labIsBuilt(variant)) return target;
  ensureDependencies(labSource, { ignoreScripts: true, fatal: false });
  const started = Date.now();
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  console.log(`pairlab: building JupyterLab 3.6 (variant '${variant}') into ${target}…`);
  if (run(process.execPath, [join(labSource, "build.js"), variant, partial]) !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`the JupyterLab build (variant '${variant}') failed (see above)`);
  }
  writeFileSync(join(partial, STAMP), JSON.stringify({ variant, fingerprint: fingerprint(variant), builtAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 }, null, 2) + "\n");
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

/**
 * The command (python, args) that serves the built variant with LabServerApp: notebooks from `notebookDir`,
 * user settings and workspaces in `stateDir` (default: the user's Jupyter config dir, as JupyterLab does).
 * Extra `args` are passed through (`--port`, `--ServerApp.token`, `--no-browser`, …).
 */
export function labServerCommand(variant, { notebookDir, stateDir, args = [] }) {
  const dir = join(labCache, variant);
  return {
    command: python,
    args: [
      "-m", "jupyterlab_server",
      `--LabServerApp.static_dir=${join(dir, "static")}`,
      `--LabServerApp.templates_dir=${join(dir, "templates")}`,
      `--LabServerApp.schemas_dir=${join(dir, "schemas")}`,
      `--LabServerApp.themes_dir=${join(dir, "themes")}`,
      ...(stateDir ? [`--LabServerApp.user_settings_dir=${join(stateDir, "user-settings")}`, `--LabServerApp.workspaces_dir=${join(stateDir, "workspaces")}`] : []),
      `--ServerApp.root_dir=${notebookDir}`,
      ...(process.getuid?.() === 0 ? ["--ServerApp.allow_root=True"] : []),
      ...args,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "build") {
  const which = process.argv[3] ?? "all";
  try {
    for (const variant of which === "all" ? labVariants : [which]) console.log(ensureLabBuild(variant));
  } catch (error) {
    die(error.message);
  }
}
