import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { plotlyScriptName } from "../../src/charts/plotly-loader";

const root = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "pairlab-start-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function poll(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True when the user has their own JupyterLab, which `npm start` prefers over pairlab's build. */
const ownLab = spawnSync("jupyter", ["lab", "--version"], { encoding: "utf8" }).status === 0;

describe("npm start", () => {
  it("start.mjs brings up JupyterLab on 127.0.0.1 listing the pairlab kernel, the notebooks and plotly.js next to the kernelspec", async () => {
    const port = await freePort();
    const token = Math.random().toString(36).slice(2);
    // A private Jupyter data dir: the test must not rewrite the user's registered kernel.
    const env = { ...process.env, JUPYTER_DATA_DIR: join(scratch, "data"), JUPYTER_RUNTIME_DIR: join(scratch, "runtime"), PAIRLAB_SOURCE: "demo" };
    const child = spawn(process.execPath, [join(root, "scripts", "start.mjs"), "--no-browser", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${token}`, `--ServerApp.token=${token}`], { cwd: root, env, stdio: "pipe", detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    try {
      const deadline = Date.now() + 100_000;
      const specs = (await (await poll(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`, deadline)).json()) as { kernelspecs: Record<string, { spec: { display_name: string; argv: string[] } }> };
      expect(Object.keys(specs.kernelspecs), output).toContain("pairlab");
      expect(specs.kernelspecs.pairlab.spec.display_name).toBe("TypeScript (pairlab)");
      expect(specs.kernelspecs.pairlab.spec.argv[1]).toBe(join(root, "scripts", "tslab-kernel.cjs"));
      const tree = (await (await poll(`http://127.0.0.1:${port}/api/contents?token=${token}`, deadline)).json()) as { content: { name: string }[] };
      expect(tree.content.map((c) => c.name)).toContain("smoke.ipynb");
      // The page is JupyterLab: the user's own, else pairlab's 3.6 build on Debian's LabServerApp.
      const lab = await (await poll(`http://127.0.0.1:${port}/lab?token=${token}`, deadline)).text();
      expect(lab, output).toMatch(ownLab ? /jupyter-config-data/ : /<title>JupyterLab \(pairlab\)<\/title>/);
      // Charts of a reloaded page load plotly.js from the kernelspec folder, served by the same server.
      const plotly = await fetch(`http://127.0.0.1:${port}/kernelspecs/pairlab/${plotlyScriptName()}?token=${token}`);
      expect(plotly.status).toBe(200);
      expect((await plotly.text()).length).toBeGreaterThan(1_000_000);
    } finally {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }, 120_000);
});
