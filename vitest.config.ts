import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests open real sockets on 127.0.0.1 only; run files in separate forks so a leak in one file is visible.
    pool: "forks",
  },
});
