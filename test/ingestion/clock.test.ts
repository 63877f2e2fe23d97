import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/ingestion/clock";
import { settle } from "./helpers";

describe("systemClock", () => {
  it("systemClock.setTimeout(fn, 2 ** 32) does not fire at once (delays beyond Node's 32-bit limit are capped, not turned into 1 ms)", async () => {
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, 2 ** 32);
    await settle(50);
    systemClock.clearTimeout(h);
    expect(fired).toBe(0);
  });
});
