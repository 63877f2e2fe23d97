import { describe, expect, it } from "vitest";
import { alertFrame, danfo, pairFrame } from "../../src/export";
import { frameBundle, frameHtml } from "../../src/charts";

const T0 = Date.UTC(2026, 10, 23, 21, 0, 0);
const time = [T0, T0 + 60_000, T0 + 120_000];

function frame(simulated = true) {
  return pairFrame({
    symbols: ["BTCUSDT", "ETHUSDT"],
    time,
    a: { close: [100, 101, 102], volume: [1, 2, 3] },
    b: { close: [10, 11, 12], volume: [4, 5, 6] },
    spread: [NaN, 0.5, -0.5],
    zscore: [NaN, 2.1, -0.1],
    correlation: [NaN, NaN, 0.9],
    hedgeRatio: [NaN, 1.5, 1.6],
    alerts: [
      { time: time[1], kind: "enter", side: "short-spread", z: 2.1 },
      { time: time[2], kind: "exit", side: "short-spread", z: -0.1 },
      { time: time[2], kind: "enter", side: "long-spread", z: -0.1 },
    ],
    simulated,
  });
}

describe("pairFrame", () => {
  it("pairFrame builds one row per bar with both legs, analytics, alert flags and simulated", () => {
    const df = frame();
    expect(df.columns).toEqual([
      "time_utc", "BTCUSDT_close", "BTCUSDT_volume", "ETHUSDT_close", "ETHUSDT_volume",
      "spread", "zscore", "correlation", "hedgeRatio", "alert", "simulated",
    ]);
    expect(df.shape).toEqual([3, 11]);
    expect(df.column("time_utc").values).toEqual(["2026-11-23T21:00:00.000Z", "2026-11-23T21:01:00.000Z", "2026-11-23T21:02:00.000Z"]);
    expect(df.column("alert").values).toEqual(["", "enter short-spread", "exit short-spread; enter long-spread"]);
    expect(df.column("simulated").values).toEqual([true, true, true]);
    expect(df.column("hedgeRatio").values[1]).toBe(1.5);
  });

  it("pairFrame leaves out analytics that are not given", () => {
    const df = pairFrame({ symbols: ["A", "B"], time, a: { close: [1, 2, 3], volume: [1, 1, 1] }, b: { close: [1, 2, 3], volume: [1, 1, 1] }, simulated: false });
    expect(df.columns).toEqual(["time_utc", "A_close", "A_volume", "B_close", "B_volume", "alert", "simulated"]);
    expect(df.column("simulated").values).toEqual([false, false, false]);
  });

  it("pairFrame with no bars gives an empty frame with every column (exported as a header-only CSV)", async () => {
    const df = pairFrame({ symbols: ["A", "B"], time: [], a: { close: [], volume: [] }, b: { close: [], volume: [] }, spread: [], simulated: true });
    expect(df.shape).toEqual([0, 8]);
    expect(df.columns).toEqual(["time_utc", "A_close", "A_volume", "B_close", "B_volume", "spread", "alert", "simulated"]);
    const { toCsv } = await import("../../src/export");
    expect(toCsv(df)).toBe("time_utc,A_close,A_volume,B_close,B_volume,spread,alert,simulated\r\n");
    expect(frameHtml(df)).toContain("0 rows × 8 columns");
  });

  it("pairFrame with a short column throws RangeError; equal symbols throw RangeError", () => {
    expect(() => pairFrame({ symbols: ["A", "B"], time, a: { close: [1, 2], volume: [1, 1, 1] }, b: { close: [1, 2, 3], volume: [1, 1, 1] }, simulated: false })).toThrow(RangeError);
    expect(() => pairFrame({ symbols: ["A", "A"], time, a: { close: [1, 2, 3], volume: [1, 1, 1] }, b: { close: [1, 2, 3], volume: [1, 1, 1] }, simulated: false })).toThrow(RangeError);
  });
});

describe("alertFrame", () => {
  it("alertFrame lists each alert with pair and simulated; empty log keeps the columns", () => {
    const df = alertFrame([{ time: T0, kind: "enter", side: "long-spread", z: -2.5 }], { symbols: ["BTCUSDT", "ETHUSDT"], simulated: true });
    expect(df.columns).toEqual(["time_utc", "kind", "side", "z", "pair", "simulated"]);
    expect(df.values).toEqual([["2026-11-23T21:00:00.000Z", "enter", "long-spread", -2.5, "BTCUSDT/ETHUSDT", true]]);
    const empty = alertFrame([], { symbols: ["A", "B"], simulated: false });
    expect(empty.shape).toEqual([0, 6]);
  });
});

describe("frameHtml", () => {
  it("frameHtml(df, { maxRows: 4 }) shows 2 head rows, an ellipsis row, 2 tail rows and the shape", () => {
    const df = new (danfo().DataFrame)({ v: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } as never);
    const html = frameHtml(df, { maxRows: 4 });
    expect(html.match(/<tr><th>/g)?.length).toBe(5);
    expect(html).toContain("<tr><th>0</th><td>0</td></tr><tr><th>1</th><td>1</td></tr><tr><th>…</th><td>…</td></tr><tr><th>8</th><td>8</td></tr><tr><th>9</th><td>9</td></tr>");
    expect(html).toContain("10 rows × 1 columns");
  });

  it("frameHtml escapes column names and values", () => {
    const df = new (danfo().DataFrame)({ "<th>": ["<script>alert(1)</script>", "a&b"] } as never);
    const html = frameHtml(df, { caption: "<i>cap</i>" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("<th>&lt;th&gt;</th>");
    expect(html).toContain("&lt;i&gt;cap&lt;/i&gt;");
  });

  it("frameHtml(df, { maxRows: 1 }) throws RangeError", () => {
    expect(() => frameHtml(frame(), { maxRows: 1 })).toThrow(RangeError);
  });

  it("frameBundle has text/html and a text/plain table with the same rows", () => {
    const bundle = frameBundle(frame(), { maxRows: 2 });
    expect(bundle["text/plain"]).toContain("[3 rows × 11 columns]");
    expect(bundle["text/plain"].split("\n")[1]).toContain("2026-11-23T21:00:00.000Z");
    expect(bundle["text/html"]).toContain("<td>true</td>");
  });
});

describe("pairFrameFromAnalytics", () => {
  it("pairFrameFromAnalytics carries the analytics columns unchanged (full resolution)", async () => {
    const { pairAnalytics } = await import("../../src/pair");
    const { resample } = await import("../../src/analytics");
    const n = 400;
    const time = Float64Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const pb = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 7) * 3 + i * 0.01);
    const pa = Float64Array.from(pb, (v, i) => 2 * v + Math.cos(i / 3));
    const qty = new Float64Array(n).fill(1);
    const an = pairAnalytics(resample({ time, price: pa, qty }, "1s"), resample({ time, price: pb, qty }, "1s"), {
      symbols: ["AAA", "BBB"], timeframe: "1s", hedgeWindow: 50, zWindow: 20, entry: 1, simulated: true,
    });
    const { pairFrameFromAnalytics } = await import("../../src/export");
    const df = pairFrameFromAnalytics(an);
    expect(df.shape).toEqual([an.bars, 13]);
    expect(df.columns).toEqual([
      "time_utc", "AAA_close", "AAA_volume", "BBB_close", "BBB_volume", "AAA_quoteVolume", "BBB_quoteVolume",
      "spread", "zscore", "correlation", "hedgeRatio", "alert", "simulated",
    ]);
    const z = df.column("zscore").values as number[];
    for (let i = 0; i < an.bars; i++) {
      if (Number.isNaN(an.zscore[i])) expect(z[i]).toBeNaN();
      else expect(z[i]).toBe(an.zscore[i]);
    }
    expect(an.alerts.length).toBeGreaterThan(0);
    expect((df.column("alert").values as string[]).filter(Boolean).length).toBe(new Set(an.alerts.map((e: { time: number }) => e.time)).size);
  });
});
