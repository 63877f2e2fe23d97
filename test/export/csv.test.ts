import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvField, danfo, toCsv, writeCsv } from "../../src/export";

const dir = mkdtempSync(join(tmpdir(), "pairlab-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("csvField", () => {
  it("csvField quotes a comma, a quote and a newline, doubling the quote (RFC 4180 §2.6–2.7)", () => {
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(" padded ")).toBe('" padded "');
  });
  it("csvField writes NaN/null/undefined as empty fields and numbers in round-trip form", () => {
    expect([NaN, null, undefined].map(csvField)).toEqual(["", "", ""]);
    expect(csvField(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField(true)).toBe("true");
  });
});

describe("toCsv", () => {
  it("toCsv(df) quotes header and values and ends every record with CRLF", () => {
    const df = new (danfo().DataFrame)({ "a,b": [1, NaN], note: ['x,"y"\nz', "ok"] } as never);
    expect(toCsv(df)).toBe('"a,b",note\r\n1,"x,""y""\nz"\r\n,ok\r\n');
  });

  it("toCsv(empty frame) writes only the header", () => {
    expect(toCsv(new (danfo().DataFrame)([] as never, { columns: ["a", "b"] } as never))).toBe("a,b\r\n");
  });

  it("writeCsv output parses back exactly with Python's csv module and pandas (reference parsers)", () => {
    const values = [0.1 + 0.2, -1e-12, 65_432.123456789, NaN];
    const notes = ['comma, quote " and\nnewline', "", "  spaces", "plain"];
    const df = new (danfo().DataFrame)({ value: values, note: notes, flag: [true, false, true, false] } as never);
    const path = join(dir, "roundtrip.csv");
    const bytes = writeCsv(df, path);
    expect(bytes).toBe(readFileSync(path).length);
    const script = [
      "import csv, json, sys, pandas as pd",
      "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'), strict=True))",
      "df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[''], float_precision='round_trip')",
      "print(json.dumps({'rows': rows, 'value': [None if v != v else v for v in df['value'].tolist()], 'pandas': pd.__version__}))",
    ].join("\n");
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, path], { encoding: "utf8" })) as {
      rows: string[][];
      value: (number | null)[];
    };
    expect(out.rows[0]).toEqual(["value", "note", "flag"]);
    expect(out.rows.slice(1).map((r) => r[1])).toEqual(notes);
    expect(out.rows.slice(1).map((r) => r[2])).toEqual(["true", "false", "true", "false"]);
    // Exact float equality (tolerance 0): numbers are written in round-trip form (pandas parses with float_precision="round_trip").
    expect(out.value).toEqual([0.1 + 0.2, -1e-12, 65_432.123456789, null]);
  });
});
