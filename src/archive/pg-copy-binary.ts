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

/** Receives the fields of a binary COPY stream piece by piece (see {@link CopyBinaryStream}). */
export interface CopyBinarySink {
  /** `piece` is the next part of field `field` of the current row, starting at byte `at` of that field. */
  fieldBytes(field: number, piece: Buffer, at: number): void;
  /** Field `field` of the current row is NULL. */
  fieldNull?(field: number): void;
  /** The current row is complete. */
  rowEnd(): void;
}

/**
 * A streaming parser of PostgreSQL's binary COPY format: `push(chunk)` with the chunks as they arrive (a field
 * may span chunks), `end()` after the last. Field bytes go to the sink as views of the chunks (no
 * concatenation), so a reader can copy them straight into its output columns. O(bytes).
 *
 * @throws RangeError from `push` on a bad signature, from `end` when the stream is incomplete.
 * @example
 * const p = new CopyBinaryStream({ fieldBytes: (j, piece, at) => …, rowEnd: () => … });
 * for await (const chunk of copyStream) p.push(chunk);
 * p.end();
 */
export class CopyBinaryStream {
  private header: Buffer | null = Buffer.alloc(0);
  private readonly scratch = Buffer.alloc(4);
  private have = 0;
  /** "count": reading a row's int16 field count; "len": a field's int32 length; "data": its bytes; "done". */
  private state: "count" | "len" | "data" | "done" = "count";
  private fields = 0;
  private field = 0;
  private left = 0;
  private at = 0;

  constructor(private readonly sink: CopyBinarySink) {}

  push(chunk: Buffer): void {
    let o = 0;
    if (this.header !== null) {
      const h = Buffer.concat([this.header, chunk]);
      if (h.length < 19) {
        this.header = h;
        return;
      }
      if (h.toString("latin1", 0, 11) !== "PGCOPY\n\xff\r\n\0") throw new RangeError("CopyBinaryStream: missing the PGCOPY signature");
      const start = 19 + h.readInt32BE(15);
      if (h.length < start) {
        this.header = h;
        return;
      }
      this.header = null;
      chunk = h;
      o = start;
    }
    while (o < chunk.length) {
      if (this.state === "done") return;
      if (this.state === "data") {
        const take = Math.min(this.left, chunk.length - o);
        this.sink.fieldBytes(this.field, chunk.subarray(o, o + take), this.at);
        o += take;
        this.at += take;
        this.left -= take;
        if (this.left === 0) this.nextField();
        continue;
      }
      const need = this.state === "count" ? 2 : 4;
      const take = Math.min(need - this.have, chunk.length - o);
      chunk.copy(this.scratch, this.have, o, o + take);
      this.have += take;
      o += take;
      if (this.have < need) continue;
      this.have = 0;
      if (this.state === "count") {
        this.fields = this.scratch.readInt16BE(0);
        if (this.fields === -1) this.state = "done";
        else {
          this.field = 0;
          if (this.fields === 0) this.sink.rowEnd();
          else this.state = "len";
        }
      } else {
        const len = this.scratch.readInt32BE(0);
        if (len < 0) {
          this.sink.fieldNull?.(this.field);
          this.nextField();
        } else if (len === 0) {
          this.nextField();
        } else {
          this.left = len;
          this.at = 0;
          this.state = "data";
        }
      }
    }
  }

  /** @throws RangeError when the trailer (end of data) has not been seen. */
  end(): void {
    if (this.state !== "done") throw new RangeError("CopyBinaryStream: the COPY stream ended early");
  }

  private nextField(): void {
    this.field++;
    if (this.field < this.fields) this.state = "len";
    else {
      this.state = "count";
      this.sink.rowEnd();
    }
  }
}
