import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { MimeBundle } from "./mime-bundle";

let cached: { source: string; version: string } | null = null;

/** Version of the installed `plotly.js-dist-min`. */
export function plotlyVersion(): string {
  return loader().version;
}

/**
 * The installed `plotly.js-dist-min` bundle as a classic script that always defines `window.Plotly`:
 * wrapped in a function that hides `module`, `exports` and `define`, so the bundle's UMD header never
 * registers it as a CommonJS or anonymous require.js module (classic Notebook loads require.js), and
 * skipped when the same version is already in the page. ≈ 4.8 MB, read once and cached. O(size).
 * @example plotlyScriptSource().startsWith("window.PlotlyConfig") // true
 */
export function plotlyScriptSource(): string {
  return loader().source;
}

/**
 * File name of {@link plotlyScriptSource} as pairlab writes it next to its kernelspec:
 * `plotly-<version>.js` (a new plotly.js version gets a new name, so browsers never use a stale cache).
 * @example plotlyScriptName() // "plotly-3.1.0.js"
 */
export function plotlyScriptName(): string {
  return `plotly-${plotlyVersion()}.js`;
}

/**
 * The URL, relative to the Jupyter server's base URL, where the page can load plotly.js:
 * `kernelspecs/<kernel>/plotly-<version>.js`. Jupyter Server (JupyterLab) and Notebook 6 both serve
 * any file of a kernelspec's folder at `<base>/kernelspecs/<name>/<file>` (authenticated, same origin),
 * and pairlab's kernelspec folder holds the file (written by `scripts/kernel.mjs` at registration and
 * refreshed by the kernel itself, see {@link ensurePlotlyScript}). The kernel name is read from the
 * `PAIRLAB_KERNEL_NAME` environment variable the kernelspec sets, default `"pairlab"`. O(1).
 * @example plotlyScriptUrl("pairlab") // "kernelspecs/pairlab/plotly-3.1.0.js"
 */
export function plotlyScriptUrl(kernelName: string = process.env.PAIRLAB_KERNEL_NAME || "pairlab"): string {
  return `kernelspecs/${encodeURIComponent(kernelName)}/${plotlyScriptName()}`;
}

/**
 * Writes {@link plotlyScriptSource} as `folder/plotly-<version>.js` unless a file of the same size is
 * already there. Atomic: a temporary file in the same folder, flushed, then renamed into place, so a
 * page never loads half a file. O(size of plotly.js).
 *
 * @returns the file's path.
 * @throws Error naming the path when the folder cannot be written (missing, read-only, full disk).
 * @example writePlotlyScript("/home/me/.local/share/jupyter/kernels/pairlab") // ".../plotly-3.1.0.js"
 */
export function writePlotlyScript(folder: string): string {
  const target = join(folder, plotlyScriptName());
  const data = Buffer.from(plotlyScriptSource(), "utf8");
  try {
    if (statSync(target).size === data.length) return target;
  } catch {
    // not there yet
  }
  const temp = join(folder, `.${plotlyScriptName()}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, "w");
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw new Error(`Cannot write plotly.js for the notebook page to '${target}': ${(error as Error).message}`);
  }
  return target;
}

/**
 * Makes sure the kernel's own kernelspec folder (`PAIRLAB_KERNEL_DIR`, set by pairlab's kernelspec)
 * holds the plotly.js file the charts' HTML loads ({@link plotlyScriptUrl}). Does nothing outside
 * pairlab's kernel. Never throws: the kernelspec registration already wrote the file, this only
 * repairs a deleted or outdated one.
 * @returns the file's path, or `null` when there is no kernelspec folder or it is not writable.
 */
export function ensurePlotlyScript(folder: string | undefined = process.env.PAIRLAB_KERNEL_DIR): string | null {
  if (!folder) return null;
  try {
    return writePlotlyScript(folder);
  } catch {
    return null;
  }
}

/**
 * The `text/html` that puts plotly.js into the page inline, offline: {@link plotlyScriptSource} in one
 * `<script>` (≈ 4.8 MB, `</script` escaped). This is what Plotly's own offline notebook renderer
 * (`init_notebook_mode(connected=False)`) does; {@link plotlyInit} emits it once per kernel session so
 * that a saved or nbconvert-exported notebook renders without a server. Live pages do not depend on
 * it: each chart loads plotly.js by URL when the page lacks it (see `figureBundle`). O(size).
 */
export function plotlyLoaderHtml(): string {
  return `<script type="text/javascript">\n${plotlyScriptSource().replace(/<\/script/gi, "<\\/script")}\n</script>`;
}

/** The loader as a MIME bundle (`text/html` + `text/plain`). */
export function plotlyLoaderBundle(): MimeBundle {
  return { "text/html": plotlyLoaderHtml(), "text/plain": `plotly.js ${plotlyVersion()} loaded for this notebook (offline)` };
}

function loader(): { source: string; version: string } {
  if (cached) return cached;
  const dir = require.resolve("plotly.js-dist-min/package.json").replace(/package\.json$/, "");
  const version = String((JSON.parse(readFileSync(`${dir}package.json`, "utf8")) as { version?: unknown }).version ?? "unknown");
  const bundle = readFileSync(`${dir}plotly.min.js`, "utf8");
  const source =
    `window.PlotlyConfig = { MathJaxConfig: "local" };\n` +
    `if (!window.Plotly || window.Plotly.version !== ${JSON.stringify(version)}) {\n` +
    `(function (module, exports, define) {\n${bundle}\n}).call(window, undefined, undefined, undefined);\n` +
    `}\n`;
  cached = { source, version };
  return cached;
}
