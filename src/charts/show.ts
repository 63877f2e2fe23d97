import type { PlotlyFigure } from "./figure";
import { figureBundle, PLOTLY_MIME, type MimeBundle } from "./mime-bundle";
import { displayBundle, findKernelWriter, type DisplayWriter } from "./notebook-display";
import { ensurePlotlyScript, plotlyLoaderBundle } from "./plotly-loader";

const STATE_KEY = Symbol.for("pairlab.charts.session");
interface SessionState {
  plotlyInjected: boolean;
}

/** Per-process (= per kernel session) state, shared even if two copies of pairlab are loaded. */
function session(): SessionState {
  const g = globalThis as { [STATE_KEY]?: SessionState };
  return (g[STATE_KEY] ??= { plotlyInjected: false });
}

/**
 * Once per kernel session: makes sure pairlab's kernelspec folder holds the plotly.js file every chart's
 * HTML loads by URL when its page lacks plotly.js (a reloaded page, a second tab, a reopened notebook:
 * see `figureBundle`), and embeds plotly.js inline in the notebook once (`plotlyLoaderHtml`), so that a
 * saved or nbconvert-exported copy renders without a server. Charts never depend on that inline copy in
 * a live page. Called automatically by {@link show}/{@link showFigure}; `{ force: true }` embeds it again.
 * Outside a kernel it does nothing.
 *
 * @returns `true` when the inline copy was sent now.
 * @example plotlyInit() // true the first time in a session, false afterwards
 */
export function plotlyInit(options: { force?: boolean; writer?: DisplayWriter | null } = {}): boolean {
  const state = session();
  if (state.plotlyInjected && !options.force) return false;
  const writer = options.writer === undefined ? findKernelWriter() : options.writer;
  if (!writer) return false;
  ensurePlotlyScript();
  displayBundle(plotlyLoaderBundle(), { writer });
  state.plotlyInjected = true;
  return true;
}

/** Forgets that plotly.js was injected (tests; a new page). */
export function resetPlotlySession(): void {
  session().plotlyInjected = false;
}

/**
 * Shows a Plotly figure in the notebook as a full MIME bundle (plotly JSON + HTML + text), injecting
 * plotly.js first if this session has not done it yet.
 *
 * Returns nothing, so a notebook cell ending with it prints no extra value (tslab echoes the last
 * expression); use `figureBundle` + `bundleBytes` to inspect the size.
 * @example showFigure(zScoreFigure(t, z, { threshold: 2 }))
 */
export function showFigure(figure: PlotlyFigure, options: { writer?: DisplayWriter | null } = {}): void {
  show(figureBundle(figure), options);
}

/**
 * Shows any MIME bundle (a chart bundle, a warning, a table), injecting plotly.js first when the bundle
 * carries a Plotly figure and this session has not done it yet. Returns nothing (see {@link showFigure}).
 * @example show(pairChartBundle(an, "zscore"))
 */
export function show(bundle: MimeBundle, options: { writer?: DisplayWriter | null } = {}): void {
  if (bundle[PLOTLY_MIME] !== undefined) plotlyInit({ writer: options.writer });
  displayBundle(bundle, { writer: options.writer });
}

/** Shows an HTML fragment with a plain-text alternative (status panels, tables, warnings). */
export function showHtml(html: string, text: string, options: { writer?: DisplayWriter | null } = {}): void {
  displayBundle({ "text/html": html, "text/plain": text }, { writer: options.writer });
}
