import { readFileSync } from "node:fs";
import type { MimeBundle } from "./mime-bundle";

let cached: { html: string; version: string } | null = null;

/** Version of the installed `plotly.js-dist-min`. */
export function plotlyVersion(): string {
  return loader().version;
}

/**
 * The `text/html` that makes plotly.js available as `window.Plotly` in the page, offline: the whole
 * installed `plotly.js-dist-min` bundle inlined in one `<script>` (≈ 4.8 MB), evaluated with
 * `module`/`exports`/`define` hidden so it always lands on `window` (with or without require.js).
 * It is skipped by the page when the same version is already loaded. This is what Plotly's own
 * offline notebook renderer (`init_notebook_mode(connected=False)`) does; {@link plotlyInit} emits it
 * at most once per kernel session. The file is read once and cached. O(size of plotly.js).
 */
export function plotlyLoaderHtml(): string {
  return loader().html;
}

/** The loader as a MIME bundle (`text/html` + `text/plain`). */
export function plotlyLoaderBundle(): MimeBundle {
  return { "text/html": plotlyLoaderHtml(), "text/plain": `plotly.js ${plotlyVersion()} loaded for this notebook (offline)` };
}

function loader(): { html: string; version: string } {
  if (cached) return cached;
  const dir = require.resolve("plotly.js-dist-min/package.json").replace(/package\.json$/, "");
  const version = String((JSON.parse(readFileSync(`${dir}package.json`, "utf8")) as { version?: unknown }).version ?? "unknown");
  const source = readFileSync(`${dir}plotly.min.js`, "utf8").replace(/<\/script/gi, "<\\/script");
  const html =
    `<script type="text/javascript">\n` +
    `window.PlotlyConfig = { MathJaxConfig: "local" };\n` +
    `if (!window.Plotly || window.Plotly.version !== ${JSON.stringify(version)}) {\n` +
    `(function (module, exports, define) {\n${source}\n}).call(window, undefined, undefined, undefined);\n` +
    `}\n` +
    `</script>`;
  cached = { html, version };
  return cached;
}
