import { describe, expect, it } from "vitest";
import { escapeHtml, figureBundle, jsonForScript, PLOTLY_MIME, spreadFigure } from "../../src/charts";
import { plotlyLoaderHtml, plotlyVersion } from "../../src/charts/plotly-loader";

const T0 = Date.UTC(2026, 10, 22);

describe("figureBundle", () => {
  const fig = spreadFigure([T0, T0 + 1000], [1, 2], { title: "a </script><b>x</b>" });
  const bundle = figureBundle(fig, { divId: "chart-1" });

  it("figureBundle(fig) carries the Plotly JSON, HTML and plain text", () => {
    expect(Object.keys(bundle).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"].sort());
    expect(bundle[PLOTLY_MIME]).toBe(fig);
    expect(bundle["text/plain"]).toBe('Plotly figure "a </script><b>x</b>": 1 traces, 2 points');
  });

  it("figureBundle(fig) HTML embeds the figure script-safely (no early </script>) and round-trips", () => {
    const html = bundle["text/html"] as string;
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    const json = /var fig = (.*);\n/.exec(html)?.[1];
    expect(json).toBeDefined();
    expect(JSON.parse(json as string)).toEqual(JSON.parse(JSON.stringify(fig)));
    expect(html).toContain('id="chart-1"');
    expect(html).toContain("window.Plotly.newPlot");
  });

  it("figureBundle gives each render a new div id by default", () => {
    const a = figureBundle(fig)["text/html"] as string;
    const b = figureBundle(fig)["text/html"] as string;
    expect(/id="([^"]+)"/.exec(a)?.[1]).not.toBe(/id="([^"]+)"/.exec(b)?.[1]);
  });
});

describe("escaping", () => {
  it("escapeHtml escapes & < > \" '", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
  it("jsonForScript escapes < > & U+2028 U+2029 and stays valid JSON", () => {
    const value = { s: "</script>&\u2028\u2029" };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe("plotlyLoaderHtml", () => {
  it("plotlyLoaderHtml() inlines the installed plotly.js once, guarded by version, with no early </script>", () => {
    const html = plotlyLoaderHtml();
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html.match(/<\/script>/gi)?.length).toBe(1);
    expect(html).toContain(`window.Plotly.version !== ${JSON.stringify(plotlyVersion())}`);
    expect(plotlyVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
