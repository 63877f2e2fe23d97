import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests never touch the project's data/ archive: unless PAIRLAB_ARCHIVE is set, the archive is "off" for vitest
// (no recording, no warm start from an archive shared between test files); tests that record pass their own
// temp file (`archive: "file:…"`).
process.env.PAIRLAB_ARCHIVE ??= "off";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests open real sockets on 127.0.0.1 only; run files in separate forks so a leak in one file is visible.
    pool: "forks",
  },
});
