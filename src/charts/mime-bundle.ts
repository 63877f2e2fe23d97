import { randomBytes } from "node:crypto";
import type { PlotlyFigure } from "./figure";

/** MIME type JupyterLab's Plotly extension and VS Code render natively. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Jupyter MIME bundle: MIME type → payload (strings, or JSON for `+json` types). */
export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  [PLOTLY_MIME]?: PlotlyFigure;
  [mime: string]: string | PlotlyFigure | undefined;
}

/**
 * Escapes text for HTML element content and attribute values (`& < > " '`). O(n).
 * @example escapeHtml('<b a="1">') // "&lt;b a=&quot;1&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/**
 * Serialises a value as JSON that is safe inside an HTML `<script>` element: `<`, `>`, `&`, U+2028 and
 * U+2029 are written as `\uXXXX` escapes, so no `</script>` can close the element early. O(n).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Total points over all traces of a figure (x arrays, or y when there is no x). O(traces). */
export function countPoints(figure: PlotlyFigure): number {
  let points = 0;
  for (const trace of figure.data) {
    const xs = trace.x ?? trace.y;
    if (Array.isArray(xs)) points += xs.length;
  }
  return points;
}

/** The text of a figure's title, or "" . */
export function figureTitle(figure: PlotlyFigure): string {
  const title = figure.layout.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && !Array.isArray(title) && typeof title.text === "string") return title.text;
  return "";
}

/**
 * Builds the full MIME bundle of a Plotly figure, the way Plotly's own notebook renderer does:
 *
 * - `application/vnd.plotly.v1+json`: the figure itself (JupyterLab with the Plotly extension, VS Code);
 * - `text/html`: a `<div>` plus a script calling `Plotly.newPlot` with the figure (classic Notebook,
 *   nbconvert HTML, JupyterLab without the extension). It uses the page's `window.Plotly`, which
 *   {@link plotlyLoaderHtml} injects once per session; if plotly.js is not there yet it retries for
 *   10 s, then says how to load it instead of failing silently;
 * - `text/plain`: a one-line summary (title, traces, points).
 *
 * The figure JSON is script-safe ({@link jsonForScript}). The bundle holds the figure twice (JSON + HTML),
 * so its size is about twice the figure JSON; chart builders keep that under 1 MB.
 *
 * @param figure - a Plotly figure.
 * @param options - `divId`: element id (default: random, so re-renders never collide).
 * @returns the MIME bundle. O(size of the figure).
 * @example figureBundle(priceFigure(series))["text/plain"] // 'Plotly figure "Prices and volume": 4 traces, 20000 points'
 */
export function figureBundle(figure: PlotlyFigure, options: { divId?: string } = {}): MimeBundle {
  const id = options.divId ?? `pairlab-${randomBytes(6).toString("hex")}`;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 400;
  const html =
    `<div class="pairlab-chart"><div id="${escapeHtml(id)}" class="plotly-graph-div" style="height:${height}px; width:100%;"></div></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var fig = ${jsonForScript(figure)};\n` +
    `  var el = document.getElementById(${jsonForScript(id)});\n` +
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    if (!el) return;\n` +
    `    if (window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }\n` +
    `    if (tries++ < 100) { setTimeout(draw, 100); return; }\n` +
    `    el.textContent = "plotly.js is not loaded in this page: run plotlyInit({ force: true }) from pairlab, then rerun this cell.";\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`;
  const title = figureTitle(figure);
  return {
    [PLOTLY_MIME]: figure,
    "text/html": html,
    "text/plain": `Plotly figure${title ? ` "${title}"` : ""}: ${figure.data.length} traces, ${countPoints(figure)} points`,
  };
}

/** Bundle of an HTML fragment with its plain-text alternative. */
export function htmlBundle(html: string, text: string): MimeBundle {
  return { "text/html": html, "text/plain": text };
}

/** Size of a bundle in bytes as it travels to Jupyter (UTF-8 JSON of the whole `data` dict). O(size). */
export function bundleBytes(bundle: MimeBundle): number {
  return Buffer.byteLength(JSON.stringify(bundle), "utf8");
}
