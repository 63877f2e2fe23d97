import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("johansen WebAssembly kernels", () => {
  it("src/universe/johansen-kernels{.wat,-wasm.ts} are exactly what scripts/johansen-kernels-wasm.mjs generates (wabt from devDependencies)", () => {
    const run = spawnSync(process.execPath, ["scripts/johansen-kernels-wasm.mjs", "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
