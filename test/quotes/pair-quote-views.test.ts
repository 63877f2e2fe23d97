import { afterAll, describe, expect, it } from "vitest";
import { quoteBarsFigure } from "../../src/charts";
import { openPair, quoteBars, stopAllIngestion } from "../../src/internal";
import { openDemoQuotePair, recorder } from "../notebook/fake-ingestion";

afterAll(async () => {
  await stopAllIngestion();
});

/** The Plotly figure JSON inside a displayed output. */
function figureOf(output: unknown): { data: { name: string; x: unknown[]; y: number[] }[]; layout: { title: { text: string } } } {
  const text = JSON.stringify(output);
  const m = /"application\/vnd\.plotly\.v1\+json":(\{.*?\})(?:,"text\/|\}$)/.exec(text);
  if (m === null) throw new Error(`no plotly figure in ${text.slice(0, 200)}`);
  return JSON.parse(m[1]);
}

describe("pair.show quote views (demo exchange, book tickers on)", () => {
  it('pair.show("quotes") draws both legs\' mid and microprice bars of quoteBars on the pair grid; the backtest views accept fills: "quotes"', async () => {
    const out = recorder();
    const pair = await openDemoQuotePair(5, out.writer);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await pair.ingestion.stop(); // freeze the stores: the figure and the reference below read the same quotes
      pair.show("quotes");
      const fig = figureOf(out.outputs.at(-1));
      expect(fig.layout.title.text).toMatch(/Mid-price and microprice bars — ETHUSDT \/ BTCUSDT 1s/);
      expect(fig.layout.title.text).toMatch(/SIMULATED/);
      expect(fig.data.map((t) => t.name)).toEqual(["ETHUSDT mid", "ETHUSDT microprice", "BTCUSDT mid", "BTCUSDT microprice", "ETHUSDT quoted spread (bps)", "BTCUSDT quoted spread (bps)"]);
      // The last plotted mid equals quoteBars of the same quotes on the same grid (exact: same arithmetic).
      const an = pair.analytics();
      const q = pair.ingestion.quotes!.quotes("ethusdt");
      const bars = quoteBars(q, "1s", { from: an.time[0], to: an.time[an.time.length - 1] });
      // Compare the plotted (LTTB-thinned, rounded for display) points with quoteBars by bar time.
      const trace = fig.data[0];
      let compared = 0;
      for (let j = 0; j < trace.x.length; j++) {
        const t = typeof trace.x[j] === "number" ? (trace.x[j] as number) : Date.parse(String(trace.x[j]).replace(" ", "T") + (String(trace.x[j]).endsWith("Z") ? "" : "Z"));
        const k = Math.round((t - bars.time[0]) / 1000);
        if (k < 0 || k >= bars.time.length || trace.y[j] === null) continue;
        // plotted values are rounded to PLOT_DIGITS significant digits: relative tolerance 1e-6
        expect(Math.abs(trace.y[j] - bars.midClose[k]) / bars.midClose[k]).toBeLessThan(1e-6);
        compared++;
      }
      expect(compared).toBeGreaterThan(10);

      for (const view of ["backtest", "equity", "trades"] as const) {
        pair.show(view, { backtest: { fills: "quotes" } });
        const text = JSON.stringify(out.outputs.at(-1));
        expect(text).toMatch(/fills at the touch/);
      }
      pair.show("trades", { backtest: { fills: "quotes" } });
      expect(JSON.stringify(out.outputs.at(-1))).toMatch(/buys at the ask, sells at the bid/);
      pair.show("zscore", { markers: "trades", backtest: { fills: "quotes" } });
      expect(JSON.stringify(out.outputs.at(-1))).toMatch(/fills at the touch/);
      expect(() => pair.show("sweep", { backtest: { fills: "quotes" } })).toThrow(/backtest\.fills.*view "sweep".*"backtest", "equity", "trades" and "zscore"/);
      expect(() => pair.show("nosuch" as never)).toThrow(/'view'.*"cost".*"quotes"/s);
    } finally {
      await pair.stop();
    }
  }, 60_000);

  it('pair.show("quotes") and fills: "quotes" without book tickers throw RangeError naming quotes', async () => {
    const pair = await openPair(["ETHUSDT", "BTCUSDT"], { source: "demo", hedgeWindow: 20, zWindow: 10, ingestion: { demo: { historyMs: 30_000 }, quiet: true, shared: false }, writer: recorder().writer });
    try {
      expect(() => pair.show("quotes")).toThrow(/'quotes'.*quotes: true/);
      expect(() => pair.show("equity", { backtest: { fills: "quotes" } })).toThrow(/'quotes'.*quotes: true/);
    } finally {
      await pair.stop();
    }
  }, 30_000);
});

describe("quoteBarsFigure", () => {
  const leg = (symbol: string) => ({ symbol, time: [0, 1000, 2000], midClose: [1, 2, 3], microClose: [1.1, 2.1, 3.1], spreadBps: [1, 1.5, NaN] });
  it("quoteBarsFigure(legs) draws six traces on three stacked axes, labelled SIMULATED when asked", () => {
    const fig = quoteBarsFigure([leg("ethusdt"), leg("btcusdt")], { simulated: true });
    expect(fig.data.length).toBe(6);
    expect(fig.data.map((t) => t.yaxis)).toEqual(["y", "y", "y2", "y2", "y3", "y3"]);
    expect(JSON.stringify(fig.layout)).toMatch(/SIMULATED/);
  });
  it("quoteBarsFigure with one leg, mismatched lengths or the same symbol twice throws naming the field", () => {
    expect(() => quoteBarsFigure([leg("a")] as never)).toThrow(/'legs'/);
    expect(() => quoteBarsFigure([{ ...leg("a"), midClose: [1] }, leg("b")])).toThrow(/legs\[0\]\.midClose/);
    expect(() => quoteBarsFigure([leg("a"), leg("a")])).toThrow(/legs\[1\]\.symbol/);
  });
});
