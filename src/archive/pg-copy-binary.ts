/**
 * Parses PostgreSQL's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`): the 11-byte signature, flags
 * and header extension, then per tuple an int16 field count and per field an int32 length (−1 = NULL) and
 * its bytes, ended by a −1 field count. Fields are views into `buf` (no copy). Used for archive reads: `pg`
 * decodes binary result columns as UTF-8 text (lossy), COPY hands over the raw bytes. O(bytes).
 *
 * @throws RangeError when `buf` is not a complete binary COPY stream.
 * @example
 * const rows = parseCopyBinary(bytes); // rows[i][j]: Buffer of field j of tuple i, or null
 */
export function parseCopyBinary(buf: Buffer): (Buffer | null)[][] {
  const SIGNATURE = "PGCOPY\n\xff\r\n\0";
  if (buf.length < 19 || buf.toString("latin1", 0, 11) !== SIGNATURE) throw new RangeError("parseCopyBinary: missing the PGCOPY signature");
  let o = 15;
  o += 4 + buf.readInt32BE(o); // header extension
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    if (o + 2 > buf.length) throw new RangeError(`parseCopyBinary: truncated at byte ${o} of ${buf.length}`);
    const fields = buf.readInt16BE(o);
    o += 2;
    if (fields === -1) return rows;
    const row = new Array<Buffer | null>(fields);
    for (let j = 0; j < fields; j++) {
      if (o + 4 > buf.length) throw new RangeError(`parseCopyBinary: truncated at byte ${o} of ${buf.length}`);
      const len = buf.readInt32BE(o);
      o += 4;
      if (len < 0) row[j] = null;
      else {
        if (o + len > buf.length) throw new RangeError(`parseCopyBinary: truncated at byte ${o} of ${buf.length}`);
        row[j] = buf.subarray(o, o + len);
        o += len;
      }
    }
    rows.push(row);
  }
}
