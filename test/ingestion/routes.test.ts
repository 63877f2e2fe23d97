import { describe, expect, it } from "vitest";
import { combinedStreamUrls, describeRoute, rawStreamUrl, routeFor, streamName } from "../../src/ingestion/routes";
import { normalizeSymbol, normalizeSymbols } from "../../src/ingestion/symbols";
import { resolveSource } from "../../src/ingestion/resolve-source";
import { SourceError } from "../../src/ingestion/ingestion-errors";

describe("routes", () => {
  it("routeFor(trade) is public and routeFor(aggTrade) is market", () => {
    expect(routeFor("trade")).toBe("public");
    expect(routeFor("aggTrade")).toBe("market");
    expect(describeRoute("trade")).toBe("/public trade");
    expect(streamName("btcusdt", "aggTrade")).toBe("btcusdt@aggTrade");
  });

  it("combinedStreamUrls builds Binance's documented combined path", () => {
    expect(combinedStreamUrls("wss://fstream.binance.com", ["btcusdt", "ethusdt"], "aggTrade")).toEqual([
      "wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade",
    ]);
    expect(combinedStreamUrls("ws://127.0.0.1:9/", ["btcusdt"], "trade")).toEqual(["ws://127.0.0.1:9/public/stream?streams=btcusdt@trade"]);
    expect(rawStreamUrl("ws://127.0.0.1:9", "btcusdt", "trade")).toBe("ws://127.0.0.1:9/public/ws/btcusdt@trade");
  });

  it("combinedStreamUrls shards at maxPerConnection streams", () => {
    const symbols = Array.from({ length: 450 }, (_, i) => `s${i}usdt`);
    const urls = combinedStreamUrls("wss://x", symbols, "trade");
    expect(urls.length).toBe(3);
    expect(urls.map((u) => u.split("streams=")[1].split("/").length)).toEqual([200, 200, 50]);
    expect(combinedStreamUrls("wss://x", symbols.slice(0, 5), "trade", 2).length).toBe(3);
    expect(() => combinedStreamUrls("wss://x", symbols, "trade", 0)).toThrow(RangeError);
  });
});

describe("normalizeSymbols", () => {
  it("normalizeSymbols lower-cases, trims and de-duplicates in order", () => {
    expect(normalizeSymbols(["BTCUSDT", " ethusdt ", "btcusdt", "btcusdt_250627"])).toEqual(["btcusdt", "ethusdt", "btcusdt_250627"]);
  });

  it.each([["btc/usdt"], ["btc-usdt"], ["btcusdt@trade"], ["b"], [""], ["btc usdt"], ["_btc"]])("normalizeSymbol(%j) throws RangeError E_PARAM", (s) => {
    expect(() => normalizeSymbol(s)).toThrow(RangeError);
    try {
      normalizeSymbol(s);
    } catch (e) {
      expect((e as { code: string }).code).toBe("E_PARAM");
      expect((e as Error).message).toContain("symbols");
    }
  });

  it("normalizeSymbols rejects non-arrays, empty arrays and non-strings", () => {
    expect(() => normalizeSymbols("btcusdt")).toThrow(TypeError);
    expect(() => normalizeSymbols([])).toThrow(RangeError);
    expect(() => normalizeSymbols([42])).toThrow(TypeError);
  });
});

describe("resolveSource", () => {
  it("resolveSource(undefined, {}) is auto from the default", () => {
    expect(resolveSource(undefined, {})).toEqual({ kind: "auto", text: "auto", from: "default" });
  });

  it("PAIRLAB_SOURCE overrides the default but not an explicit option", () => {
    expect(resolveSource(undefined, { PAIRLAB_SOURCE: " DEMO " })).toEqual({ kind: "demo", text: "demo", from: "PAIRLAB_SOURCE" });
    expect(resolveSource("binance", { PAIRLAB_SOURCE: "demo" })).toEqual({ kind: "binance", text: "binance", from: "option" });
    expect(resolveSource("live", {}).kind).toBe("binance");
    expect(resolveSource(undefined, { PAIRLAB_SOURCE: "" }).kind).toBe("auto");
  });

  it("resolveSource(url) keeps a ws(s) base URL without trailing slash", () => {
    expect(resolveSource("ws://127.0.0.1:9000/", {})).toEqual({ kind: "url", text: "ws://127.0.0.1:9000", url: "ws://127.0.0.1:9000", from: "option" });
    expect(resolveSource(undefined, { PAIRLAB_SOURCE: "wss://mirror.example/binance" })).toMatchObject({ kind: "url", url: "wss://mirror.example/binance" });
  });

  it("resolveSource(bad option) throws RangeError E_PARAM; bad PAIRLAB_SOURCE throws SourceError E_SOURCE", () => {
    expect(() => resolveSource("http://x", {})).toThrow(RangeError);
    expect(() => resolveSource("ws://x/?a=1", {})).toThrow(RangeError);
    expect(() => resolveSource(3, {})).toThrow(TypeError);
    expect(() => resolveSource(undefined, { PAIRLAB_SOURCE: "ftp://x" })).toThrow(SourceError);
    try {
      resolveSource(undefined, { PAIRLAB_SOURCE: "nope" });
    } catch (e) {
      expect((e as SourceError).code).toBe("E_SOURCE");
      expect((e as Error).message).toContain("PAIRLAB_SOURCE");
    }
  });
});
