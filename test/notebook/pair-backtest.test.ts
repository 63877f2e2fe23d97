import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backtestPair, openPair, PLOTLY_MIME, resetPlotlySession, sweepBacktest, walkForward, type BacktestRun } from "../../src/internal";
import { expectAlertsOnBacktestDecisions, fakeIngestion, recorder } from "./fake-ingestion";

const scratch = mkdtempSync(join(tmpdir(), "pairlab-pairbt-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Seeded fake ingestion (seed 7): y ≈ 2·x + 100 + AR(1), one trade per symbol per second.
const params = { hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3 } as const;
const expectedOptions = { hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, stop: 3, notional: 10_000 };

async function pairOf(seconds: number, extra: object = {}) {
  const r = recorder();
  const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...params, ...extra, use: fakeIngestion(seconds), waitMs: 0, writer: r.writer });
  return { pair, r };
}

describe("pair.backtest / pair.sweep / pair.walkForward", () => {
  it("pair.backtest() equals backtestPair on the pair's own aligned bars with the pair's parameters (tolerance 0)", async () => {
    const { pair } = await pairOf(2400);
    const run = pair.backtest() as BacktestRun;
    const an = pair.analytics();
    const expected = backtestPair(an.a, an.b, expectedOptions) as BacktestRun;
    expect(run.status).toBe("ok");
    expect(run.trades.length).toBeGreaterThan(3); // a test with trades, not an empty equality
    expect(run).toEqual(expected);
    expect(run.time).toEqual(an.time);
  });

  it("pair.backtest({ entry: 1.5, feeBps: 0 }) overrides only the given options; pair.set changes the defaults", async () => {
    const { pair } = await pairOf(1200);
    const an = pair.analytics();
    expect(pair.backtest({ entry: 1.5, feeBps: 0 })).toEqual(backtestPair(an.a, an.b, { ...expectedOptions, entry: 1.5, feeBps: 0 }));
    pair.set({ zWindow: 40 });
    expect(pair.backtest()).toEqual(backtestPair(an.a, an.b, { ...expectedOptions, zWindow: 40 }));
  });

  it("pair.backtest({ stopZ: 3 }) throws RangeError naming the unknown key; { notional: -1 } names notional", async () => {
    const { pair } = await pairOf(300);
    expect(() => pair.backtest({ stopZ: 3 } as never)).toThrow(/'options' must be keys among hedgeWindow, .*stopZ/);
    expect(() => pair.backtest({ notional: -1 })).toThrow(/'notional' must be a finite number > 0/);
    expect(() => pair.backtest(null as never)).toThrow(TypeError);
  });

  it("pair.backtest() with fewer than hedgeWindow + zWindow bars is insufficient-data; pair.show warns with the standard message", async () => {
    const { pair, r } = await pairOf(60);
    const run = pair.backtest();
    expect(run.status).toBe("insufficient-data");
    if (run.status === "insufficient-data") expect(run.needed).toBe(90);
    for (const view of ["backtest", "equity", "trades", "sweep"] as const) {
      r.outputs.length = 0;
      pair.show(view);
      const text = String(r.outputs[0].data["text/plain"]);
      expect(text, view).toMatch(/^WARNING: Not enough data for the (backtest|sweep) on 1s bars .*: needs 90 bars, has \d+\. \d+ more bars take about/);
    }
    r.outputs.length = 0;
    pair.show("walkforward");
    expect(String(r.outputs[0].data["text/plain"])).toMatch(/^WARNING: No combination could run/);
  });

  it("pair.sweep(grid) equals sweepBacktest on the pair's bars, and each row equals pair.backtest with its parameters", async () => {
    const { pair } = await pairOf(1800);
    const grid = { entry: [1.5, 2], exit: [0, 0.5], zWindow: [30, 45] };
    const sweep = pair.sweep(grid, { slippageBps: 1 });
    const an = pair.analytics();
    expect(sweep).toEqual(sweepBacktest(an.a, an.b, { ...expectedOptions, slippageBps: 1 }, grid));
    expect(sweep.rows).toHaveLength(8);
    for (const row of sweep.rows) {
      const { hedgeWindow, zWindow, entry, exit, ...metrics } = row;
      expect((pair.backtest({ hedgeWindow, zWindow, entry, exit, slippageBps: 1 }) as BacktestRun).metrics).toEqual(metrics);
    }
  });

  it("pair.walkForward(grid, { split: 0.6 }) equals walkForward on the pair's bars with the pair's options", async () => {
    const { pair } = await pairOf(2400);
    const grid = { entry: [1.5, 2, 2.5], exit: [0, 0.5] };
    const wf = pair.walkForward(grid, { split: 0.6, feeBps: 2 });
    const an = pair.analytics();
    expect(wf).toEqual(walkForward(an.a, an.b, { ...expectedOptions, feeBps: 2 }, grid, { split: 0.6 }));
    expect(wf.status).toBe("ok");
    expect(() => pair.walkForward(grid, { split: 1 })).toThrow(/'split' must be a number in \(0, 1\)/);
  });
});

describe("pair.show backtest views and pair.exportCsv({ kind: 'trades' })", () => {
  it("pair.show('backtest' | 'equity' | 'trades' | 'sweep' | 'walkforward') shows tables and charts labelled SIMULATED", async () => {
    resetPlotlySession();
    const { pair, r } = await pairOf(2400);
    const out = (view: Parameters<typeof pair.show>[0], options = {}) => {
      r.outputs.length = 0;
      pair.show(view, options);
      // Charts may be preceded by the plotly.js loader output: the last output is the view.
      return r.outputs[r.outputs.length - 1].data;
    };
    const run = pair.backtest() as BacktestRun;
    expect(String(out("backtest")["text/plain"])).toContain("Backtest of BTCUSDT/ETHUSDT (hedgeWindow 60, zWindow 30, entry ±2, exit ±0.5, stop ±3), notional 10000 — SIMULATED");
    expect(String(out("trades")["text/plain"])).toContain(`Trades of BTCUSDT/ETHUSDT (hedgeWindow 60, zWindow 30, entry ±2, exit ±0.5, stop ±3): ${run.trades.length}`);
    expect(String(out("walkforward")["text/plain"])).toMatch(/Walk-forward of BTCUSDT\/ETHUSDT: best by sharpe of \d+ combinations .* Deflated Sharpe Ratio (0\.\d{3}|1\.000|n\/a.*) — SIMULATED/);
    const equity = out("equity")[PLOTLY_MIME] as unknown as { layout: { title: { text: string } }; data: { name: string }[] };
    expect(equity.layout.title.text).toContain("Equity and drawdown — BTCUSDT/ETHUSDT");
    expect(equity.layout.title.text).toContain("SIMULATED");
    const heat = out("sweep", { metric: "totalReturn", axes: ["entry", "exit"] })[PLOTLY_MIME] as unknown as { data: { type: string }[]; layout: { title: { text: string } } };
    expect(heat.data[0].type).toBe("heatmap");
    expect(heat.layout.title.text).toContain("totalReturn by entry × exit (12 combinations)"); // 16 less entry 3 (the pair's stop 3 must exceed entry)
    const z = out("zscore", { markers: "trades" })[PLOTLY_MIME] as unknown as { data: { name: string; x: number[] }[]; layout: { title: { text: string } } };
    expect(z.layout.title.text).toContain("Z-score with the backtest's decisions");
    expect(z.data.find((d) => d.name === "alert: enter")!.x).toEqual(run.trades.map((t) => t.entrySignalTime));
    expect(() => pair.show("zscore", { markers: "fills" as never })).toThrow(/'markers' must be one of "alerts", "trades"/);
    expect(() => pair.show("walkforward", { metric: "winRate" })).toThrow(/'metric' must be one of "sharpe", "totalReturn"/);
  });

  it("pair.exportCsv({ kind: 'trades' }) writes pair.backtest()'s trades with the simulated column and SIMULATED in the name", async () => {
    const { pair } = await pairOf(2400);
    const run = pair.backtest({ slippageBps: 1 }) as BacktestRun;
    const file = pair.exportCsv({ kind: "trades", dir: scratch, backtest: { slippageBps: 1 } });
    expect(file.path).toMatch(/pairlab_trades_BTCUSDT-ETHUSDT_1s_.*_SIMULATED\.csv$/);
    const lines = readFileSync(file.path, "utf8").trim().split("\r\n"); // RFC 4180 line ends
    const header = lines[0].split(",");
    expect(header).toContain("simulated");
    expect(lines).toHaveLength(run.trades.length + 1);
    const col = header.indexOf("net_pnl");
    lines.slice(1).forEach((line, k) => {
      const cells = line.split(",");
      expect(cells[header.indexOf("simulated")]).toBe("true");
      expect(Number(cells[col])).toBeCloseTo(run.trades[k].netPnl, 9);
    });
    const short = await pairOf(60);
    expect(() => short.pair.exportCsv({ kind: "trades", dir: scratch })).toThrow(/Insufficient data for pair\.exportCsv.*needs at least 90 observations/);
  });
});

describe("the link to live alerts", () => {
  it("pair.analytics().alerts enter and exit on pair.backtest()'s decision bars (next-bar re-entry, same stop)", async () => {
    const { pair } = await pairOf(3600, { stop: 2.6 });
    const an = pair.analytics();
    const run = pair.backtest() as BacktestRun;
    expectAlertsOnBacktestDecisions(an, run);
  });

  it("pairAnalytics alerts never enter on the bar of an exit (the backtest's rule, not the old same-bar re-entry)", async () => {
    const { pair } = await pairOf(3600, { stop: 2.6 });
    const alerts = pair.analytics().alerts;
    for (let k = 1; k < alerts.length; k++) {
      if (alerts[k].kind === "enter") expect(alerts[k].time).toBeGreaterThan(alerts[k - 1].time);
    }
  });
});
