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

  it("toCsv keeps negative zero, ±Infinity and extreme magnitudes exactly (Python float and pandas round_trip parse them back)", () => {
    const values = [-0, 0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -5e-324, 1e21, 123456789012345680000];
    expect(csvField(-0)).toBe("-0");
    const path = join(dir, "extremes.csv");
    writeCsv(new (danfo().DataFrame)({ value: values } as never), path);
    const script = [
      "import csv, json, math, sys, pandas as pd",
      "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'), strict=True))[1:]",
      "df = pd.read_csv(sys.argv[1], float_precision='round_trip')",
      "print(json.dumps({'csv': [repr(float(r[0])) for r in rows], 'pandas': [repr(v) for v in df['value'].tolist()]}))",
    ].join("\n");
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, path], { encoding: "utf8" })) as { csv: string[]; pandas: string[] };
    // Exact (tolerance 0), sign of zero included: Python's repr distinguishes -0.0 from 0.0.
    const expected = ["-0.0", "0.0", "inf", "-inf", "1.7976931348623157e+308", "5e-324", "-5e-324", "1e+21", "1.2345678901234568e+20"];
    expect(out.csv).toEqual(expected);
    expect(out.pandas).toEqual(expected);
  });
});
