import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { alertFrame, exportCsv, exportFileName, pairFrame } from "../../src/export";

const T0 = Date.UTC(2026, 10, 23, 21, 0, 0);
const dir = mkdtempSync(join(tmpdir(), "pairlab-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("exportFileName", () => {
  it("exportFileName carries kind, symbols, timeframe, UTC range and SIMULATED", () => {
    expect(exportFileName({ kind: "bars", symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1m", start: T0, end: T0 + 3_600_000, simulated: true })).toBe(
      "pairlab_bars_BTCUSDT-ETHUSDT_1m_20261123T210000Z_20261123T220000Z_SIMULATED.csv",
    );
    expect(exportFileName({ kind: "alerts", symbols: ["BTCUSDT", "ETHUSDT"], timeframe: 60_000, start: T0, end: T0, simulated: false })).toBe(
      "pairlab_alerts_BTCUSDT-ETHUSDT_60000ms_20261123T210000Z_20261123T210000Z.csv",
    );
  });

  it("exportFileName writes 'empty' for no rows and strips path characters from every part", () => {
    expect(exportFileName({ kind: "../x", symbols: ["a/../b", "C D"], timeframe: "1s", start: NaN, end: NaN, simulated: false, ext: "csv" })).toBe(
      "pairlab_x_a-..-b-C-D_1s_empty.csv",
    );
  });

  it("exportFileName with end < start throws RangeError; no symbols throws RangeError", () => {
    expect(() => exportFileName({ kind: "bars", symbols: ["A"], timeframe: "1s", start: 2, end: 1, simulated: false })).toThrow(RangeError);
    expect(() => exportFileName({ kind: "bars", symbols: [], timeframe: "1s", start: 1, end: 2, simulated: false })).toThrow(RangeError);
  });
});

describe("exportCsv", () => {
  it("exportCsv names the file from the frame's first/last time_utc and writes every row", () => {
    const time = [T0, T0 + 1000, T0 + 2000];
    const df = pairFrame({ symbols: ["BTCUSDT", "ETHUSDT"], time, a: { close: [1, 2, 3], volume: [1, 1, 1] }, b: { close: [3, 2, 1], volume: [1, 1, 1] }, simulated: true });
    const out = exportCsv(df, { dir, kind: "bars", symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1s", simulated: true });
    expect(out.fileName).toBe("pairlab_bars_BTCUSDT-ETHUSDT_1s_20261123T210000Z_20261123T210002Z_SIMULATED.csv");
    expect(existsSync(out.path)).toBe(true);
    const text = readFileSync(out.path, "utf8");
    expect(text.split("\r\n").length).toBe(5); // header + 3 rows + trailing empty
    expect(out.rows).toBe(3);
    expect(text).toContain(",true\r\n");
  });

  it("exportCsv of an empty alert log writes a header-only file named 'empty'", () => {
    const out = exportCsv(alertFrame([], { symbols: ["A", "B"], simulated: true }), { dir, kind: "alerts", symbols: ["A", "B"], timeframe: "1m", simulated: true });
    expect(out.fileName).toBe("pairlab_alerts_A-B_1m_empty_SIMULATED.csv");
    expect(readFileSync(out.path, "utf8")).toBe("time_utc,kind,side,z,pair,simulated\r\n");
  });
});
