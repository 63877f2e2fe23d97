import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests never record into the project's data/: unless the runner set PAIRLAB_ARCHIVE (scripts/test.mjs sets a
// temp file), an ingestion started through the pairlab entry records into a per-run temp file.
process.env.PAIRLAB_ARCHIVE ??= `file:${join(tmpdir(), `pairlab-vitest-${process.pid}.sqlite`)}`;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests open real sockets on 127.0.0.1 only; run files in separate forks so a leak in one file is visible.
    pool: "forks",
  },
});
