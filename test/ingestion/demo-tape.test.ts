import { describe, expect, it } from "vitest";
import { Tape, encodeTapeFrame } from "../../src/ingestion/demo-tape";
import { createDecodedTrade, decodeFrame, decodeFrameJson } from "../../src/ingestion/decode-frame";

function tapeWithOne(): Tape {
  const tape = new Tape("btcusdt", "BTCUSDT", 1, 4);
  tape.ids[0] = 7;
  tape.time[0] = 1_700_000_000_123;
  tape.price[0] = 100_000.3;
  tape.qty[0] = 0.05;
  tape.maker[0] = 1;
  tape.aggIds[0] = 3;
  tape.total = 1;
  return tape;
}

describe("encodeTapeFrame", () => {
  it.each([
    ["trade", true],
    ["trade", false],
    ["aggTrade", true],
    ["aggTrade", false],
  ] as const)("encodeTapeFrame(%s, combined=%s) round-trips through decodeFrame (exact)", (stream, combined) => {
    const text = encodeTapeFrame(tapeWithOne(), 0, stream, combined, -1);
    const fast = createDecodedTrade();
    const ref = createDecodedTrade();
    expect(decodeFrame(Buffer.from(text), fast)).toBe("trade");
    expect(decodeFrameJson(text, ref)).toBe("trade");
    expect({ ...fast }).toEqual({ ...ref });
    expect(fast).toMatchObject({ symbol: "btcusdt", stream, time: 1_700_000_000_123, price: 100_000.3, qty: 0.05 });
    expect(fast.id).toBe(stream === "trade" ? 7 : 3);
    expect([fast.firstTradeId, fast.lastTradeId]).toEqual([7, 7]);
    if (combined) expect(JSON.parse(text).stream).toBe(`btcusdt@${stream}`);
  });

  it("encodeTapeFrame(spentId) is a Binance spent-id frame", () => {
    const text = encodeTapeFrame(tapeWithOne(), 0, "trade", false, 6);
    expect(JSON.parse(text)).toMatchObject({ e: "trade", t: 6, p: "0", q: "0", X: "NA" });
    expect(decodeFrame(Buffer.from(text), createDecodedTrade())).toBe("spent");
  });

  it("Tape.first is the oldest retained index", () => {
    const tape = new Tape("x1", "X1", 2, 3);
    tape.total = 5;
    expect(tape.first).toBe(2);
  });
});
