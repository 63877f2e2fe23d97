import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(__dirname, "..", "..", "src");
const imports = (file: string): string[] => [...readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
const filesOf = (dir: string): string[] => readdirSync(join(src, dir)).filter((f) => f.endsWith(".ts")).map((f) => join(src, dir, f));

describe("layers of the quotes and alerts areas (imports point one way)", () => {
  it("src/quotes imports only maths and shared helpers (no alerts, charts, transport)", () => {
    for (const f of filesOf("quotes")) for (const i of imports(f)) expect(i, `${f} imports ${i}`).toMatch(/^(\.\/|\.\.\/(analytics|errors|validate|seeded-random)(\/|$))/);
  });
  it("src/alerts never imports charts (rendering) nor ingestion (transport internals)", () => {
    for (const f of filesOf("alerts")) for (const i of imports(f)) expect(i, `${f} imports ${i}`).not.toMatch(/\.\.\/(charts|ingestion)/);
  });
  it("the new chart files never import alerts, quotes or ingestion (rendering never imports transport)", () => {
    for (const name of ["alert-panel.ts", "zscore-cost-figure.ts"]) {
      for (const i of imports(join(src, "charts", name))) expect(i, `${name} imports ${i}`).not.toMatch(/\.\.\/(alerts|quotes|ingestion)/);
    }
  });
  it("index.ts files of quotes and alerts only re-export", () => {
    for (const dir of ["quotes", "alerts"]) {
      const lines = readFileSync(join(src, dir, "index.ts"), "utf8").split("\n").filter((l) => l.trim() && !l.trim().startsWith("//"));
      const text = lines.join("\n");
      expect(text.replace(/export (type )?\{[^}]*\} from "[^"]+";/g, "").trim()).toBe("");
    }
  });
});
