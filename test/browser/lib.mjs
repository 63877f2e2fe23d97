// Shared machinery of the real-browser tests (test/browser/*.browser.mjs): checks and their count, free
// ports, the kernelspec environment, the offline network guard, process-group shutdown, headless Chromium,
// and the two notebook frontends (classic Notebook 6, pairlab's JupyterLab 3.6 build) behind one interface,
// so one dashboard scenario runs in each. Every check reads the rendered DOM (chart divs, the status panel,
// output MIME types), never the notebooks' source, so the checks survive notebook rewrites.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const python = "/usr/bin/python3";
export const shots = join(root, "test-artifacts", "screenshots");
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
export const RUN_TIMEOUT_MS = 300_000;

const counts = { passed: 0, failed: 0 };

/** Records one check and prints it; returns `ok`. */
export function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} browser: ${name}${detail ? ` — ${detail}` : ""}`);
  if (ok) counts.passed++;
  else counts.failed++;
  return Boolean(ok);
}

/** Prints the file's "browser: N passed, N failed" line (scripts/test.mjs counts it) and exits. */
export function finish() {
  console.log(`browser: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Kernelspec "pairlab" on JUPYTER_PATH: reuse the test run's (scripts/test.mjs), else register a private one. */
export function kernelEnv() {
  const dataDir = join(root, "test-artifacts", "jupyter");
  const r = spawnSync(process.execPath, [join(root, "scripts", "kernel.mjs"), "--data-dir", dataDir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kernel registration failed: ${r.stderr}`);
  const jupyterPath = [dataDir, process.env.JUPYTER_PATH].filter(Boolean).join(":");
  return { ...process.env, JUPYTER_PATH: jupyterPath, PAIRLAB_SOURCE: process.env.PAIRLAB_SOURCE ?? "demo" };
}

/** Only 127.0.0.1, file: and data: URLs may load; everything else is aborted (offline, no CDN). */
export async function blockNetwork(context, blocked) {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file:|data:|blob:|about:)/.test(url) || /^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
}

/** Headless Chromium (Debian's /usr/bin/chromium, never a downloaded one) with a fresh profile. */
export async function launchBrowser(profile) {
  return chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
}

export async function stopProcessGroup(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = new Promise((r) => setTimeout(r, 5000, "timeout"));
  if ((await Promise.race([exited, timer])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Spawns a Jupyter server in its own process group and waits (≤ 60 s) for /api/status. */
async function spawnServer(name, command, args, env, port, token) {
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${base}/api/status?token=${token}`);
      if (res.ok) return { child, base, token, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcessGroup(child);
  throw new Error(`${name} did not start within 60 s:\n${log}`);
}

/** The notebook-frontend-independent view of the page, evaluated in the browser. */
const PAGE_HELPERS = `
  window.__pairlabChartsIn = (node) => [...node.querySelectorAll(".pairlab-chart, .jp-RenderedPlotly")];
  window.__pairlabDrawn = (chart) => Boolean(chart.querySelector(".main-svg"));
`;

/** Classic Jupyter Notebook 6 (Debian's jupyter-notebook). */
export const notebook6 = {
  name: "Notebook 6",
  slug: "notebook6",
  async start(env, scratch, notebookDir) {
    const port = await freePort();
    const token = randomBytes(16).toString("hex");
    const args = [
      "-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
      `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`,
      "--NotebookNotary.db_file=:memory:", "--NotebookApp.open_browser=False",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ];
    return spawnServer("jupyter notebook", python, args, { ...env, JUPYTER_RUNTIME_DIR: join(scratch, "runtime"), JUPYTER_CONFIG_DIR: join(scratch, "config") }, port, token);
  },
  url: (server, notebook) => `${server.base}/notebooks/${notebook}?token=${server.token}`,
  async waitReady(page) {
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), null, { timeout: 90_000 });
    // Never write outputs into the committed notebook.
    await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0));
    await page.addScriptTag({ content: PAGE_HELPERS });
  },
  async startRunAll(page) {
    await page.evaluate(() => {
      for (const c of Jupyter.notebook.get_cells()) if (c.cell_type === "code") c.set_input_prompt(null);
      Jupyter.notebook.execute_all_cells();
    });
  },
  /** Prompt per code cell: "*" running/queued, "-" not run, else the execution count. */
  prompts: (page) => page.evaluate(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").map((c) => (c.input_prompt_number == null ? "-" : String(c.input_prompt_number)))),
  errors: (page) => page.$$eval(".output_error, .output_stderr", (els) => els.map((e) => e.textContent.trim().slice(0, 300))),
  /** Every display output of the page's notebook: its MIME types, JSON size and text/plain. */
  outputs: (page) =>
    page.evaluate(() =>
      Jupyter.notebook
        .get_cells()
        .flatMap((c) => (c.output_area ? c.output_area.outputs : []))
        .filter((o) => o.data)
        .map((o) => ({ mimes: Object.keys(o.data), bytes: JSON.stringify(o.data).length, text: String(o.data["text/plain"] ?? "") })),
    ),
  /** Cells in order as { markdown heading | null, node } for section grouping. */
  cellsScript: `Jupyter.notebook.get_cells().map((c) => ({ heading: c.cell_type === "markdown" ? c.element[0].querySelector("h1, h2") : null, node: c.element[0], markdown: c.cell_type === "markdown" }))`,
  async fullPageStyle(page) {
    // Classic Notebook scrolls inside #site, not the page: let the page grow so full-page shots see everything.
    await page.addStyleTag({ content: "html, body { position: static !important; height: auto !important; overflow: visible !important; } #site { height: auto !important; overflow: visible !important; }" });
  },
};

/** pairlab's JupyterLab 3.6 build (scripts/lab.mjs) on Debian's LabServerApp; `variant` "plain" | "plotly". */
export function jupyterLab(variant, labServerCommand) {
  return {
    name: `JupyterLab 3.6 (${variant === "plotly" ? "with the jupyterlab-plotly renderer" : "no Plotly extension"})`,
    slug: `lab-${variant}`,
    variant,
    async start(env, scratch, notebookDir) {
      const port = await freePort();
      const token = randomBytes(16).toString("hex");
      const state = join(scratch, "lab-state");
      // Autosave off, so the committed notebook is never rewritten with outputs.
      const docmanager = join(state, "user-settings", "@jupyterlab", "docmanager-extension");
      mkdirSync(docmanager, { recursive: true });
      writeFileSync(join(docmanager, "plugin.jupyterlab-settings"), JSON.stringify({ autosave: false }));
      const { command, args } = labServerCommand(variant, {
        notebookDir,
        stateDir: state,
        args: ["--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0", `--ServerApp.token=${token}`, "--ServerApp.open_browser=False"],
      });
      return spawnServer(`JupyterLab (${variant})`, command, args, { ...env, JUPYTER_RUNTIME_DIR: join(scratch, "runtime"), JUPYTER_CONFIG_DIR: join(scratch, "config") }, port, token);
    },
    url: (server, notebook) => `${server.base}/lab/tree/${notebook}?token=${server.token}`,
    async waitReady(page) {
      await page.waitForFunction(
        () => {
          const w = window.jupyterapp?.shell.currentWidget;
          const kernel = w?.sessionContext?.session?.kernel;
          return Boolean(w?.content?.widgets && kernel && kernel.connectionStatus === "connected" && kernel.status === "idle");
        },
        null,
        { timeout: 90_000 },
      );
      await page.addScriptTag({ content: PAGE_HELPERS });
    },
    async startRunAll(page) {
      await page.evaluate(() => {
        window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0;
        void window.jupyterapp.commands.execute("notebook:run-all-cells");
      });
    },
    prompts: (page) =>
      page.evaluate(() =>
        window.jupyterapp.shell.currentWidget.content.widgets
          .filter((c) => c.model.type === "code")
          .map((c) => {
            const prompt = c.node.querySelector(".jp-InputPrompt")?.textContent ?? "";
            if (prompt.includes("*")) return "*";
            return c.model.executionCount == null ? "-" : String(c.model.executionCount);
          }),
      ),
    errors: (page) =>
      page.$$eval('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', (els) => els.map((e) => e.textContent.trim().slice(0, 300))),
    outputs: (page) =>
      page.evaluate(() =>
        window.jupyterapp.shell.currentWidget.content.widgets
          .filter((c) => c.model.type === "code")
          .flatMap((c) => c.model.outputs.toJSON())
          .filter((o) => o.data)
          .map((o) => ({ mimes: Object.keys(o.data), bytes: JSON.stringify(o.data).length, text: String(o.data["text/plain"] ?? "") })),
      ),
    cellsScript: `window.jupyterapp.shell.currentWidget.content.widgets.map((c) => ({ heading: c.model.type === "markdown" ? c.node.querySelector("h1, h2") : null, node: c.node, markdown: c.model.type === "markdown" }))`,
    async fullPageStyle() {},
  };
}

/** Runs every cell and waits until each code cell shows a new execution count (or an error appears). */
export async function runAll(frontend, page, label) {
  const started = Date.now();
  const before = (await frontend.prompts(page)).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  const baseline = Math.max(0, ...before);
  await frontend.startRunAll(page);
  let prompts = [];
  const done = (ps) => ps.length > 0 && ps.every((p) => /^\d+$/.test(p) && Number(p) > baseline);
  while (Date.now() - started < RUN_TIMEOUT_MS) {
    prompts = await frontend.prompts(page);
    if (done(prompts)) break;
    if ((await frontend.errors(page)).length > 0) break;
    await page.waitForTimeout(1000);
  }
  const finished = done(prompts);
  if (!check(label, finished, `${((Date.now() - started) / 1000).toFixed(1)} s; prompts [${prompts.join(" ")}]`)) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${frontend.slug}-failed.png`) });
  }
  return finished;
}

/** Charts (pairlab's text/html div, or the Plotly extension's widget) grouped by the h1/h2 section they are in. */
export async function chartSections(frontend, page) {
  return page.evaluate((cellsScript) => {
    const cells = eval(cellsScript); // eslint-disable-line no-eval
    const sections = [];
    let current = { heading: "(top)", charts: 0, rendered: 0 };
    for (const cell of cells) {
      if (cell.markdown) {
        if (cell.heading) {
          if (current.charts > 0) sections.push(current);
          current = { heading: cell.heading.textContent.replace(/¶$/, "").trim(), charts: 0, rendered: 0 };
        }
        continue;
      }
      const charts = window.__pairlabChartsIn(cell.node);
      current.charts += charts.length;
      current.rendered += charts.filter(window.__pairlabDrawn).length;
    }
    if (current.charts > 0) sections.push(current);
    return sections;
  }, frontend.cellsScript);
}

/** Waits (≤ 30 s) until every chart of the page holds a drawn Plotly SVG, then returns the sections. */
export async function waitForCharts(frontend, page) {
  await page
    .waitForFunction(() => {
      const charts = window.__pairlabChartsIn(document);
      return charts.length > 0 && charts.every(window.__pairlabDrawn);
    }, null, { timeout: 30_000 })
    .catch(() => undefined);
  return chartSections(frontend, page);
}

/** Checks that every section holding charts has them all drawn, and that there are at least `minCharts`. */
export function checkSections(label, sections, minCharts) {
  const total = sections.reduce((n, s) => n + s.charts, 0);
  const rendered = sections.reduce((n, s) => n + s.rendered, 0);
  for (const s of sections) check(`${label}section "${s.heading}": every chart is a drawn Plotly SVG`, s.rendered === s.charts, `${s.rendered}/${s.charts}`);
  return check(`${label}every chart drawn (≥ ${minCharts} charts in ≥ 3 sections)`, total >= minCharts && rendered === total && sections.length >= 3, `${rendered}/${total} charts in ${sections.length} sections`);
}

/** The status panel's text and its "updated …" time; checks it moves by itself. */
export async function checkStatusPanel(page, label = "") {
  const read = () => page.$eval(".pairlab-status", (e) => e.textContent).catch(() => "");
  const status = await read();
  check(
    `${label}status panel shows both symbols and the SIMULATED label`,
    /BTCUSDT/.test(status) && /ETHUSDT/.test(status) && /SIMULATED/.test(status),
    status.replace(/\s+/g, " ").slice(0, 200),
  );
  const updatedA = status.match(/updated ([0-9: -]+UTC)/)?.[1];
  await page.waitForTimeout(3500);
  const updatedB = (await read()).match(/updated ([0-9: -]+UTC)/)?.[1];
  check(`${label}status panel updates in place after its cell finished`, Boolean(updatedA && updatedB && updatedA !== updatedB), `${updatedA} → ${updatedB}`);
}

/** Checks the outputs: chart outputs ≤ 1 MB each, and how many embed plotly.js inline (`inline` expected). */
export async function checkOutputs(frontend, page, label, inline) {
  const outputs = await frontend.outputs(page);
  const charts = outputs.filter((o) => o.mimes.includes("application/vnd.plotly.v1+json"));
  const largest = Math.max(0, ...charts.map((o) => o.bytes));
  check(`${label}every chart output ≤ 1 MB (plotly.js is not resent with charts)`, charts.length > 0 && largest <= 1_000_000, `${charts.length} chart outputs, largest ${(largest / 1e3).toFixed(0)} kB`);
  const copies = outputs.filter((o) => /^plotly\.js \S+ loaded for this notebook/.test(o.text)).length;
  check(`${label}${inline === 0 ? "the kernel did not resend plotly.js" : "plotly.js embedded inline once per session"}`, copies === inline, `${copies} inline cop${copies === 1 ? "y" : "ies"}`);
}

/** Temporary folder removed by the caller. */
export function scratchDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

export { existsSync, mkdirSync, rmSync };

/**
 * The dashboard scenario, identical in every frontend: open the notebook, Run All, check (no error output,
 * every chart section drawn, status panel moving, chart outputs ≤ 1 MB, plotly.js embedded once), then
 * `afterFirstRun(page)`; reload the page with the kernel still running, Run All again and check every chart
 * draws again with plotly.js not resent; with `secondTab`, open the notebook in a second tab too and run it
 * there (charts drawn, status panel moving). The committed notebook must be unchanged afterwards. Servers and browsers stop in `finally`.
 */
export async function dashboardScenario(frontend, { notebook = "00_dashboard.ipynb", minCharts = 5, afterFirstRun, secondTab = false } = {}) {
  const env = kernelEnv();
  const scratch = scratchDir(`pairlab-${frontend.slug}-`);
  const notebookPath = join(root, "notebooks", notebook);
  const before = sha256(notebookPath);
  const L = `[${frontend.slug}] `;
  let server;
  let context;
  try {
    server = await frontend.start(env, scratch, join(root, "notebooks"));
    check(`${L}${frontend.name} serves notebooks/ on 127.0.0.1`, true, server.base);
    context = await launchBrowser(join(scratch, "profile"));
    const blocked = [];
    await blockNetwork(context, blocked);
    const pageErrors = [];
    const open = async (page) => {
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      await page.goto(frontend.url(server, notebook), { waitUntil: "domcontentloaded" });
      await frontend.waitReady(page);
    };
    const runAndCheck = async (page, label, inline) => {
      if (!(await runAll(frontend, page, `${L}${label}Run All finished`))) return false;
      const errors = await frontend.errors(page);
      check(`${L}${label}no error output`, errors.length === 0, errors.join(" | "));
      checkSections(`${L}${label}`, await waitForCharts(frontend, page), minCharts);
      await checkOutputs(frontend, page, `${L}${label}`, inline);
      return true;
    };
    const page = context.pages()[0] ?? (await context.newPage());
    await open(page);
    if (await runAndCheck(page, "", 1)) {
      await checkStatusPanel(page, L);
      if (afterFirstRun) await afterFirstRun(page);
    }

    // F5 with the kernel still running: the new page has no plotly.js and the kernel does not resend its
    // inline copy, so each chart must get plotly.js by itself.
    await page.reload({ waitUntil: "domcontentloaded" });
    await frontend.waitReady(page);
    check(`${L}after reload: the page has no plotly.js before Run All`, await page.evaluate(() => !window.Plotly));
    if (await runAndCheck(page, "after reload (kernel kept running): ", 0)) await checkStatusPanel(page, `${L}after reload: `);

    if (secondTab) {
      const tab = await context.newPage();
      await open(tab);
      if (await runAndCheck(tab, "second tab: ", 0)) await checkStatusPanel(tab, `${L}second tab: `);
      await tab.close();
    }
    check(`${L}no request left 127.0.0.1`, blocked.length === 0, blocked.slice(0, 3).join(", "));
    check(`${L}no uncaught page errors`, pageErrors.length === 0, pageErrors.slice(0, 2).join(" | "));
  } catch (error) {
    check(`${L}scenario ran to completion`, false, String(error?.stack ?? error).slice(0, 2000));
  } finally {
    if (context) await context.close().catch(() => undefined);
    await stopProcessGroup(server?.child);
    rmSync(scratch, { recursive: true, force: true });
  }
  check(`${L}committed notebook file untouched by the browser run`, sha256(notebookPath) === before);
}
