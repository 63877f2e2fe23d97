import { describe, expect, it } from "vitest";
import { FrameReader, type FrameSink } from "../../src/ingestion/frame-reader";

/** A server-to-client frame (unmasked) with explicit FIN, opcode and, optionally, a forced length encoding or raw first-byte bits. */
function frame(opcode: number, payload: Buffer | string, options: { fin?: boolean; len?: 7 | 16 | 64; rsv?: number; mask?: boolean } = {}): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const n = body.length;
  const enc = options.len ?? (n < 126 ? 7 : n < 65536 ? 16 : 64);
  const b0 = ((options.fin ?? true) ? 0x80 : 0) | (options.rsv ?? 0) | opcode;
  const m = options.mask ? 0x80 : 0;
  let head: Buffer;
  if (enc === 7) head = Buffer.from([b0, m | n]);
  else if (enc === 16) head = Buffer.from([b0, m | 126, n >> 8, n & 255]);
  else {
    head = Buffer.alloc(10);
    head[0] = b0;
    head[1] = m | 127;
    head.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    head.writeUInt32BE(n >>> 0, 6);
  }
  return Buffer.concat([head, options.mask ? Buffer.from([0, 0, 0, 0]) : Buffer.alloc(0), body]);
}

interface Recorded {
  events: string[];
  sink: FrameSink;
}

/** A sink that records every event as a string; `fast` decides which text payloads the ASCII fast path takes. */
function recorder(fast: (text: string) => boolean = () => false): Recorded {
  const events: string[] = [];
  const sink: FrameSink = {
    asciiText(bytes, start, end) {
      const text = bytes.toString("latin1", start, end);
      if (!fast(text)) return false;
      events.push(`fast:${text}`);
      return true;
    },
    message: (d) => events.push(`text:${d.toString("utf8")}`),
    binary: () => events.push("binary"),
    ping: (p) => events.push(`ping:${p.toString("hex")}`),
    pong: () => events.push("pong"),
    close: (code, reason) => events.push(`close:${code}:${reason}`),
    error: (code, message) => events.push(`error:${code}:${message}`),
  };
  return { events, sink };
}

function read(chunks: Buffer[], maxPayload = 1 << 20, fast?: (text: string) => boolean): string[] {
  const r = recorder(fast);
  const reader = new FrameReader(r.sink, maxPayload);
  for (const c of chunks) reader.push(c);
  return r.events;
}

/** A stream exercising every path: short, 16-bit and 64-bit lengths, a fragmented message with a ping between its fragments, binary, pong, close. */
function mixedStream(): { bytes: Buffer; expected: string[] } {
  const long = "x".repeat(300);
  const huge = "y".repeat(70_000);
  const parts = [
    frame(1, "hello"),
    frame(1, long),
    frame(1, "short but 64-bit", { len: 64 }),
    frame(1, huge),
    frame(1, "frag-", { fin: false }),
    frame(9, Buffer.from([1, 2, 3])),
    frame(0, "ment", { fin: false }),
    frame(0, "ed é"),
    frame(2, Buffer.from([0, 255])),
    frame(2, Buffer.from([1]), { fin: false }),
    frame(0, Buffer.from([2])),
    frame(10, ""),
    frame(1, "{\"e\":\"trade\"}"),
    frame(8, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from("bye")])),
  ];
  return {
    bytes: Buffer.concat(parts),
    expected: [
      "text:hello",
      `text:${long}`,
      "text:short but 64-bit",
      `text:${huge}`,
      "ping:010203",
      "text:frag-mented é",
      "binary",
      "binary",
      "pong",
      "fast:{\"e\":\"trade\"}",
      "close:1000:bye",
    ],
  };
}

const fastTrades = (t: string): boolean => t.startsWith("{");

describe("FrameReader", () => {
  it("push(chunk) reads many frames per chunk: 7/16/64-bit lengths, fragments with a control frame between them, binary, ping, pong, close", () => {
    const { bytes, expected } = mixedStream();
    expect(read([bytes], 1 << 20, fastTrades)).toEqual(expected);
  });

  it("push(chunk) gives the same events when the stream is split at every byte boundary (two chunks)", () => {
    const { bytes, expected } = mixedStream();
    // Every split point in the first 400 bytes and around every frame boundary of the 70 kB frame.
    const points = new Set<number>();
    for (let k = 0; k <= 400; k++) points.add(k);
    for (let k = bytes.length - 300; k <= bytes.length; k++) points.add(k);
    for (let k = 400; k < bytes.length; k += 997) points.add(k);
    for (const k of points) expect(read([bytes.subarray(0, k), bytes.subarray(k)], 1 << 20, fastTrades), `split at ${k}`).toEqual(expected);
  });

  it("push(chunk) gives the same events for one-byte chunks and for seeded random chunk sizes", () => {
    const { bytes, expected } = mixedStream();
    const small = Buffer.concat([frame(1, "a"), frame(1, "b".repeat(130)), frame(1, "c", { len: 64 }), frame(9, "p"), frame(1, "{\"x\":1}")]);
    const ones: Buffer[] = [];
    for (let i = 0; i < small.length; i++) ones.push(small.subarray(i, i + 1));
    expect(read(ones, 1 << 20, fastTrades)).toEqual(["text:a", `text:${"b".repeat(130)}`, "text:c", "ping:70", "fast:{\"x\":1}"]);
    let seed = 12345;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 20; trial++) {
      const chunks: Buffer[] = [];
      for (let o = 0; o < bytes.length; ) {
        const size = 1 + Math.floor(rand() * (rand() < 0.5 ? 16 : 20_000));
        chunks.push(bytes.subarray(o, o + size));
        o += size;
      }
      expect(read(chunks, 1 << 20, fastTrades), `trial ${trial}`).toEqual(expected);
    }
  });

  it("asciiText gets the payload in place; returning false sends it through the UTF-8 check to message()", () => {
    const bytes = Buffer.concat([frame(1, "{\"a\":1}"), frame(1, "plain")]);
    let where: [number, number] | undefined;
    const got: string[] = [];
    const reader = new FrameReader(
      {
        asciiText: (b, s, e) => {
          if (b[s] !== 123) return false;
          where = [s, e];
          expect(b).toBe(bytes); // no copy: the chunk itself
          return true;
        },
        message: (d) => got.push(String(d)),
        binary() {},
        ping() {},
        pong() {},
        close() {},
        error: (c, m) => got.push(`error ${c} ${m}`),
      },
      1024,
    );
    reader.push(bytes);
    expect(where).toEqual([2, 9]);
    expect(got).toEqual(["plain"]);
  });

  it("close frames: no payload is 1005, a code and a UTF-8 reason are passed on", () => {
    expect(read([frame(8, "")])).toEqual(["close:1005:"]);
    expect(read([frame(8, Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from("über")]))])).toEqual(["close:4000:über"]);
  });

  it.each([
    ["a reserved bit (RSV1, as permessage-deflate would set)", frame(1, "x", { rsv: 0x40 }), 1002, /reserved bits/],
    ["a masked server frame", frame(1, "x", { mask: true }), 1002, /must not be masked/],
    ["opcode 3", frame(3, "x"), 1002, /invalid opcode 3/],
    ["opcode 11", frame(11, "x"), 1002, /invalid opcode 11/],
    ["a fragmented ping", frame(9, "x", { fin: false }), 1002, /must not be fragmented/],
    ["a ping with 126 bytes", frame(9, Buffer.alloc(126)), 1002, /exceeds 125/],
    ["a continuation without a message", frame(0, "x"), 1002, /continuation frame without/],
    ["a new message inside a fragmented one", Buffer.concat([frame(1, "a", { fin: false }), frame(1, "b")]), 1002, /began before/],
    ["a close frame with a 1-byte payload", frame(8, Buffer.from([3])), 1002, /1-byte payload/],
    ["close code 1005 on the wire", frame(8, Buffer.from([0x03, 0xed])), 1002, /invalid close code 1005/],
    ["close code 999", frame(8, Buffer.from([0x03, 0xe7])), 1002, /invalid close code 999/],
    ["a close reason that is not UTF-8", frame(8, Buffer.from([0x03, 0xe8, 0xff])), 1007, /close reason is not valid UTF-8/],
    ["a text message that is not UTF-8", frame(1, Buffer.from([0x7b, 0xc3, 0x28])), 1007, /not valid UTF-8/],
    ["a text message cut in the middle of a UTF-8 sequence", frame(1, Buffer.from([0x61, 0xe2, 0x82])), 1007, /not valid UTF-8/],
    ["a frame longer than maxPayload", frame(1, "x".repeat(101)), 1009, /exceeds the maximum of 100/],
    ["fragments longer than maxPayload in all", Buffer.concat([frame(1, "x".repeat(60), { fin: false }), frame(0, "y".repeat(60))]), 1009, /exceeds the maximum of 100/],
    ["a 64-bit length above 2^53 - 1", Buffer.from([0x81, 127, 0x00, 0x20, 0, 0, 0, 0, 0, 0]), 1009, /above 2\^53/],
  ])("push(%s) reports a protocol error with its close code, then ignores further input", (_name, bytes, code, message) => {
    const events = read([bytes, frame(1, "after")], 100);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(new RegExp(`^error:${code}:`));
    expect(events[0]).toMatch(message);
  });

  it("a multi-byte UTF-8 character split across two fragments is valid (checked on the whole message)", () => {
    const euro = Buffer.from("€", "utf8"); // e2 82 ac
    expect(read([frame(1, Buffer.concat([Buffer.from("a"), euro.subarray(0, 2)]), { fin: false }), frame(0, euro.subarray(2))])).toEqual(["text:a€"]);
  });

  it("the ASCII fast path is never offered a fragment: a fragmented message is offered once, assembled", () => {
    const seen: string[] = [];
    const r = recorder((t) => {
      seen.push(t);
      return true;
    });
    const reader = new FrameReader(r.sink, 1024);
    reader.push(Buffer.concat([frame(1, "{\"a\"", { fin: false }), frame(0, ":1}")]));
    expect(seen).toEqual(["{\"a\":1}"]);
    expect(r.events).toEqual(["fast:{\"a\":1}"]);
  });

  it("new FrameReader(sink, max, true) keeps split frames, fragments and messages intact when the caller reuses its read buffer (overwritten after every push)", () => {
    const { bytes, expected } = mixedStream();
    const texts = expected.filter((e) => e.startsWith("text:") || e.startsWith("fast:")).map((e) => e.replace(/^fast:/, "text:")); // no asciiText here: every text goes to message()
    const run = (sizes: () => number): string[] => {
      const kept: Buffer[] = []; // the Buffers handed to message(), read only at the end
      const sink: FrameSink = { message: (d) => kept.push(d), binary() {}, ping() {}, pong() {}, close() {}, error: (code, m) => kept.push(Buffer.from(`error:${code}:${m}`)) };
      const reader = new FrameReader(sink, 1 << 20, true);
      const buffer = Buffer.alloc(1 << 16);
      for (let o = 0; o < bytes.length; ) {
        const n = Math.min(sizes(), bytes.length - o, buffer.length);
        bytes.copy(buffer, 0, o, o + n);
        reader.push(buffer.subarray(0, n));
        buffer.fill(0x21); // the next read overwrites everything the reader did not copy
        o += n;
      }
      return kept.map((d) => `text:${d.toString("utf8")}`);
    };
    for (const size of [1, 2, 7, 100, 4096, 1 << 16]) expect(run(() => size), `reads of ${size} bytes`).toEqual(texts);
    let seed = 777;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 10; trial++) expect(run(() => 1 + Math.floor(rand() * 20_000)), `trial ${trial}`).toEqual(texts);
    // Without the flag the same caller would see its overwritten bytes: the test can fail.
    const kept: Buffer[] = [];
    const reader = new FrameReader({ message: (d) => kept.push(d), binary() {}, ping() {}, pong() {}, close() {}, error() {} }, 1 << 20);
    const buffer = Buffer.from(frame(1, "hello"));
    reader.push(buffer);
    buffer.fill(0x21);
    expect(kept[0].toString()).not.toBe("hello");
  });
});
