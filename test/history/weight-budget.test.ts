import { describe, expect, it } from "vitest";
import { klinesWeight } from "../../src/history";
import { WeightBudget } from "../../src/history/weight-budget";

describe("request weights", () => {
  it("klinesWeight(limit) follows Binance's table: 1 / 2 / 5 / 10 for < 100 / < 500 / ≤ 1000 / > 1000", () => {
    expect([1, 99, 100, 499, 500, 1000, 1001, 1500].map(klinesWeight)).toEqual([1, 1, 2, 2, 5, 5, 10, 10]);
  });
  it("WeightBudget(2400, 60 s) allows up to the limit per calendar minute, then waits for the next one; observe() adopts a higher server count", () => {
    const b = new WeightBudget(2400, 60_000);
    const t = 60_000 * 16_666_667 + 20_000; // 20 s into a minute
    expect(b.delayFor(2400, t)).toBe(0);
    b.spend(2390, t);
    expect(b.delayFor(10, t)).toBe(0);
    expect(b.delayFor(11, t)).toBe(40_001);
    expect(b.delayFor(11, t + 40_000)).toBe(0); // a new minute
    b.observe(2000, t + 40_000);
    expect(b.usedAt(t + 40_000)).toBe(2000);
    b.observe(5, t + 40_000);
    expect(b.usedAt(t + 40_000)).toBe(2000);
  });
});
