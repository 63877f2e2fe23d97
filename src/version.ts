import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The installed pairlab version, read from its package.json (e.g. `"0.1.0"`).
 * Works from `src/` (tsx, vitest) and from the built `dist/`.
 */
export const version: string = (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
