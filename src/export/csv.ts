import { danfo, type DataFrame } from "./load-danfo";
import { writeFileAtomic, type AtomicFs } from "./write-file-atomic";

/**
 * One CSV field per RFC 4180 §2: a value containing a comma, a double quote, CR or LF (or leading/
 * trailing spaces) is enclosed in double quotes with inner quotes doubled; NaN, null and undefined are
 * written as an empty field; numbers use JavaScript's shortest round-trip form ("-0" for negative zero,
 * "Infinity"/"-Infinity", which Python's `float` and pandas read back); booleans "true"/"false".
 * O(length).
 * @example csvField('a,"b"\nc') // '"a,""b""\nc"'
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isNaN(value) ? "" : Object.is(value, -0) ? "-0" : String(value);
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes a danfo DataFrame as RFC 4180 CSV **through danfo's `toCSV`**: danfo only joins values
 * with "," and rows with "\n" and does no quoting, so every field (header included) is first turned into
 * its quoted form with {@link csvField} in a string-only copy of the frame, and "\r" is appended to the
 * last field of each record so danfo's "\n" completes the CRLF record separator RFC 4180 requires. The
 * result parses back exactly (Python's `csv` + `float`; pandas `read_csv` with `float_precision="round_trip"`,
 * as its default parser may be 1 ulp off). O(rows × columns).
 *
 * @returns the CSV text (header + one CRLF-terminated record per row).
 * @example toCsv(new DataFrame({ a: [1], b: ['x,"y"'] })) // 'a,b\r\n1,"x,""y"""\r\n'
 */
export function toCsv(df: DataFrame): string {
  const columns = df.columns.map(String);
  const m = columns.length;
  if (m === 0) return "";
  const values = df.values as unknown[][];
  const header = columns.map((c, j) => csvField(c) + (j === m - 1 ? "\r" : ""));
  if (df.shape[0] === 0) return header.join(",") + "\n";
  const rows = values.map((row) => {
    const out = new Array<string>(m);
    for (let j = 0; j < m; j++) out[j] = csvField(row[j]);
    out[m - 1] += "\r";
    return out;
  });
  // Header names must be unique for danfo; quoting is injective, so they stay unique.
  const wire = new (danfo().DataFrame)(rows as never, { columns: header } as never);
  return danfo().toCSV(wire, { header: true, sep: "," }) as string;
}

/**
 * Writes {@link toCsv}(df) to `path` (UTF-8) atomically (temp file in the same folder, fsync, rename; see
 * `writeFileAtomic`) and returns the number of bytes written. An existing file is replaced only by a complete one.
 * @throws ExportError (E_EXPORT) naming the path (full disk, read-only file system, a file where a folder should be…).
 * @example writeCsv(frame, "exports/pair.csv") // 203411
 */
export function writeCsv(df: DataFrame, path: string, options: { fs?: AtomicFs } = {}): number {
  return writeFileAtomic(path, toCsv(df), options);
}
