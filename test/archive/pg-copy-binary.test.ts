import { describe, expect, it } from "vitest";
import { fromFloat64Be, toFloat64Be } from "../../src/archive/float64-be";
import { CopyBinaryStream, parseCopyBinary } from "../../src/archive/pg-copy-binary";
import { mulberry32 } from "../../src/seeded-random";

/** A binary COPY stream built by hand from PostgreSQL's documented layout (signature, flags, extension, tuples, trailer). */
function copyBytes(rows: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.from([0, 0, 0, 0])];
  const ext = Buffer.alloc(4);
  ext.writeInt32BE(extension.length);
  parts.push(ext, extension);
  for (const row of rows) {
    const c = Buffer.alloc(2);
    c.writeInt16BE(row.length);
    parts.push(c);
    for (const f of row) {
      const l = Buffer.alloc(4);
      l.writeInt32BE(f === null ? -1 : f.length);
      parts.push(l);
      if (f !== null) parts.push(f);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

describe("binary COPY parsing", () => {
  const rand = mulberry32(11);
  const rows = Array.from({ length: 20 }, (_, i) => [Buffer.from([0, 0, 0, i]), i % 5 === 0 ? null : Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))), Buffer.alloc(0)]);
  const bytes = copyBytes(rows, Buffer.from("ext"));

  it("parseCopyBinary(bytes) returns every field (NULL as null), exactly", () => {
    const got = parseCopyBinary(bytes);
    expect(got.map((r) => r.map((f) => (f === null ? null : Array.from(f))))).toEqual(rows.map((r) => r.map((f) => (f === null ? null : Array.from(f)))));
  });

  it("CopyBinaryStream.push(chunks) gives the same fields for every chunk size 1…64 (fields spanning chunks)", () => {
    for (let size = 1; size <= 64; size++) {
      const got: (number[] | null)[][] = [];
      let row: (number[] | null)[] = [];
      const p = new CopyBinaryStream({
        fieldBytes: (j, piece, at) => {
          row[j] ??= [];
          expect(at).toBe(row[j]!.length);
          row[j]!.push(...piece);
        },
        fieldNull: (j) => (row[j] = null),
        rowEnd: () => {
          got.push(Array.from({ length: 3 }, (_, j) => (row[j] === undefined ? [] : row[j])));
          row = [];
        },
      });
      for (let o = 0; o < bytes.length; o += size) p.push(bytes.subarray(o, o + size));
      p.end();
      expect(got, `chunk size ${size}`).toEqual(rows.map((r) => r.map((f) => (f === null ? null : Array.from(f)))));
    }
  });

  it("CopyBinaryStream.end() before the trailer and a bad signature throw RangeError", () => {
    const p = new CopyBinaryStream({ fieldBytes: () => undefined, rowEnd: () => undefined });
    p.push(bytes.subarray(0, bytes.length - 2));
    expect(() => p.end()).toThrow(RangeError);
    expect(() => new CopyBinaryStream({ fieldBytes: () => undefined, rowEnd: () => undefined }).push(Buffer.alloc(40))).toThrow(/PGCOPY/);
    expect(() => parseCopyBinary(bytes.subarray(0, bytes.length - 7))).toThrow(/truncated/);
  });

  it("toFloat64Be / fromFloat64Be round-trip every bit pattern class (float8send byte order)", () => {
    const v = Float64Array.of(0, -0, 1, -2.5, 5e-324, 1.7976931348623157e308, Infinity, -Infinity, NaN, 0.1, 1765000000000001);
    const be = toFloat64Be(v);
    expect(be.subarray(16, 24).toString("hex")).toBe("3ff0000000000000"); // 1.0 as PostgreSQL's float8send writes it
    const back = new Float64Array(v.length + 2);
    expect(fromFloat64Be(be, back, 1)).toBe(v.length);
    expect(Array.from(back.subarray(1, 1 + v.length))).toEqual(Array.from(v));
    expect(Object.is(back[2], -0)).toBe(true);
    expect(() => fromFloat64Be(be, new Float64Array(3), 0)).toThrow(RangeError);
  });
});
