import { describe, expect, it } from "vitest";
import { createDecodedTrade, decodeFrame } from "../../src/ingestion/decode-frame";

const out = createDecodedTrade();

describe("decodeFrame", () => {
  it("decodeFrame(combined @trade) fills the record", () => {
    const f = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":7,"p":"100.5","q":"0.2","X":"MARKET","m":true}}';
    expect(decodeFrame(f, out)).toBe("trade");
    expect({ ...out }).toEqual({ symbol: "btcusdt", stream: "trade", id: 7, firstTradeId: 7, lastTradeId: 7, time: 1700000000001, eventTime: 1700000000002, price: 100.5, qty: 0.2, reason: "" });
  });

  it("decodeFrame(raw @aggTrade as Buffer) uses a/f/l", () => {
    const f = Buffer.from('{"e":"aggTrade","E":1700000000006,"a":11,"s":"ETHUSDT","p":"3000.01","q":"1.5","f":20,"l":22,"T":1700000000005,"m":false}');
    expect(decodeFrame(f, out)).toBe("trade");
    expect(out.stream).toBe("aggTrade");
    expect([out.symbol, out.id, out.firstTradeId, out.lastTradeId, out.price, out.qty, out.time]).toEqual(["ethusdt", 11, 20, 22, 3000.01, 1.5, 1700000000005]);
  });

  it("decodeFrame takes the symbol from the stream name when 's' is missing", () => {
    expect(decodeFrame('{"stream":"solusdt@trade","data":{"e":"trade","T":1700000000005,"t":1,"p":"1","q":"1"}}', out)).toBe("trade");
    expect(out.symbol).toBe("solusdt");
  });

  it("decodeFrame classifies zero-price zero-qty @trade as spent", () => {
    expect(decodeFrame('{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":8,"p":"0","q":"0","X":"NA","m":false}', out)).toBe("spent");
    expect(out.id).toBe(8);
  });

  it.each([
    ["", "empty"],
    ["not json", "malformed"],
    ["{", "malformed"],
    ["42", "malformed"],
    ["null", "malformed"],
    ["[1,2]", "malformed"],
    ['{"result":null,"id":1}', "reply"],
    ['{"error":{"code":2,"msg":"Invalid request"},"id":3}', "reply"],
    ['{"e":"markPriceUpdate","s":"BTCUSDT"}', "unknown"],
    ['{"stream":"btcusdt@depth","data":{"e":"depthUpdate"}}', "unknown"],
    ['{"e":"trade","T":1700000000001,"t":1,"p":"1","q":"1"}', "malformed"],
    ['{"e":"trade","s":"BTCUSDT","t":1,"p":"1","q":"1"}', "malformed"],
    ['{"e":"trade","s":"BTCUSDT","T":1,"p":"1","q":"1"}', "malformed"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":-1,"p":"1","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1.5,"p":"1","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"NaN","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"abc","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"Infinity","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"-5","q":"1"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"5","q":"0"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"0","q":"2"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":1700000000001,"t":1,"p":"","q":"2"}', "invalid"],
    ['{"e":"trade","s":"BTCUSDT","T":0,"t":1,"p":"1","q":"2"}', "invalid"],
    ['{"e":"aggTrade","s":"BTCUSDT","T":1,"p":"1","q":"2"}', "malformed"],
  ])("decodeFrame(%j) is %s", (frame, kind) => {
    expect(decodeFrame(frame, out)).toBe(kind);
  });
});
