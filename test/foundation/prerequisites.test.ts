import { afterEach, describe, expect, it, vi } from "vitest";
// @ts-expect-error plain-JS project script (scripts/ runs before node_modules exists, so it has no types)
import { ensureDebianPackages } from "../../scripts/lib.mjs";

interface Requirement {
  what: string;
  debian: string;
  check: () => boolean;
}
const ensure = ensureDebianPackages as (requirements: Requirement[], purpose: string, access: "root" | "sudo" | null) => Requirement[];

afterEach(() => vi.restoreAllMocks());

describe("ensureDebianPackages", () => {
  it("ensureDebianPackages(all present) returns [] and prints nothing", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect(ensure([{ what: "A", debian: "pkg-a", check: () => true }], "a test", "root")).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it("ensureDebianPackages(missing, no apt access) returns the missing ones and prints the one command to run", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const missing = ensure(
      [
        { what: "A", debian: "pkg-a", check: () => false },
        { what: "B", debian: "pkg-b", check: () => true },
        { what: "C", debian: "pkg-a", check: () => false },
      ],
      "a test",
      null,
    );
    expect(missing.map((r) => r.what)).toEqual(["A", "C"]);
    expect(lines).toContain("pairlab: install them with: sudo apt-get install pkg-a");
    expect(lines.some((l) => l.includes("A is missing (Debian package pkg-a)"))).toBe(true);
  });
});
