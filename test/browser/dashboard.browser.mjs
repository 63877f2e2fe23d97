// Real-browser test of the dashboard notebook (issue 6). Plain Node script run by `npm test` after the
// notebook runner; prints one line per check and exits 1 if any check fails.
//
// 1. Serves notebooks/ with Debian's classic Jupyter Notebook 6 on 127.0.0.1 (random port, random token),
//    opens 00_dashboard.ipynb in headless Chromium (playwright-core, /usr/bin/chromium, fresh profile, every
//    request outside 127.0.0.1 blocked), disables autosave, runs all cells and checks: no error output, a
//    rendered Plotly SVG in every chart section, the status panel text, the status panel moving by itself,
//    and that the committed notebook file was not modified. Screenshots go to test-artifacts/screenshots/
//    (with PAIRLAB_UPDATE_DOCS=1 the dashboard view is also copied to docs/dashboard.png, the README's picture;
//    a plain test run leaves the committed picture alone).
// 2. Renders the nbconvert HTML of the executed dashboard (test-artifacts/executed/00_dashboard.ipynb) from a
//    file: URL with the network blocked and checks that every chart renders offline.
// Every server and browser started here is stopped in `finally` (whole process group).
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const python = "/usr/bin/python3";
const notebook = "00_dashboard.ipynb";
const notebookPath = join(root, "notebooks", notebook);
const shots = join(root, "test-artifacts", "screenshots");
const executed = join(root, "test-artifacts", "executed", notebook);
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const RUN_TIMEOUT_MS = 300_000;

let failures = 0;
function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} browser: ${name}${detail ? ` — ${detail}` : ""}`);
  if (!ok) failures++;
  return ok;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Kernelspec "pairlab" on JUPYTER_PATH: reuse the test run's (scripts/test.mjs), else register a private one. */
function kernelEnv() {
  const dataDir = join(root, "test-artifacts", "jupyter");
  if (!existsSync(join(dataDir, "kernels", "pairlab", "kernel.json"))) {
    const r = spawnSync(process.execPath, [join(root, "scripts", "kernel.mjs"), "--data-dir", dataDir], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`kernel registration failed: ${r.stderr}`);
  }
  const jupyterPath = [dataDir, process.env.JUPYTER_PATH].filter(Boolean).join(":");
  return { ...process.env, JUPYTER_PATH: jupyterPath, PAIRLAB_SOURCE: process.env.PAIRLAB_SOURCE ?? "demo" };
}

/** Only 127.0.0.1, file: and data: URLs may load; everything else is aborted (offline, no CDN). */
async function blockNetwork(context, blocked) {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file:|data:|blob:|about:)/.test(url) || /^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
}

async function startJupyter(env, runtimeDir) {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const child = spawn(
    python,
    [
      "-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
      `--NotebookApp.token=${token}`, `--notebook-dir=${join(root, "notebooks")}`,
      "--NotebookNotary.db_file=:memory:", "--NotebookApp.open_browser=False",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    { env: { ...env, JUPYTER_RUNTIME_DIR: runtimeDir, JUPYTER_CONFIG_DIR: join(runtimeDir, "config") }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${base}/api/status?token=${token}`);
      if (res.ok) return { child, base, token, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter notebook did not start within 60 s:\n${log}`);
}

async function stopProcessGroup(child) {
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

/** Runs every cell and waits until each code cell shows an execution count (or an error appears). */
async function runAll(page, label) {
  const started = Date.now();
  await page.evaluate(() => {
    for (const c of Jupyter.notebook.get_cells()) if (c.cell_type === "code") c.set_input_prompt(null);
    Jupyter.notebook.execute_all_cells();
  });
  // Poll the prompts: "*" = running or queued, a number = done. Report the stuck cells on timeout.
  let prompts = [];
  while (Date.now() - started < RUN_TIMEOUT_MS) {
    prompts = await page.evaluate(() =>
      Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").map((c) => (c.input_prompt_number == null ? "-" : String(c.input_prompt_number))),
    );
    if (prompts.every((p) => p !== "*" && p !== "-")) break;
    if (await page.$(".output_error")) break;
    await page.waitForTimeout(1000);
  }
  const finished = prompts.every((p) => p !== "*" && p !== "-");
  if (!check(label, finished, `${((Date.now() - started) / 1000).toFixed(1)} s; prompts [${prompts.join(" ")}]`)) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "dashboard-failed.png") });
  }
  return finished;
}

/** Waits (≤ 20 s) until every .pairlab-chart holds a drawn Plotly SVG, then returns the counts. */
async function waitForCharts(page) {
  await page
    .waitForFunction(() => {
      const els = [...document.querySelectorAll(".pairlab-chart")];
      return els.length > 0 && els.every((e) => e.querySelector(".js-plotly-plot .main-svg"));
    }, null, { timeout: 20_000 })
    .catch(() => undefined);
  return renderedCharts(page);
}

async function renderedCharts(page) {
  return page.$$eval(".pairlab-chart", (els) => ({ total: els.length, rendered: els.filter((e) => e.querySelector(".js-plotly-plot .main-svg")).length }));
}

async function runNotebookInBrowser(env) {
  const runtimeDir = mkdtempSync(join(tmpdir(), "pairlab-jupyter-"));
  const profile = mkdtempSync(join(tmpdir(), "pairlab-chromium-"));
  const before = sha256(notebookPath);
  let server;
  let context;
  try {
    server = await startJupyter(env, runtimeDir);
    check("jupyter notebook 6 serves notebooks/ on 127.0.0.1", true, server.base.replace(/\?.*/, ""));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const blocked = [];
    await blockNetwork(context, blocked);
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors = [];
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto(`${server.base}/notebooks/${notebook}?token=${server.token}`, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(
      () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(),
      null,
      { timeout: 90_000 },
    );
    // Never write outputs into the committed notebook.
    await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0));
    await runAll(page, "Run All finished");
    const errors = await page.$$eval(".output_error, .output_stderr", (els) => els.map((e) => e.textContent.trim().slice(0, 300)));
    check("no error output", errors.length === 0, errors.join(" | "));

    // Charts: give plotly a moment to draw, then check every chart section.
    await page.waitForTimeout(1500);
    const sections = await page.evaluate(() => {
      const result = [];
      let heading = "(top)";
      for (const cell of Jupyter.notebook.get_cells()) {
        if (cell.cell_type === "markdown") {
          const h = cell.element[0].querySelector("h1, h2");
          if (h) heading = h.textContent.replace(/¶$/, "").trim();
          continue;
        }
        const charts = [...cell.element[0].querySelectorAll(".pairlab-chart")];
        if (charts.length === 0) continue;
        result.push({ heading, charts: charts.length, rendered: charts.filter((c) => c.querySelector(".js-plotly-plot .main-svg")).length });
      }
      return result;
    });
    for (const want of ["2. Prices", "3. Analytics", "7. Live"]) {
      const rows = sections.filter((s) => s.heading === want);
      const charts = rows.reduce((n, s) => n + s.charts, 0);
      const rendered = rows.reduce((n, s) => n + s.rendered, 0);
      check(`section "${want}": every chart is a rendered Plotly SVG`, charts > 0 && rendered === charts, `${rendered}/${charts} charts with .js-plotly-plot .main-svg`);
    }
    const analytics = sections.filter((s) => s.heading === "3. Analytics").reduce((n, s) => n + s.rendered, 0);
    check("analytics section has spread, z-score, correlation and hedge ratio charts", analytics >= 4, `${analytics} rendered`);

    const status = await page.$eval(".pairlab-status", (e) => e.textContent);
    check(
      "status panel shows per-symbol stats, source and SIMULATED",
      /pairlab status/.test(status) && /BTCUSDT/.test(status) && /ETHUSDT/.test(status) && /source\s*demo/.test(status) && /SIMULATED/.test(status) && /trades/.test(status),
      status.replace(/\s+/g, " ").slice(0, 200),
    );
    const updatedA = status.match(/updated ([0-9: -]+UTC)/)?.[1];
    await page.waitForTimeout(3500);
    const statusLater = await page.$eval(".pairlab-status", (e) => e.textContent);
    const updatedB = statusLater.match(/updated ([0-9: -]+UTC)/)?.[1];
    check("status panel updates in place after its cell finished", Boolean(updatedA && updatedB && updatedA !== updatedB), `${updatedA} → ${updatedB}`);
    check("no request left 127.0.0.1", blocked.length === 0, blocked.slice(0, 3).join(", "));
    check("no uncaught page errors", consoleErrors.length === 0, consoleErrors.slice(0, 2).join(" | "));

    mkdirSync(shots, { recursive: true });
    // Classic Notebook scrolls inside #site, not the page: let the page grow so full-page shots see everything.
    await page.addStyleTag({ content: "html, body { position: static !important; height: auto !important; overflow: visible !important; } #site { height: auto !important; overflow: visible !important; }" });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, "dashboard-full.png"), fullPage: true });
    // The "best" view for the README: from the status panel to the z-score chart.
    const box = await page.evaluate(() => {
      const status = document.querySelector(".pairlab-status").getBoundingClientRect();
      const charts = [...document.querySelectorAll(".pairlab-chart")];
      const last = charts[Math.min(charts.length - 1, 2)].getBoundingClientRect();
      return { y: status.top + window.scrollY - 40, bottom: last.bottom + window.scrollY + 10 };
    });
    const view = join(shots, "dashboard.png");
    await page.screenshot({ path: view, fullPage: true, clip: { x: 0, y: Math.max(0, box.y), width: 1280, height: Math.min(3000, box.bottom - box.y) } });
    const updateDocs = process.env.PAIRLAB_UPDATE_DOCS === "1";
    if (updateDocs) {
      mkdirSync(join(root, "docs"), { recursive: true });
      copyFileSync(view, join(root, "docs", "dashboard.png"));
    }
    check("screenshots saved", existsSync(view), `test-artifacts/screenshots/dashboard{,-full}.png${updateDocs ? " → docs/dashboard.png" : ""}`);

    // Rerunning the whole notebook top to bottom in the same kernel must work too (redeclared constants,
    // the running ingestion reused, live loops replaced rather than doubled).
    const btcTrades = () =>
      page.$$eval(".pairlab-status tbody tr", (rows) => {
        const row = rows.find((r) => r.cells[0]?.textContent.trim() === "BTCUSDT");
        return row ? Number(row.cells[1].textContent.replace(/,/g, "")) : NaN;
      });
    const tradesBefore = await btcTrades();
    if (await runAll(page, "second Run All in the same kernel finished")) {
      const errors2 = await page.$$eval(".output_error, .output_stderr", (els) => els.map((e) => e.textContent.trim().slice(0, 300)));
      check("second Run All: no error output", errors2.length === 0, errors2.join(" | "));
      await page.waitForTimeout(1500);
      const charts2 = await renderedCharts(page);
      check("second Run All: every chart rendered", charts2.total >= 7 && charts2.rendered === charts2.total, `${charts2.rendered}/${charts2.total}`);
      const tradesAfter = await btcTrades();
      check("second Run All reused the running ingestion (trade count kept growing, no replayed history)", tradesAfter >= tradesBefore && tradesAfter - tradesBefore < 5000, `${tradesBefore} → ${tradesAfter} BTCUSDT trades`);
    }

    // F5 with the kernel still running: the new page has no plotly.js and the kernel will not resend its
    // inline copy, so every chart must load plotly.js by itself. Then Run All again.
    await page.reload({ waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), null, { timeout: 90_000 });
    await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0));
    check("after reload: page has no plotly.js before Run All", await page.evaluate(() => !window.Plotly));
    if (await runAll(page, "after reload (kernel kept running): Run All finished")) {
      const errors3 = await page.$$eval(".output_error, .output_stderr", (els) => els.map((e) => e.textContent.trim().slice(0, 300)));
      check("after reload: no error output", errors3.length === 0, errors3.join(" | "));
      const charts3 = await waitForCharts(page);
      check("after reload: every chart rendered", charts3.total >= 7 && charts3.rendered === charts3.total, `${charts3.rendered}/${charts3.total}`);
      const loaderOutputs = await page.$$eval(".output_subarea", (els) => els.filter((e) => /plotly\.js .* loaded for this notebook/.test(e.textContent)).length);
      check("after reload: plotly.js was not resent by the kernel", loaderOutputs === 0, `${loaderOutputs} inline copies`);
    }
  } finally {
    if (context) await context.close().catch(() => undefined);
    await stopProcessGroup(server?.child);
    rmSync(runtimeDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  check("committed notebook file untouched by the browser run", sha256(notebookPath) === before);
}

async function renderNbconvertOffline(env) {
  if (!existsSync(executed)) {
    const r = spawnSync(python, [join(root, "scripts", "run-notebooks.py"), notebookPath], { env, encoding: "utf8" });
    if (!check("executed dashboard available", existsSync(executed), r.stdout.trim().split("\n").pop())) return;
  }
  const outDir = join(root, "test-artifacts", "html");
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync(python, ["-m", "nbconvert", "--to", "html", executed, "--output-dir", outDir], { env, encoding: "utf8" });
  const html = join(outDir, "00_dashboard.html");
  if (!check("nbconvert HTML of the executed dashboard", r.status === 0 && existsSync(html), r.status === 0 ? "" : r.stderr.slice(-300))) return;
  const profile = mkdtempSync(join(tmpdir(), "pairlab-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    const blocked = [];
    await blockNetwork(context, blocked);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout: 120_000 });
    const total = await page.$$eval(".pairlab-chart", (els) => els.length);
    await page
      .waitForFunction((n) => document.querySelectorAll(".pairlab-chart .js-plotly-plot .main-svg").length >= n, total, { timeout: 60_000 })
      .catch(() => undefined);
    const rendered = await page.$$eval(".pairlab-chart", (els) => els.filter((e) => e.querySelector(".js-plotly-plot .main-svg")).length);
    check("nbconvert HTML renders every chart offline", total >= 5 && rendered === total, `${rendered}/${total} charts; ${blocked.length} outside requests blocked`);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "nbconvert-dashboard.png"), fullPage: true });
  } finally {
    if (context) await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  const env = kernelEnv();
  await runNotebookInBrowser(env);
  await renderNbconvertOffline(env);
} catch (error) {
  check("browser test ran to completion", false, String(error?.stack ?? error).slice(0, 2000));
}
console.log(`browser: ${failures === 0 ? "all checks passed" : `${failures} check(s) failed`}`);
process.exit(failures === 0 ? 0 : 1);
