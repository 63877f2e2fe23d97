import { randomBytes } from "node:crypto";
import type { PlotlyFigure } from "./figure";
import { plotlyScriptUrl } from "./plotly-loader";

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

/** Options of {@link figureBundle}. */
export interface FigureBundleOptions {
  /** Element id of the chart's `<div>` (default: random, so re-renders never collide). */
  divId?: string;
  /**
   * Where the page loads plotly.js from when it lacks it: a URL relative to the Jupyter server's base URL
   * (default {@link plotlyScriptUrl}(), pairlab's kernelspec folder), or `null` to rely on the page alone.
   */
  plotlyUrl?: string | null;
}

/**
 * Builds the full MIME bundle of a Plotly figure, the way Plotly's own notebook renderer does:
 *
 * - `application/vnd.plotly.v1+json`: the figure itself (JupyterLab with the Plotly extension, VS Code);
 * - `text/html`: a `<div>` plus a script that draws the figure with `window.Plotly` (classic Notebook,
 *   JupyterLab without the extension, nbconvert HTML). The script never assumes the page already has
 *   plotly.js (a reloaded page, a second tab, a reopened notebook do not): when `window.Plotly` is missing
 *   it loads it once per page from the Jupyter server, `<base URL>/<plotlyUrl>`, the base URL read from
 *   the page itself (JupyterLab's `#jupyter-config-data`, classic Notebook's `body[data-base-url]`); every
 *   chart of the page shares that one load. Without a server (nbconvert HTML from a file) it uses the
 *   inline copy `plotlyInit` embedded once per session, and otherwise says so in the chart's place. Until
 *   the script draws, the chart's place holds a short note, which is all a page that does not run the
 *   script shows (JupyterLab without the extension, for outputs restored from a saved notebook);
 * - `text/plain`: a one-line summary (title, traces, points).
 *
 * plotly.js itself is never in the bundle. The figure JSON is script-safe ({@link jsonForScript}). The
 * bundle holds the figure twice (JSON + HTML), so its size is about twice the figure JSON plus ≈ 2 kB;
 * chart builders keep that under 1 MB.
 *
 * @param figure - a Plotly figure.
 * @param options - see {@link FigureBundleOptions}.
 * @returns the MIME bundle. O(size of the figure).
 * @example figureBundle(priceFigure(series))["text/plain"] // 'Plotly figure "Prices and volume": 4 traces, 20000 points'
 */
export function figureBundle(figure: PlotlyFigure, options: FigureBundleOptions = {}): MimeBundle {
  const id = options.divId ?? `pairlab-${randomBytes(6).toString("hex")}`;
  const url = options.plotlyUrl === undefined ? plotlyScriptUrl() : options.plotlyUrl;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 400;
  const html =
    `<div class="pairlab-chart"><div id="${escapeHtml(id)}" class="plotly-graph-div" style="height:${height}px; width:100%;">` +
    `<span class="pairlab-chart-note" style="color:#888; font:12px sans-serif;">${escapeHtml(NOT_DRAWN_NOTE)}</span></div></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var fig = ${jsonForScript(figure)};\n` +
    `  var id = ${jsonForScript(id)}, url = ${jsonForScript(url)}, tries = 0;\n` +
    CHART_SCRIPT +
    `})();</script>`;
  const title = figureTitle(figure);
  return {
    [PLOTLY_MIME]: figure,
    "text/html": html,
    "text/plain": `Plotly figure${title ? ` "${title}"` : ""}: ${figure.data.length} traces, ${countPoints(figure)} points`,
  };
}

// Shown in the chart's place until its script draws it: a page that never runs the script (JupyterLab
// without the Plotly extension shows restored, untrusted outputs without running their scripts) says why.
const NOT_DRAWN_NOTE =
  "Chart not drawn: its script has not run in this page. Rerun the cell (JupyterLab runs the scripts of outputs produced in the current session only).";

// The page side of figureBundle (ES5, runs in the notebook page). `window.__pairlabPlotly` is the one
// shared load of plotly.js per page: { error: string|null, waiting: [callbacks] }. A failed
// load is forgotten after reporting, so the next chart retries.
const CHART_SCRIPT = `  var NO_SERVER = "no Jupyter server to load it from";
  function baseUrl() {
    if (!/^https?:$/.test(location.protocol)) return null;
    var cfg = document.getElementById("jupyter-config-data");
    if (cfg) { try { var b = JSON.parse(cfg.textContent).baseUrl; if (typeof b === "string") return b; } catch (e) {} }
    var attr = document.body && document.body.getAttribute("data-base-url");
    return typeof attr === "string" && attr ? attr : null;
  }
  function withPlotly(done) {
    var w = window;
    if (w.Plotly) return done(null);
    var base = url === null ? null : baseUrl();
    if (base === null) return done(NO_SERVER);
    var st = w.__pairlabPlotly;
    if (!st) {
      st = w.__pairlabPlotly = { error: null, waiting: [] };
      var s = document.createElement("script");
      s.type = "text/javascript";
      s.src = (base.charAt(base.length - 1) === "/" ? base : base + "/") + url;
      var finish = function (error) {
        if (!error && !w.Plotly) error = "loaded " + s.src + " but it did not define window.Plotly";
        if (error) w.__pairlabPlotly = undefined;
        var waiting = st.waiting; st.waiting = []; st.error = error;
        for (var i = 0; i < waiting.length; i++) waiting[i](error);
      };
      s.onload = function () { finish(null); };
      s.onerror = function () { finish("could not load " + s.src); };
      document.head.appendChild(s);
    }
    st.waiting.push(done);
  }
  function draw() {
    var el = document.getElementById(id);
    if (!el) { if (tries++ < 100) setTimeout(draw, 100); return; }
    withPlotly(function (error) {
      if (!error) { el.textContent = ""; window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }
      if (error === NO_SERVER && tries++ < 100) { setTimeout(draw, 100); return; }
      el.textContent = "pairlab could not draw this chart: plotly.js is not in this page (" + error + "). In Jupyter: is the notebook on pairlab's kernel (npm start registers it)? In an exported copy: the output that embeds plotly.js once per kernel session is missing; rerun the notebook from the top.";
    });
  }
  draw();
`;

/** Bundle of an HTML fragment with its plain-text alternative. */
export function htmlBundle(html: string, text: string): MimeBundle {
  return { "text/html": html, "text/plain": text };
}

/** Size of a bundle in bytes as it travels to Jupyter (UTF-8 JSON of the whole `data` dict). O(size). */
export function bundleBytes(bundle: MimeBundle): number {
  return Buffer.byteLength(JSON.stringify(bundle), "utf8");
}
