import { describe, expect, it } from "vitest";
import { progressBundle } from "../../src/charts";

describe("progressBundle", () => {
  it("progressBundle({ done, total }) shows the clamped percentage in HTML and text, escaping the label", () => {
    const b = progressBundle({ what: "btc<usdt> 1m klines", done: 30, total: 60 });
    expect(b["text/plain"]).toBe("btc<usdt> 1m klines: 50 %");
    expect(b["text/html"]).toContain('<progress value="0.5000" max="1"');
    expect(b["text/html"]).toContain("btc&lt;usdt&gt;");
    expect(progressBundle({ what: "x", done: 5, total: 0 })["text/plain"]).toBe("x: 0 %");
    expect(progressBundle({ what: "x", done: 90, total: 60 })["text/plain"]).toBe("x: 100 %");
  });
});
