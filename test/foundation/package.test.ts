import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as source from "../../src/index";

const root = join(__dirname, "..", "..");
const requireFromNotebooks = createRequire(join(root, "notebooks", "any.ipynb"));
// Inside the checkout (test-artifacts/ is git-ignored) so that notebooks there resolve "pairlab" like notebooks/ do.
mkdirSync(join(root, "test-artifacts"), { recursive: true });
const scratch = mkdtempSync(join(root, "test-artifacts", "foundation-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the pairlab package as notebooks see it", () => {
  it('require("pairlab") from notebooks/ resolves to the built dist/ (run `npm run build` if this fails)', () => {
    const resolved = requireFromNotebooks.resolve("pairlab");
    expect(resolved).toBe(join(root, "node_modules", "pairlab", "index.js"));
    const built = requireFromNotebooks("pairlab") as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
    expect(built.version).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });

  it('require("pairlab") does not load danfojs-node (loaded lazily on the first export, it costs ~0.5 s)', () => {
    const probe = spawnSync(process.execPath, ["-e", 'require("pairlab"); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("danfojs") || k.includes("@tensorflow")).length))'], { cwd: join(root, "notebooks"), encoding: "utf8" });
    expect(probe.status, probe.stderr).toBe(0);
    expect(probe.stdout.trim()).toBe("0");
  });

  it("package.json keeps the danfojs-node install overrides the README documents", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.overrides["@tensorflow/tfjs-node"]).toBe("npm:@tensorflow/tfjs@3.21.0");
    expect(pkg.overrides.xlsx).toBe("0.18.5");
    expect(pkg.engines.node).toBe(">=20.19");
  });
});

describe("scripts/kernel.mjs", () => {
  it("registers a kernelspec that runs this checkout's tslab with this Node", () => {
    const dataDir = join(scratch, "jupyter-data");
    const result = spawnSync(process.execPath, [join(root, "scripts", "kernel.mjs")], { env: { ...process.env, JUPYTER_DATA_DIR: dataDir }, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(dataDir, "kernels", "pairlab", "kernel.json"), "utf8"));
    expect(spec.argv).toEqual([process.execPath, join(root, "scripts", "tslab-kernel.cjs"), "kernel", "--config-path", "{connection_file}"]);
    expect(spec.language).toBe("typescript");
  });
});

describe("scripts/run-notebooks.py", () => {
  function notebook(cells: { source: string; outputs?: unknown[]; execution_count?: number | null }[]): string {
    const file = join(scratch, `nb-${Math.random().toString(36).slice(2)}.ipynb`);
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "pairlab", display_name: "TypeScript (pairlab)", language: "typescript" } },
      cells: cells.map((c, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source: c.source, outputs: c.outputs ?? [], execution_count: c.execution_count ?? null })),
    };
    writeFileSync(file, JSON.stringify(nb));
    return file;
  }
  const runner = (file: string) => spawnSync("/usr/bin/python3", [join(root, "scripts", "run-notebooks.py"), file], { encoding: "utf8", env: { ...process.env, PAIRLAB_SOURCE: "demo" } });

  it("fails on the first cell that raises, naming the error", () => {
    const result = runner(notebook([{ source: 'const x = 1;\nthrow new Error("boom from cell 0");' }, { source: "console.log(x)" }]));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("FAIL");
    expect(result.stdout).toContain("boom from cell 0");
    expect(result.stdout).toContain("0 passed, 1 failed");
  });

  it("fails on a notebook committed with outputs", () => {
    const result = runner(notebook([{ source: "1 + 1", execution_count: 3, outputs: [{ output_type: "execute_result", execution_count: 3, data: { "text/plain": "2" }, metadata: {} }] }]));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("committed with outputs");
  });

  it("passes a clean notebook that runs", () => {
    const result = runner(notebook([{ source: 'import { version } from "pairlab";\nconsole.log(version);' }]));
    expect(result.stdout).toContain("1 passed, 0 failed");
    expect(result.status).toBe(0);
  });
});
