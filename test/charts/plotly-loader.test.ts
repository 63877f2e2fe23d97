import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { figureBundle, spreadFigure } from "../../src/charts";
import { ensurePlotlyScript, plotlyScriptName, plotlyScriptSource, plotlyScriptUrl, plotlyVersion, writePlotlyScript } from "../../src/charts/plotly-loader";

const T0 = Date.UTC(2026, 10, 22);
const fig = spreadFigure([T0, T0 + 1000], [1, 2], { title: "spread" });
const scratch = mkdtempSync(join(tmpdir(), "pairlab-plotly-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("plotly script file", () => {
  it("plotlyScriptUrl(name) is the kernelspec resource URL, relative to the server's base URL", () => {
    expect(plotlyScriptName()).toBe(`plotly-${plotlyVersion()}.js`);
    expect(plotlyScriptUrl("pairlab")).toBe(`kernelspecs/pairlab/plotly-${plotlyVersion()}.js`);
    expect(plotlyScriptUrl("a b/c")).toBe(`kernelspecs/a%20b%2Fc/plotly-${plotlyVersion()}.js`);
  });

  it("plotlyScriptSource() defines window.Plotly with module/exports/define hidden", () => {
    const src = plotlyScriptSource();
    expect(src.length).toBeGreaterThan(1_000_000);
    expect(src).toContain("}).call(window, undefined, undefined, undefined);");
    expect(src).toContain("(function (module, exports, define) {\n");
    expect(src).toContain(`window.Plotly.version !== ${JSON.stringify(plotlyVersion())}`);
  });

  it("writePlotlyScript(folder) writes the file once, atomically, with no temp file left", () => {
    const folder = mkdtempSync(join(scratch, "k-"));
    const path = writePlotlyScript(folder);
    expect(path).toBe(join(folder, plotlyScriptName()));
    expect(readFileSync(path, "utf8")).toBe(plotlyScriptSource());
    expect(readdirSync(folder)).toEqual([plotlyScriptName()]);
    expect(writePlotlyScript(folder)).toBe(path);
    expect(readdirSync(folder)).toEqual([plotlyScriptName()]);
  });

  it("writePlotlyScript(folder) replaces a truncated file", () => {
    const folder = mkdtempSync(join(scratch, "k-"));
    writeFileSync(join(folder, plotlyScriptName()), "window.Plot");
    writePlotlyScript(folder);
    expect(readFileSync(join(folder, plotlyScriptName()), "utf8")).toBe(plotlyScriptSource());
  });

  it("writePlotlyScript(missing folder) throws naming the path; ensurePlotlyScript returns null", () => {
    const missing = join(scratch, "no", "such");
    expect(() => writePlotlyScript(missing)).toThrow(new RegExp(`'${missing.replace(/[/\\]/g, ".")}.plotly-`));
    expect(ensurePlotlyScript(missing)).toBeNull();
    expect(ensurePlotlyScript(undefined)).toBeNull();
  });
});

/** A minimal page: enough DOM for the chart script (ids, head, body attribute, config script). */
function fakePage(options: { protocol: string; lab?: string; classicBase?: string; plotly?: boolean }) {
  const appended: { src: string; onload?: () => void; onerror?: () => void }[] = [];
  const plotted: string[] = [];
  const el = { id: "chart-1", textContent: "Chart not drawn" };
  const window: Record<string, unknown> = {};
  const plotly = { version: "x", newPlot: (target: { id: string }) => plotted.push(target.id) };
  if (options.plotly) window.Plotly = plotly;
  const document = {
    getElementById: (id: string) => (id === "chart-1" ? el : id === "jupyter-config-data" && options.lab !== undefined ? { textContent: JSON.stringify({ baseUrl: options.lab }) } : null),
    createElement: () => ({}) as { src: string },
    head: { appendChild: (s: { src: string }) => appended.push(s) },
    body: { getAttribute: (name: string) => (name === "data-base-url" ? (options.classicBase ?? null) : null) },
  };
  const timers: (() => void)[] = [];
  const context = { window, document, location: { protocol: options.protocol }, setTimeout: (f: () => void) => timers.push(f), JSON };
  return {
    run: (html: string) => runInNewContext(/<script type="text\/javascript">([\s\S]*)<\/script>/.exec(html)?.[1] ?? "", context),
    appended,
    plotted,
    el,
    timers,
    providePlotly: () => (window.Plotly = plotly),
    window,
  };
}

describe("figureBundle page script", () => {
  const url = plotlyScriptUrl("pairlab");

  it("figureBundle(fig) in a reloaded JupyterLab page (no window.Plotly) loads plotly.js once from the kernelspec URL, then draws every chart", () => {
    const page = fakePage({ protocol: "http:", lab: "/user/me/" });
    const bundle = figureBundle(fig, { divId: "chart-1", plotlyUrl: url });
    page.run(bundle["text/html"] as string);
    page.run(bundle["text/html"] as string);
    expect(page.appended.map((s) => s.src)).toEqual([`/user/me/${url}`]);
    expect(page.plotted).toEqual([]);
    page.providePlotly();
    page.appended[0].onload?.();
    expect(page.plotted).toEqual(["chart-1", "chart-1"]);
    expect(page.el.textContent).toBe("");
  });

  it("figureBundle(fig) HTML holds a note in the chart's place for pages that never run its script", () => {
    const html = figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string;
    const markup = html.slice(0, html.indexOf("<script"));
    expect(markup).toMatch(/<div id="chart-1"[^>]*><span class="pairlab-chart-note"[^>]*>Chart not drawn: .*Rerun the cell/);
  });

  it("figureBundle(fig) in a classic Notebook page reads body[data-base-url] and adds the missing slash", () => {
    const page = fakePage({ protocol: "https:", classicBase: "/nb" });
    page.run(figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string);
    expect(page.appended.map((s) => s.src)).toEqual([`/nb/${url}`]);
  });

  it("figureBundle(fig) in a page that has plotly.js draws at once and loads nothing", () => {
    const page = fakePage({ protocol: "http:", lab: "/", plotly: true });
    page.run(figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string);
    expect(page.appended).toEqual([]);
    expect(page.plotted).toEqual(["chart-1"]);
  });

  it("figureBundle(fig) when the URL fails says so in the chart's place, and the next chart retries", () => {
    const page = fakePage({ protocol: "http:", lab: "/" });
    const html = figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string;
    page.run(html);
    page.appended[0].onerror?.();
    expect(page.el.textContent).toContain(`could not load /${url}`);
    page.run(html);
    expect(page.appended.length).toBe(2);
  });

  it("figureBundle(fig) in nbconvert HTML (file:, no server) waits for the inline copy, then says it is missing", () => {
    const page = fakePage({ protocol: "file:" });
    page.run(figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string);
    expect(page.appended).toEqual([]);
    for (let i = 0; i < 200 && page.timers.length > 0; i++) page.timers.shift()?.();
    expect(page.el.textContent).toContain("no Jupyter server");
    const later = fakePage({ protocol: "file:" });
    later.run(figureBundle(fig, { divId: "chart-1", plotlyUrl: url })["text/html"] as string);
    later.providePlotly();
    later.timers.shift()?.();
    expect(later.plotted).toEqual(["chart-1"]);
  });

  it("figureBundle(fig) defaults plotlyUrl to the kernelspec URL and keeps plotly.js itself out of the bundle", () => {
    const html = figureBundle(fig)["text/html"] as string;
    expect(html).toContain(JSON.stringify(plotlyScriptUrl()));
    expect(html.length).toBeLessThan(10_000);
  });
});
