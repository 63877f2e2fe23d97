import { isUtf8 } from "node:buffer";

/**
 * What a {@link FrameReader} reports. `text` is the hot path: the payload is passed in place (`bytes[start, end)`,
 * usually a slice of the socket chunk that is valid only during the call), so no Buffer is created per frame.
 */
export interface FrameSink {
  /**
   * Fast path, tried first for every complete text message: return true when it consumed the message, which it may
   * only do for an all-ASCII payload (hence valid UTF-8, so the reader skips its UTF-8 check). Return false, without
   * side effects, to have the reader check the UTF-8 and call {@link FrameSink.message}.
   */
  asciiText?(bytes: Buffer, start: number, end: number): boolean;
  /** A complete text message whose UTF-8 was checked (`data` is the caller's to keep). */
  message(data: Buffer): void;
  /** A complete binary message (its payload is not kept). */
  binary(): void;
  /** A ping; `payload` is what the pong must echo. */
  ping(payload: Buffer): void;
  pong(): void;
  /** The peer's close frame: status code (1005 when it carried none) and UTF-8 reason. */
  close(code: number, reason: string): void;
  /** A protocol violation: the connection must be failed with close `code` (1002, 1007 or 1009). No more input is read. */
  error(code: number, message: string): void;
}

const MAX_SAFE_HIGH = 0x1f_ffff; // high 32 bits of Number.MAX_SAFE_INTEGER

/**
 * Incremental reader of the server-to-client frames of RFC 6455 (section 5): FIN, opcode, 7/16/64-bit lengths,
 * frames split across chunks and many frames per chunk, fragmented messages (continuation frames, with control
 * frames between the fragments), ping / pong / close. Protocol errors (close code 1002): reserved bits set (no
 * extension is ever negotiated), a masked frame (a server must not mask), an unknown opcode, a fragmented or
 * over-long (> 125 bytes) control frame, a continuation frame without a message to continue, a new message
 * while one is being assembled, a close frame with a 1-byte payload or an invalid status code. A message
 * longer than `maxPayload` is 1009; a text message or close reason that is not valid UTF-8 is 1007 (as `ws` does).
 * After an error the reader ignores further input.
 *
 * Cost: O(bytes). A frame that lies inside one chunk is delivered in place; a frame split across chunks is
 * copied once (only its own bytes); fragments are copied once when the message completes. With `reusedChunks`
 * (the caller reads the socket into one buffer it reuses for every read), every byte range the reader keeps
 * past a {@link push} call (a split frame's head, fragments, a message handed to `message`) is copied first.
 *
 * @example
 * const reader = new FrameReader({ message: (d) => console.log(String(d)), binary() {}, ping() {}, pong() {}, close() {}, error() {} }, 1 << 20);
 * reader.push(Buffer.from([0x81, 0x02, 0x68, 0x69])); // logs "hi"
 */
export class FrameReader {
  private readonly sink: FrameSink;
  private readonly maxPayload: number;
  /** Bytes of a frame split across chunks, and the frame's total size once its header is known (0: not yet). */
  private parts: Buffer[] = [];
  private partLen = 0;
  private need = 0;
  /** Fragments of the message being assembled (opcode 1 or 2), or none (fragOpcode 0). */
  private fragments: Buffer[] = [];
  private fragLen = 0;
  private fragOpcode = 0;
  private failed = false;
  private readonly reusedChunks: boolean;

  constructor(sink: FrameSink, maxPayload: number, reusedChunks = false) {
    this.sink = sink;
    this.maxPayload = maxPayload;
    this.reusedChunks = reusedChunks;
  }

  /** `b` itself, or a copy when the chunk it lies in will be overwritten by the next read. */
  private keep(b: Buffer): Buffer {
    return this.reusedChunks ? Buffer.from(b) : b;
  }

  /** True once a protocol error was reported. */
  get closed(): boolean {
    return this.failed;
  }

  /** Reads one chunk from the socket. O(chunk length). */
  push(chunk: Buffer): void {
    if (this.failed) return;
    let off = 0;
    if (this.partLen > 0) {
      off = this.completeSplitFrame(chunk);
      if (off < 0) return;
    }
    const n = chunk.length;
    while (off < n) {
      // The hot path, checked inline: a whole unfragmented, unmasked text frame with a 7- or 16-bit length
      // (first byte 0x81: FIN, no reserved bit, opcode 1) inside this chunk. Anything else takes frameSize/frame.
      if (chunk[off] === 0x81 && this.fragOpcode === 0 && off + 4 <= n) {
        const len7 = chunk[off + 1];
        const start = len7 < 126 ? off + 2 : off + 4;
        const end = len7 < 126 ? start + len7 : len7 === 126 ? start + ((chunk[off + 2] << 8) | chunk[off + 3]) : -1;
        if (end >= 0 && end <= n && end - start <= this.maxPayload) {
          this.text(chunk, start, end);
          if (this.failed) return;
          off = end;
          continue;
        }
      }
      const size = this.frameSize(chunk, off, n);
      if (size === -2) return;
      if (size === -1 || off + size > n) {
        this.parts.push(this.keep(chunk.subarray(off)));
        this.partLen = n - off;
        this.need = size === -1 ? 0 : size;
        return;
      }
      this.frame(chunk, off, off + size);
      if (this.failed) return;
      off += size;
    }
  }

  /** Continues the frame begun in an earlier chunk; returns the offset in `chunk` after it, or −1 (chunk absorbed, or failed). */
  private completeSplitFrame(chunk: Buffer): number {
    if (this.need === 0) {
      // The header itself was split (≤ 14 bytes): look at it together with the head of this chunk.
      const head = Buffer.concat([...this.parts, chunk.subarray(0, Math.min(14, chunk.length))]);
      const size = this.frameSize(head, 0, head.length);
      if (size === -2) return -1;
      if (size === -1) {
        this.parts.push(this.keep(chunk));
        this.partLen += chunk.length;
        return -1;
      }
      this.need = size;
    }
    const missing = this.need - this.partLen;
    if (chunk.length < missing) {
      this.parts.push(this.keep(chunk));
      this.partLen += chunk.length;
      return -1;
    }
    this.parts.push(chunk.subarray(0, missing));
    const whole = Buffer.concat(this.parts, this.need);
    this.parts = [];
    this.partLen = 0;
    this.need = 0;
    this.frame(whole, 0, whole.length);
    return this.failed ? -1 : missing;
  }

  /**
   * Size (header + payload) of the frame at `b[off]`, −1 when fewer than its header's bytes are available, −2
   * after reporting a protocol error found in the header.
   */
  private frameSize(b: Buffer, off: number, n: number): number {
    if (n - off < 2) return -1;
    const b0 = b[off];
    const b1 = b[off + 1];
    if ((b0 & 0x70) !== 0) return this.fail(1002, `reserved bits must be clear (first byte 0x${b0.toString(16)}): no extension was negotiated`);
    if ((b1 & 0x80) !== 0) return this.fail(1002, "a server frame must not be masked");
    const len7 = b1 & 0x7f;
    let len: number;
    let head: number;
    if (len7 < 126) {
      len = len7;
      head = 2;
    } else if (len7 === 126) {
      if (n - off < 4) return -1;
      len = (b[off + 2] << 8) | b[off + 3];
      head = 4;
    } else {
      if (n - off < 10) return -1;
      const hi = b.readUInt32BE(off + 2);
      if (hi > MAX_SAFE_HIGH) return this.fail(1009, "frame length above 2^53 - 1");
      len = hi * 0x1_0000_0000 + b.readUInt32BE(off + 6);
      head = 10;
    }
    if ((b0 & 0x08) !== 0 && len > 125) return this.fail(1002, `control frame (opcode ${b0 & 0x0f}) payload of ${len} bytes exceeds 125`);
    if (len > this.maxPayload) return this.fail(1009, `frame payload of ${len} bytes exceeds the maximum of ${this.maxPayload}`);
    return head + len;
  }

  /** One complete frame `b[off, end)` whose header frameSize() accepted. */
  private frame(b: Buffer, off: number, end: number): void {
    const b0 = b[off];
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const len7 = b[off + 1] & 0x7f;
    const start = off + (len7 < 126 ? 2 : len7 === 126 ? 4 : 10);
    if (opcode === 1 && fin && this.fragOpcode === 0) {
      // The hot path: an unfragmented text message.
      this.text(b, start, end);
      return;
    }
    const sink = this.sink;
    if (opcode >= 8) {
      if (!fin) return void this.fail(1002, `control frame (opcode ${opcode}) must not be fragmented`);
      if (opcode === 9) sink.ping(Buffer.from(b.subarray(start, end)));
      else if (opcode === 10) sink.pong();
      else if (opcode === 8) this.closeFrame(b, start, end);
      else this.fail(1002, `invalid opcode ${opcode}`);
      return;
    }
    if (opcode === 1 || opcode === 2) {
      if (this.fragOpcode !== 0) return void this.fail(1002, `a new message (opcode ${opcode}) began before the fragmented one ended`);
      if (fin) return void sink.binary();
      this.fragOpcode = opcode;
      this.fragments = [];
      this.fragLen = 0;
    } else if (opcode === 0) {
      if (this.fragOpcode === 0) return void this.fail(1002, "continuation frame without a message to continue");
    } else return void this.fail(1002, `invalid opcode ${opcode}`);
    this.fragLen += end - start;
    if (this.fragLen > this.maxPayload) return void this.fail(1009, `message of ${this.fragLen}+ bytes exceeds the maximum of ${this.maxPayload}`);
    if (this.fragOpcode === 1) this.fragments.push(this.keep(b.subarray(start, end)));
    if (!fin) return;
    const kind = this.fragOpcode;
    const whole = Buffer.concat(this.fragments, this.fragLen);
    this.fragOpcode = 0;
    this.fragments = [];
    this.fragLen = 0;
    if (kind === 2) sink.binary();
    else this.text(whole, 0, whole.length);
  }

  private text(b: Buffer, start: number, end: number): void {
    const sink = this.sink;
    if (sink.asciiText !== undefined && sink.asciiText(b, start, end)) return;
    const data = start === 0 && end === b.length ? b : b.subarray(start, end);
    if (!isUtf8(data)) return void this.fail(1007, "text message is not valid UTF-8");
    sink.message(this.keep(data));
  }

  private closeFrame(b: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return this.sink.close(1005, "");
    if (n === 1) return void this.fail(1002, "close frame with a 1-byte payload");
    const code = (b[start] << 8) | b[start + 1];
    const valid = (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
    if (!valid) return void this.fail(1002, `invalid close code ${code}`);
    const reason = b.subarray(start + 2, end);
    if (!isUtf8(reason)) return void this.fail(1007, "close reason is not valid UTF-8");
    this.sink.close(code, reason.toString("utf8"));
  }

  private fail(code: number, message: string): -2 {
    if (!this.failed) {
      this.failed = true;
      this.parts = [];
      this.fragments = [];
      this.sink.error(code, message);
    }
    return -2;
  }
}
