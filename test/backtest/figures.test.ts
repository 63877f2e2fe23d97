// Backtest presentation: equity/drawdown figure, sweep heatmap, trade markers, summary table, trade frame.
import { describe, expect, it } from "vitest";
import { backtestPair, backtestSummary, sweepBacktest, type BacktestRun } from "../../src/backtest";
import { equityFigure, sweepHeatmapFigure, tradeMarkers } from "../../src/charts";
import { tradeFrame, TRADE_COLUMNS } from "../../src/export";
import { mulberry32 } from "../../src/ingestion/trade-simulator";
import { ok } from "./helpers";

function run(): { y: Parameters<typeof backtestPair>[0]; x: Parameters<typeof backtestPair>[1]; r: BacktestRun } {
  const u = mulberry32(3);
  const g = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const n = 500;
  const time = new Float64Array(n), cy = new Float64Array(n), cx = new Float64Array(n);
  let px = 50, noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + i * 60_000;
    px += 0.3 * g();
    cx[i] = px;
    noise = 0.9 * noise + 0.8 * g();
    cy[i] = 300 + 3 * (px - 50) + noise;
  }
  const y = { time, open: cy, close: cy, interval: 60_000 }, x = { time, open: cx, close: cx, interval: 60_000 };
  return { y, x, r: ok(backtestPair(y, x, { hedgeWindow: 40, zWindow: 20, entry: 1.5, exit: 0.3, notional: 1000 })) };
}

describe("backtest figures and tables", () => {
  const { y, x, r } = run();

  it("equityFigure(run, { simulated }) draws equity and drawdown % (≤ 0, min = −100·maxDrawdown) and labels SIMULATED", () => {
    const fig = equityFigure(r, { simulated: true, capital: 2000, split: r.time[300] });
    expect(fig.data.map((t) => t.name)).toEqual(["equity", "drawdown %"]);
    const dd = fig.data[1].y as number[];
    expect(Math.max(...dd)).toBeLessThanOrEqual(0);
    expect(Math.min(...dd)).toBeCloseTo(-100 * r.metrics.maxDrawdown, 4);
    expect(JSON.stringify(fig.layout)).toContain("SIMULATED");
    expect(() => equityFigure({ time: [1, 2], equity: [1] })).toThrow(RangeError);
  });

  it("sweepHeatmapFigure(sweep, { metric, x, y }) puts each row's metric in its cell (max over the other parameters)", () => {
    const sweep = sweepBacktest(y, x, { hedgeWindow: 40, zWindow: 20, entry: 1.5, exit: 0.3, notional: 1000 }, { entry: [1, 2], exit: [0, 0.5], zWindow: [10, 30] });
    const fig = sweepHeatmapFigure(sweep, { metric: "totalReturn", x: "entry", y: "exit", simulated: true });
    const trace = fig.data[0];
    expect(trace.x).toEqual(["1", "2"]);
    expect(trace.y).toEqual(["0", "0.5"]);
    const want = Math.max(...sweep.rows.filter((row) => row.entry === 2 && row.exit === 0.5).map((row) => row.totalReturn));
    expect((trace.z as number[][])[1][1]).toBeCloseTo(want, 8);
    expect(JSON.stringify(fig.layout)).toMatch(/max over zWindow.*SIMULATED/);
    expect(() => sweepHeatmapFigure(sweep, { metric: "calmar" as never })).toThrow(/'metric' must be one of/);
    expect(() => sweepHeatmapFigure(sweep, { x: "entry", y: "entry" })).toThrow(/'y'/);
  });

  it("tradeMarkers(run) puts an enter marker at each entry signal and an exit marker at each closed trade's exit signal, at that bar's z", () => {
    const markers = tradeMarkers(r);
    const closed = r.trades.filter((t) => t.exitReason !== "open").length;
    expect(markers).toHaveLength(r.trades.length + closed);
    const first = r.trades[0];
    const i = Array.from(r.time).indexOf(first.entrySignalTime);
    expect(markers[0]).toEqual({ time: first.entrySignalTime, kind: "enter", side: `${first.side} spread`, z: r.zscore[i] });
    expect(Math.abs(markers[0].z)).toBeGreaterThanOrEqual(1.5);
  });

  it("backtestSummary(run) gives trade PnL and bar-return distribution rows; empty series give NaN, not a throw", () => {
    const [pnl, ret] = backtestSummary(r);
    expect(pnl.series).toBe("trade net PnL");
    expect(pnl.count).toBe(r.trades.length);
    expect(pnl.mean).toBeCloseTo(r.trades.reduce((s, t) => s + t.netPnl, 0) / r.trades.length, 10);
    expect(pnl.min).toBeLessThanOrEqual(pnl.q05);
    expect(pnl.q95).toBeLessThanOrEqual(pnl.max);
    expect(ret.count).toBe(r.equity.length - 1);
    const none = { ...r, trades: [] };
    expect(backtestSummary(none)[0]).toMatchObject({ count: 0, mean: NaN, std: NaN, median: NaN });
  });

  it("tradeFrame(trades, { simulated: true }) has the documented columns, ISO times and a simulated column", () => {
    const df = tradeFrame(r.trades, { symbols: ["BTCUSDT", "ETHUSDT"], simulated: true });
    expect(df.columns).toEqual([...TRADE_COLUMNS]);
    expect(df.shape[0]).toBe(r.trades.length);
    expect(String(df.column("time_utc").values[0])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((df.column("simulated").values as unknown[]).every((v) => v === true)).toBe(true);
    expect(tradeFrame([], { symbols: ["A", "B"], simulated: false }).columns).toEqual([...TRADE_COLUMNS]);
  });
});
